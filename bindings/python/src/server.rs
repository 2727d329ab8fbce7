//! `keyturn.Server`: the real HTTP server, in-process, on a background tokio runtime.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use keyturn::server::{AuditSink, RunningServer};
use pyo3::exceptions::{PyOSError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::engine::Engine;
use crate::errors;
use crate::types::Credentials;

struct Running {
    runtime: tokio::runtime::Runtime,
    server: RunningServer,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, joins the runtime's threads.
    fn stop(self) {
        let Self { runtime, server } = self;
        runtime.block_on(server.shutdown());
        runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    }
}

/// Keyturn's STS endpoint on a loopback port, served from background threads. A context
/// manager: `with Server(config) as s: boto3.client("sts", endpoint_url=s.endpoint_url, …)`.
#[pyclass(module = "keyturn._native", frozen)]
pub struct Server {
    engine: Py<Engine>,
    host: IpAddr,
    port: u16,
    /// The audit log given to the constructor; `None`: the configuration's.
    audit: Option<AuditSink>,
    running: Mutex<Option<(Running, SocketAddr)>>,
}

impl Server {
    fn addr(&self) -> PyResult<SocketAddr> {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|(_, a)| *a)
            .ok_or_else(|| PyRuntimeError::new_err("the server is not running (call start())"))
    }

    fn stop_now(&self, py: Python<'_>) {
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((r, _)) = running {
            py.detach(|| r.stop());
        }
    }
}

#[pymethods]
impl Server {
    /// A server for an `Engine`, or for a configuration (path, text or mapping: an ephemeral
    /// engine is built from it). `port=0` picks a free port. `audit_log`: `"stdout"` or a file
    /// path for CloudTrail-shaped audit events (default: the configuration's `server.audit_log`,
    /// else none). `compat="moto"` without an engine: a moto-compatible endpoint (the
    /// configuration's `server.compat: moto`, docs/moto.md) over an empty ephemeral world. Not
    /// started until `start()` or `with`.
    #[new]
    #[pyo3(signature = (engine=None, *, host="127.0.0.1", port=0, audit_log=None, compat=None))]
    fn new(
        py: Python<'_>,
        engine: Option<&Bound<'_, PyAny>>,
        host: &str,
        port: u16,
        audit_log: Option<PathBuf>,
        compat: Option<&str>,
    ) -> PyResult<Self> {
        let compat_config;
        let engine = match (engine, compat) {
            (None, Some("moto")) => {
                compat_config = pyo3::types::PyString::new(py, "server: {compat: moto}\n");
                compat_config.as_any()
            }
            (None, Some(other)) => {
                return Err(errors::invalid_parameter(
                    py,
                    format!("compat `{other}` is not a compatibility mode: the one mode is `moto`"),
                ));
            }
            (None, None) => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "Server needs an engine or a configuration, or compat=\"moto\"",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "give compat= without an engine, or set server.compat in the configuration",
                ));
            }
            (Some(e), None) => e,
        };
        let audit = audit_log.map(|p| {
            if p.as_os_str() == "stdout" {
                AuditSink::Stdout
            } else {
                AuditSink::File(p)
            }
        });
        let engine: Py<Engine> = match engine.cast::<Engine>() {
            Ok(e) => e.clone().unbind(),
            Err(_) => {
                let kwargs = pyo3::types::PyDict::new(py);
                kwargs.set_item("ephemeral", true)?;
                let made = PyType::new::<Engine>(py).call((engine,), Some(&kwargs))?;
                made.cast_into::<Engine>()?.unbind()
            }
        };
        let host = host.parse::<IpAddr>().map_err(|_| {
            errors::invalid_parameter(py, format!("host `{host}` is not an IP address"))
        })?;
        Ok(Self {
            engine,
            host,
            port,
            audit,
            running: Mutex::new(None),
        })
    }

    /// Binds and starts serving (idempotent). Returns the server. `OSError` when the address
    /// cannot be bound.
    fn start(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        let py = slf.py();
        let this = slf.get();
        let mut guard = this.running.lock().unwrap_or_else(PoisonError::into_inner);
        if guard.is_some() {
            drop(guard);
            return Ok(slf);
        }
        // The options of the engine's configuration (the facade builds them for every front
        // end), with the audit log given here, if any.
        let runtime = this.engine.get().inner.runtime();
        let mut options = keyturn::server::options(runtime);
        if let Some(audit) = &this.audit {
            options.audit = audit.clone();
        }
        let backend = keyturn::server::backend(runtime);
        let addr = SocketAddr::new(this.host, this.port);
        let started = py.detach(|| {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("keyturn-server")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            let server = runtime
                .block_on(keyturn::server::Server::bind(addr, backend, options))
                .map_err(|e| e.to_string())?;
            let local = server.local_addr();
            Ok::<_, String>((Running { runtime, server }, local))
        });
        match started {
            Ok(r) => *guard = Some(r),
            Err(m) => return Err(PyOSError::new_err(m)),
        }
        drop(guard);
        Ok(slf)
    }

    /// Stops accepting, lets requests in flight finish and closes every connection (idempotent).
    fn stop(&self, py: Python<'_>) {
        self.stop_now(py);
    }

    /// Whether the server is serving.
    #[getter]
    fn running(&self) -> bool {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// `http://127.0.0.1:PORT`, for `endpoint_url=`.
    #[getter]
    fn endpoint_url(&self) -> PyResult<String> {
        let addr = self.addr()?;
        Ok(format!("http://{addr}"))
    }

    /// The port bound.
    #[getter]
    fn port(&self) -> PyResult<u16> {
        Ok(self.addr()?.port())
    }

    /// The region served.
    #[getter]
    fn region(&self) -> String {
        self.engine.get().inner.engine().region().to_owned()
    }

    /// The engine behind the server.
    #[getter]
    fn engine(&self, py: Python<'_>) -> Py<Engine> {
        self.engine.clone_ref(py)
    }

    /// The access key of a configured user (`"alice"`, `"ACCOUNT/alice"`) or account root.
    fn credentials(&self, py: Python<'_>, who: &str) -> PyResult<Credentials> {
        self.engine
            .get()
            .inner
            .credentials(who)
            .map(Credentials::from_act_as)
            .map_err(|e| errors::sts(py, &e))
    }

    fn __enter__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        Self::start(slf)
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.stop_now(py);
        false
    }

    fn __repr__(&self) -> String {
        match self.addr() {
            Ok(a) => format!("Server(endpoint_url='http://{a}')"),
            Err(_) => "Server(stopped)".to_owned(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let running = self
            .running
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some((r, _)) = running {
            r.stop();
        }
    }
}
