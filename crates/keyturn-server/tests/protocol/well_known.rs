//! `GET …/.well-known/…`: the backend's OIDC issuer documents (outbound web identity
//! federation), answered as JSON before any Query parsing; the public URL handed to the backend
//! when the server binds.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use keyturn_api::{Params, XmlWriter};
use keyturn_core::Error;
use keyturn_core::ops::{Backend, Dispatch};
use keyturn_core::request::{CallerIdentity, HttpParts};
use keyturn_server::{Server, ServerOptions};

use crate::client::{connect, send};
use crate::fake::{rt, shutdown_within_5s};

/// A backend that publishes one document and records the public URL it is given.
#[derive(Default)]
struct Issuer {
    public_url: Mutex<Vec<String>>,
}

impl Backend for Issuer {
    fn handle(
        &self,
        _op: &'static dyn Dispatch,
        _http: &HttpParts<'_>,
        _params: &Params<'_>,
        _identity: Option<&mut Option<CallerIdentity>>,
        _w: &mut XmlWriter,
    ) -> Result<(), Error> {
        Ok(())
    }

    fn well_known(&self, path: &str) -> Option<String> {
        (path == "/outbound/222222222222/.well-known/jwks.json")
            .then(|| r#"{"keys":[]}"#.to_owned())
    }

    fn set_public_url(&self, url: &str) {
        self.public_url.lock().unwrap().push(url.to_owned());
    }
}

fn serve(options: ServerOptions) {
    let rt = rt();
    let issuer = Arc::new(Issuer::default());
    let backend: Arc<dyn Backend> = issuer.clone();
    let configured = options.public_url.clone();
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = rt.block_on(Server::bind(addr, backend, options)).unwrap();
    let expected = configured.unwrap_or_else(|| format!("http://{}", server.local_addr()));
    assert_eq!(*issuer.public_url.lock().unwrap(), vec![expected]);

    let ok = send(
        &mut connect(&server),
        "GET",
        "/outbound/222222222222/.well-known/jwks.json",
        b"",
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, r#"{"keys":[]}"#);
    let header = |name: &str| {
        ok.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("content-type").as_deref(), Some("application/json"));
    assert!(header("x-amzn-requestid").is_some());
    for path in [
        "/outbound/111111111111/.well-known/jwks.json",
        "/.well-known/openid-configuration",
    ] {
        let missing = send(&mut connect(&server), "GET", path, b"");
        assert_eq!(
            (missing.status, missing.body.as_str()),
            (404, "{}"),
            "{path}"
        );
    }
    shutdown_within_5s(&rt, server);
}

#[test]
fn documents_are_served_and_the_bound_address_is_the_default_public_url() {
    serve(ServerOptions::default());
}

#[test]
fn a_configured_public_url_is_handed_to_the_backend() {
    serve(ServerOptions {
        public_url: Some("https://sts.example.com".into()),
        ..ServerOptions::default()
    });
}
