//! `Server`: the real Keyturn HTTP endpoint in-process, on a loopback port, served by a tokio
//! runtime of the addon's own. Starting and stopping run off the JavaScript thread (napi async
//! tasks) and return Promises.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use keyturn_facade::embedded::Embedded;
use keyturn_facade::server::RunningServer;
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::convert::run;
use crate::{Credentials, Engine};

/// The addon's tokio runtime: two workers, started on first use, shared by every server.
fn runtime() -> napi::Result<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("keyturn-server")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| napi::Error::from_reason(format!("cannot start the server runtime: {e}")))
}

/// Options of `Server.start`.
#[napi(object)]
#[derive(Debug, Clone, Default)]
pub struct ServerStartOptions {
    /// The loopback port (default 0: a free one).
    pub port: Option<u16>,
}

/// A running Keyturn STS endpoint (`http://127.0.0.1:PORT`) over an engine.
#[napi]
pub struct Server {
    engine: Arc<Embedded>,
    addr: SocketAddr,
    running: Arc<Mutex<Option<RunningServer>>>,
}

/// Binds and starts the server off the JavaScript thread.
pub struct StartServer {
    engine: Arc<Embedded>,
    addr: SocketAddr,
}

impl Task for StartServer {
    type Output = RunningServer;
    type JsValue = Server;

    fn compute(&mut self) -> napi::Result<RunningServer> {
        // The facade's options of the engine's configuration, audit log included.
        let addr = self.addr;
        runtime()?
            .block_on(keyturn_facade::server::start(self.engine.runtime(), addr))
            .map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    fn resolve(&mut self, _env: Env, output: RunningServer) -> napi::Result<Server> {
        Ok(Server {
            engine: Arc::clone(&self.engine),
            addr: output.local_addr(),
            running: Arc::new(Mutex::new(Some(output))),
        })
    }
}

/// Stops the server off the JavaScript thread.
pub struct StopServer {
    running: Option<RunningServer>,
}

impl Task for StopServer {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<()> {
        if let Some(r) = self.running.take() {
            runtime()?.block_on(r.shutdown());
        }
        Ok(())
    }

    fn resolve(&mut self, _env: Env, _output: ()) -> napi::Result<()> {
        Ok(())
    }
}

#[napi]
impl Server {
    /// Starts an STS endpoint over `engine` on a loopback port; resolves when it accepts
    /// connections.
    #[napi(ts_return_type = "Promise<Server>")]
    pub fn start(engine: &Engine, options: Option<ServerStartOptions>) -> AsyncTask<StartServer> {
        let port = options.and_then(|o| o.port).unwrap_or(0);
        AsyncTask::new(StartServer {
            engine: Arc::clone(&engine.inner),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        })
    }

    /// `http://127.0.0.1:PORT`: the AWS SDK's `endpoint`.
    #[napi(getter)]
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The region the endpoint serves (the SDK client's `region`).
    #[napi(getter)]
    pub fn region(&self) -> String {
        self.engine.engine().region().to_owned()
    }

    /// The long-term credentials of a configured user (`alice`, `222222222222/alice`).
    #[napi]
    pub fn credentials(&self, env: Env, name: String) -> napi::Result<Credentials> {
        run(&env, || {
            let a = self
                .engine
                .credentials(&name)
                .map_err(crate::convert::sts_error)?;
            Ok(Credentials {
                access_key_id: a.access_key_id,
                secret_access_key: a.secret_access_key,
                session_token: None,
            })
        })
    }

    /// Stops accepting, lets in-flight requests finish; resolves when every connection is
    /// closed. Stopping twice is harmless.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn stop(&self) -> AsyncTask<StopServer> {
        let running = self
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        AsyncTask::new(StopServer { running })
    }
}
