//! The fake backend: an `ops::Backend` that decodes with the generated input of `op.action()`
//! and writes a canned generated output; it publishes one OIDC issuer document ([`JWKS_PATH`])
//! and records the public URLs the server hands it.

use std::any::Any;
use std::sync::{Arc, Mutex};

use keyturn_api::{Input, Output, iam, sts};
use keyturn_core::ops::{Backend, Dispatch, Params, XmlWriter};
use keyturn_core::request::{CallerIdentity, HttpParts, Service};
use keyturn_core::{Error, ErrorCode};
use keyturn_server::{RunningServer, Server, ServerOptions};
use std::net::SocketAddr;
use time::macros::datetime;

pub(crate) const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
pub(crate) const TOKEN: &str = "FQoGZXIvYXdzSESSIONTOKENSECRET";

/// What the fake saw of the last request it answered.
pub(crate) struct Seen {
    pub(crate) service: Service,
    pub(crate) action: &'static str,
    pub(crate) method: String,
    pub(crate) body: String,
    /// The decoded input (the generated request shape of `action`).
    pub(crate) input: Box<dyn Any + Send>,
}

/// The one `.well-known` document the fake publishes (its body is [`JWKS`]).
pub(crate) const JWKS_PATH: &str = "/outbound/222222222222/.well-known/jwks.json";
pub(crate) const JWKS: &str = r#"{"keys":[]}"#;

#[derive(Default)]
pub(crate) struct Fake {
    pub(crate) last: Mutex<Option<Seen>>,
    /// The public URLs the server handed the backend, in order.
    pub(crate) public_urls: Mutex<Vec<String>>,
}

impl Fake {
    pub(crate) fn take(&self) -> Seen {
        self.last.lock().unwrap().take().unwrap()
    }
}

pub(crate) fn creds() -> Option<sts::Credentials> {
    Some(sts::Credentials {
        access_key_id: "ASIAY34FZKBOKMUTVV7A".into(),
        secret_access_key: SECRET.into(),
        session_token: TOKEN.into(),
        expiration: datetime!(2026-11-28 12:00:00 UTC),
    })
}

pub(crate) fn user() -> Option<sts::AssumedRoleUser> {
    Some(sts::AssumedRoleUser {
        assumed_role_id: "AROA3XFRBF535PLBIFPI4:s1".into(),
        arn: "arn:aws:sts::111111111111:assumed-role/UpdateApp/s1".into(),
    })
}

pub(crate) fn simulation() -> iam::SimulatePolicyResponse {
    iam::SimulatePolicyResponse {
        evaluation_results: Some(vec![iam::EvaluationResult {
            eval_action_name: "s3:PutObject".into(),
            eval_resource_name: Some("arn:aws:s3:::app/*".into()),
            eval_decision: "allowed".into(),
            matched_statements: Some(vec![iam::Statement {
                source_policy_id: Some("app-bucket-rw".into()),
                source_policy_type: Some("role".into()),
                start_position: Some(iam::Position {
                    line: Some(1),
                    column: Some(2),
                }),
                end_position: Some(iam::Position {
                    line: Some(3),
                    column: Some(4),
                }),
            }]),
            missing_context_values: Some(vec![]),
            eval_decision_details: Some(vec![("IAM Policy".into(), "allowed".into())]),
            ..Default::default()
        }]),
        is_truncated: Some(false),
        marker: None,
    }
}

/// The canned output of `action`.
pub(crate) fn canned(action: &str) -> Box<dyn Output> {
    match action {
        "AssumeRole" => Box::new(sts::AssumeRoleResponse {
            credentials: creds(),
            assumed_role_user: user(),
            packed_policy_size: Some(6),
            source_identity: Some("alice".into()),
            ..Default::default()
        }),
        "AssumeRoleWithSAML" => Box::new(sts::AssumeRoleWithSAMLResponse {
            credentials: creds(),
            assumed_role_user: user(),
            subject: Some("alice<&>".into()),
            subject_type: Some("transient".into()),
            issuer: Some("https://idp.example.com".into()),
            audience: Some("https://signin.aws.amazon.com/saml".into()),
            name_qualifier: Some("abc=".into()),
            ..Default::default()
        }),
        "AssumeRoleWithWebIdentity" => Box::new(sts::AssumeRoleWithWebIdentityResponse {
            credentials: creds(),
            subject_from_web_identity_token: Some("subject-1".into()),
            assumed_role_user: user(),
            provider: Some("accounts.google.com".into()),
            audience: Some("client-id".into()),
            ..Default::default()
        }),
        "AssumeRoot" => Box::new(sts::AssumeRootResponse {
            credentials: creds(),
            ..Default::default()
        }),
        "DecodeAuthorizationMessage" => Box::new(sts::DecodeAuthorizationMessageResponse {
            decoded_message: Some("{\"allowed\":false,\"x\":\"<&>\"}".into()),
        }),
        "GetAccessKeyInfo" => Box::new(sts::GetAccessKeyInfoResponse {
            account: Some("609629065308".into()),
        }),
        "GetCallerIdentity" => Box::new(sts::GetCallerIdentityResponse {
            user_id: Some("AIDAEXAMPLE".into()),
            account: Some("222222222222".into()),
            arn: Some("arn:aws:iam::222222222222:user/alice".into()),
        }),
        "GetDelegatedAccessToken" => Box::new(sts::GetDelegatedAccessTokenResponse {
            credentials: creds(),
            packed_policy_size: Some(1),
            assumed_principal: Some("arn:aws:iam::111111111111:root".into()),
        }),
        "GetFederationToken" => Box::new(sts::GetFederationTokenResponse {
            credentials: creds(),
            federated_user: Some(sts::FederatedUser {
                federated_user_id: "222222222222:bob".into(),
                arn: "arn:aws:sts::222222222222:federated-user/bob".into(),
            }),
            packed_policy_size: Some(3),
            ..Default::default()
        }),
        "GetSessionToken" => Box::new(sts::GetSessionTokenResponse {
            credentials: creds(),
            ..Default::default()
        }),
        "GetWebIdentityToken" => Box::new(sts::GetWebIdentityTokenResponse {
            web_identity_token: Some("eyJhbGciOiJSUzI1NiJ9.SECRETJWT.sig".into()),
            expiration: Some(datetime!(2026-11-28 12:05:00 UTC)),
        }),
        "SimulatePrincipalPolicy" | "SimulateCustomPolicy" => Box::new(simulation()),
        other => panic!("the fake has no output for {other}"),
    }
}

