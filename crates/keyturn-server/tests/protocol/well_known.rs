//! `GET …/.well-known/…`: the backend's OIDC issuer documents (outbound web identity
//! federation), answered as JSON before any Query parsing; the public URL handed to the backend
//! when the server binds.

use keyturn_server::ServerOptions;

use crate::client::{connect, send};
use crate::fake::{JWKS, JWKS_PATH, rt, shutdown_within_5s, start};

/// Serves the fake with `options`: the public URL it was handed (the configured one, else the
/// bound address), its document, and 404 for the paths it does not publish.
fn serve(options: ServerOptions) {
    let rt = rt();
    let configured = options.public_url.clone();
    let (server, fake) = start(&rt, options);
    let expected = configured.unwrap_or_else(|| format!("http://{}", server.local_addr()));
    assert_eq!(*fake.public_urls.lock().unwrap(), vec![expected]);

    let ok = send(&mut connect(&server), "GET", JWKS_PATH, b"");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, JWKS);
    assert_eq!(ok.header("content-type"), Some("application/json"));
    assert!(ok.header("x-amzn-requestid").is_some());
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