/// Decodes and validates `p` as `action`'s generated input, as the engine does first.
pub(crate) fn decode(action: &str, p: &Params<'_>) -> Result<Box<dyn Any + Send>, Error> {
    fn with<I: Input + Send + 'static>(p: &Params<'_>) -> Result<Box<dyn Any + Send>, Error> {
        Ok(Box::new(I::from_query(p)?))
    }
    match action {
        "AssumeRole" => with::<sts::AssumeRoleRequest>(p),
        "AssumeRoleWithSAML" => with::<sts::AssumeRoleWithSAMLRequest>(p),
        "AssumeRoleWithWebIdentity" => with::<sts::AssumeRoleWithWebIdentityRequest>(p),
        "AssumeRoot" => with::<sts::AssumeRootRequest>(p),
        "DecodeAuthorizationMessage" => with::<sts::DecodeAuthorizationMessageRequest>(p),
        "GetAccessKeyInfo" => with::<sts::GetAccessKeyInfoRequest>(p),
        "GetCallerIdentity" => with::<sts::GetCallerIdentityRequest>(p),
        "GetDelegatedAccessToken" => with::<sts::GetDelegatedAccessTokenRequest>(p),
        "GetFederationToken" => with::<sts::GetFederationTokenRequest>(p),
        "GetSessionToken" => with::<sts::GetSessionTokenRequest>(p),
        "GetWebIdentityToken" => with::<sts::GetWebIdentityTokenRequest>(p),
        "SimulatePrincipalPolicy" => with::<iam::SimulatePrincipalPolicyRequest>(p),
        "SimulateCustomPolicy" => with::<iam::SimulateCustomPolicyRequest>(p),
        other => panic!("the fake does not decode {other}"),
    }
}

impl Backend for Fake {
    fn handle(
        &self,
        op: &'static dyn Dispatch,
        http: &HttpParts<'_>,
        params: &Params<'_>,
        identity: Option<&mut Option<CallerIdentity>>,
        w: &mut XmlWriter,
    ) -> Result<(), Error> {
        // The server asks for the caller only when its audit log is on.
        if let Some(caller) = identity {
            *caller = Some(CallerIdentity {
                identity_type: "IAMUser".into(),
                principal_id: "AIDAEXAMPLE".into(),
                arn: "arn:aws:iam::222222222222:user/alice".into(),
                account_id: "222222222222".into(),
                access_key_id: "AKIAEXAMPLE".into(),
            });
        }
        let input = decode(op.action(), params)?;
        if let Some(r) = input.downcast_ref::<sts::AssumeRoleRequest>() {
            match r.role_session_name.as_str() {
                "panic-now" => panic!("backend bug"),
                "denied" => {
                    return Err(Error::new(
                        ErrorCode::AccessDenied,
                        "User: x is not authorized",
                    ));
                }
                "denied-encoded" => {
                    return Err(Error::access_denied_encoded(
                        "User: x is not authorized",
                        "sealed<decision>".to_owned(),
                    ));
                }
                _ => {}
            }
        }
        canned(op.action()).write_xml(w);
        *self.last.lock().unwrap() = Some(Seen {
            service: op.service(),
            action: op.action(),
            method: http.request.method.to_owned(),
            body: String::from_utf8_lossy(http.request.body).into_owned(),
            input,
        });
        Ok(())
    }

    fn well_known(&self, path: &str) -> Option<String> {
        (path == JWKS_PATH).then(|| JWKS.to_owned())
    }

    fn set_public_url(&self, url: &str) {
        self.public_urls.lock().unwrap().push(url.to_owned());
    }
}

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

pub(crate) fn start(
    rt: &tokio::runtime::Runtime,
    options: ServerOptions,
) -> (RunningServer, Arc<Fake>) {
    let fake = Arc::new(Fake::default());
    let backend: Arc<dyn Backend> = fake.clone();
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = rt.block_on(Server::bind(addr, backend, options)).unwrap();
    (server, fake)
}

/// The default options with the body limit `max_body_bytes`.
pub(crate) fn body_limit(max_body_bytes: usize) -> ServerOptions {
    ServerOptions {
        max_body_bytes,
        ..ServerOptions::default()
    }
}

/// Shuts the server down, which must complete within five seconds.
pub(crate) fn shutdown_within_5s(rt: &tokio::runtime::Runtime, server: RunningServer) {
    rt.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(5), server.shutdown()).await
    })
    .unwrap();
}
