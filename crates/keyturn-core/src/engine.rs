//! The engine: authenticates requests (SigV4), builds the caller's context, authorizes with the
//! policy evaluator and runs the STS operations. It knows no HTTP server, no plugin loading and
//! no configuration file: the facade crate `keyturn` wires it.
//!
//! ```text
//! HttpParts ──auth──▶ Caller ──ops──▶ authorize (PolicyEvaluator) ──▶ CredentialSigner::mint
//!                        ▲
//!                  Snapshot (compiled IAM model, rebuilt when the store's generation changes)
//! ```

mod auth;
pub mod compat;
pub mod delegation;
mod keys;
mod last_used;
mod message;
pub mod outbound;
pub mod snapshot;
pub mod view;
pub mod workload;
mod write;

use crate::ErrorCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Instant;

use keyturn_sigv4::{Regions, SigningKeyCache, Verifier, VerifierConfig};

pub(crate) use auth::CallerEnv;
pub use auth::{Caller, CallerKind, signing_secret};
pub(crate) use keys::{ContextBuilder, KeySink};
pub use last_used::KeyUse;
pub use snapshot::Snapshot;

use crate::Error;
use crate::clock::Clock;
use crate::evaluator::{PolicyEvaluator, PolicyInputs, Verdict, intersect_scopes, with_scope_keys};
use crate::idp::IdentityProvider;
use crate::keyring::Keyring;
use crate::request::{HttpParts, Service};
use crate::signer::CredentialSigner;
use crate::store::IamStore;

/// Everything the engine is built from.
pub struct EngineParts {
    /// The IAM model's store.
    pub store: Arc<dyn IamStore>,
    /// Mints and opens session tokens and authorization messages.
    pub signer: Arc<dyn CredentialSigner>,
    /// Decides requests against policies.
    pub evaluator: Arc<dyn PolicyEvaluator>,
    /// The keyring: stable unique ids (`AIDA…`, `AROA…`) derive from it.
    pub keyring: Arc<Keyring>,
    /// The time source.
    pub clock: Arc<dyn Clock>,
    /// The region this endpoint answers as (its own ARNs, `aws:RequestedRegion`'s default).
    pub region: String,
    /// The regions whose credential scopes are accepted: `None` for every region of the `aws`
    /// partition (and `region`), or exactly these names.
    pub regions: Option<Vec<String>>,
    /// Identity providers for AssumeRoleWithWebIdentity and AssumeRoleWithSAML.
    pub identity_providers: Vec<Arc<dyn IdentityProvider>>,
    /// Moto compatibility (`server.compat: moto`): bootstrap credentials and moto's no-auth
    /// window. `None` for a normal endpoint.
    pub compat: Option<compat::MotoCompat>,
}

/// The STS engine. Cheap to share (`Arc<Engine>`); every method takes `&self`.
pub struct Engine {
    pub(crate) store: Arc<dyn IamStore>,
    pub(crate) signer: Arc<dyn CredentialSigner>,
    pub(crate) evaluator: Arc<dyn PolicyEvaluator>,
    pub(crate) keyring: Arc<Keyring>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) region: String,
    /// The regions whose credential scopes are accepted.
    pub(crate) regions: Regions,
    pub(crate) identity_providers: Vec<Arc<dyn IdentityProvider>>,
    pub(crate) compat: Option<compat::MotoCompat>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// The generation of the snapshot in use, read without the lock.
    generation: AtomicU64,
    /// When the engine started: the origin of `next_check_ms`.
    started: Instant,
    /// When (ms after `started`) to ask the store for its generation again.
    next_check_ms: AtomicU64,
    pub(crate) sts_verifier: Verifier,
    pub(crate) iam_verifier: Verifier,
    /// Verifiers of other services' requests ([`Engine::authenticate_for`]), made on first use.
    other_verifiers: Mutex<Vec<(String, Arc<Verifier>)>>,
    /// Serialises this engine's writes ([`Engine::change`]): writers in one process take turns
    /// instead of racing to a conflict; the store's compare-and-set covers other processes.
    write_lock: Mutex<()>,
    /// When each long-term key last signed a request (GetAccessKeyLastUsed), in memory.
    last_used: last_used::LastUsed,
    /// The outbound OIDC issuers' public URL and derived signing keys.
    pub(crate) outbound: outbound::Outbound,
    /// The partner-delegation flow's notification channels.
    pub(crate) delegation: delegation::Channels,
    /// Workload identity's derived certificate-authority keys.
    pub(crate) workload: workload::CaKeys,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("region", &self.region)
            .field("generation", &self.generation.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// How often (milliseconds) the engine asks the store whether the model changed.
pub const REFRESH_INTERVAL_MS: u64 = 1000;

/// The result of [`Engine::authorize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The evaluator's verdict.
    pub verdict: Verdict,
    /// On a denial, the encoded message that `DecodeAuthorizationMessage` opens.
    pub encoded_message: Option<String>,
}

impl Authorization {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.verdict.is_allowed()
    }
}

/// The regions an endpoint answering as `region` accepts: exactly `listed`, or (`None`) every
/// region of the `aws` partition and `region` itself.
fn served_regions(region: &str, listed: Option<Vec<String>>) -> Regions {
    match listed {
        Some(names) => Regions::Listed(names),
        None => Regions::Matching(crate::region::aws_region, vec![region.to_owned()]),
    }
}

/// `User: <arn> is not authorized to perform: <action> on resource: <resource>`.
pub fn not_authorized(caller_arn: &str, action: &str, resource: &str) -> Error {
    Error::new(
        ErrorCode::AccessDenied,
        format!(
            "User: {caller_arn} is not authorized to perform: {action} on resource: {resource}"
        ),
    )
}

/// The body of [`Engine::follow_store`]'s thread: rebuilds the snapshot whenever the store
/// announces a generation other than the snapshot's (only the newest announcement counts), until
/// the engine or the store is gone. A rebuild that fails (the store away, a model that does not
/// compile) keeps the current snapshot; the store announces again at its next check.
fn follow(engine: &std::sync::Weak<Engine>, announced: &std::sync::mpsc::Receiver<u64>) {
    while let Ok(mut generation) = announced.recv() {
        while let Ok(newer) = announced.try_recv() {
            generation = newer;
        }
        let Some(engine) = engine.upgrade() else {
            return;
        };
        if engine.generation.load(Ordering::Acquire) != generation {
            let _ = engine.reload();
        }
    }
}

impl Engine {
    /// Builds the engine and compiles the store's model.
    ///
    /// # Errors
    /// `MalformedPolicyDocument` naming the entity when a policy in the model is invalid;
    /// `InternalFailure` when the store cannot be read.
    pub fn new(parts: EngineParts) -> Result<Self, Error> {
        let loaded = parts.store.load()?;
        let generation = loaded.generation;
        let snapshot = Snapshot::build(loaded.data, generation, &parts.keyring)?;
        let regions = served_regions(&parts.region, parts.regions);
        let cfg = |service: &str| VerifierConfig::new(service).with_regions(regions.clone());
        let last_used = last_used::LastUsed::default();
        last_used.seed(parts.store.load_uses()?);
        Ok(Self {
            sts_verifier: Verifier::with_cache(cfg("sts"), SigningKeyCache::new(4096)),
            iam_verifier: Verifier::with_cache(cfg("iam"), SigningKeyCache::new(1024)),
            other_verifiers: Mutex::new(Vec::new()),
            last_used,
            store: parts.store,
            signer: parts.signer,
            evaluator: parts.evaluator,
            keyring: parts.keyring,
            clock: parts.clock,
            region: parts.region,
            regions,
            identity_providers: parts.identity_providers,
            compat: parts.compat,
            snapshot: RwLock::new(Arc::new(snapshot)),
            generation: AtomicU64::new(generation),
            started: Instant::now(),
            next_check_ms: AtomicU64::new(REFRESH_INTERVAL_MS),
            write_lock: Mutex::new(()),
            outbound: outbound::Outbound::default(),
            delegation: delegation::Channels::default(),
            workload: workload::CaKeys::default(),
        })
    }

    /// The region the endpoint answers as.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The regions whose credential scopes are accepted (`server.regions`; by default every
    /// region of the `aws` partition), for a verifier built outside the engine.
    pub fn regions(&self) -> &Regions {
        &self.regions
    }

    /// Whether credentials scoped to `region` are accepted.
    pub fn serves_region(&self, region: &str) -> bool {
        self.regions.accepts(region)
    }

    /// The moto compatibility, when the engine was built with it.
    pub fn moto_compat(&self) -> Option<&compat::MotoCompat> {
        self.compat.as_ref()
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn IamStore> {
        &self.store
    }

    /// The signer.
    pub fn signer(&self) -> &Arc<dyn CredentialSigner> {
        &self.signer
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The compiled model. At most every [`REFRESH_INTERVAL_MS`] a request asks the store for
    /// its generation (for SQLite, a query) and rebuilds the snapshot if the model changed
    /// (never when the engine follows the store's change feed: [`Engine::follow_store`]);
    /// otherwise this is an atomic load, a clock read and an `Arc` clone under a read lock.
    /// A rebuild that fails (a store error, an invalid policy written by another process) keeps
    /// the current snapshot and is retried at the next interval.
    ///
    /// # Errors
    /// None today; the `Result` leaves room for stores that must fail closed.
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, Error> {
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if now_ms >= self.next_check_ms.load(Ordering::Relaxed) {
            self.next_check_ms.store(
                now_ms.saturating_add(REFRESH_INTERVAL_MS),
                Ordering::Relaxed,
            );
            // A store that cannot be reached keeps the current snapshot (asked again later).
            if self
                .store
                .generation()
                .is_ok_and(|g| g != self.generation.load(Ordering::Acquire))
            {
                let _ = self.reload();
            }
        }
        Ok(Arc::clone(
            &self.snapshot.read().unwrap_or_else(PoisonError::into_inner),
        ))
    }

    /// Follows the store's change feed ([`crate::store::StoreRead::watch`]) when it has one: a
    /// thread of the engine's own rebuilds the snapshot as soon as the store announces a
    /// generation other than the snapshot's (another node's commit, a reconnection, the store's
    /// periodic check), and requests stop asking the store themselves, so none waits on it.
    /// Returns whether the store has a feed (memory and SQLite have none: requests keep asking
    /// every [`REFRESH_INTERVAL_MS`]). The thread ends with the engine.
    pub fn follow_store(self: &Arc<Self>) -> bool {
        let (announce, announced) = std::sync::mpsc::channel::<u64>();
        let on_change = Box::new(move |generation| {
            // The engine gone, nobody listens: nothing to do.
            let _ = announce.send(generation);
        });
        if !self.store.watch(on_change) {
            return false;
        }
        let engine = Arc::downgrade(self);
        let spawned = std::thread::Builder::new()
            .name("keyturn-reload".to_owned())
            .spawn(move || follow(&engine, &announced));
        if spawned.is_err() {
            // Without the thread, requests keep asking the store as before.
            return false;
        }
        self.next_check_ms.store(u64::MAX, Ordering::Relaxed);
        true
    }

    /// Rebuilds the snapshot from the store now.
    ///
    /// # Errors
    /// As [`Engine::snapshot`].
    pub fn reload(&self) -> Result<(), Error> {
        let loaded = self.store.load()?;
        let snapshot = Snapshot::build(loaded.data, loaded.generation, &self.keyring)?;
        self.install(Arc::new(snapshot));
        Ok(())
    }

    /// Makes `snapshot` the one requests use.
    fn install(&self, snapshot: Arc<Snapshot>) {
        let generation = snapshot.generation;
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = snapshot;
        self.generation.store(generation, Ordering::Release);
    }

    /// Authorizes `action` on `resource` for `caller`, with `extra` condition keys (name, values).
    /// On a denial the result carries an encoded authorization message sealed with the keyring.
    ///
    /// # Errors
    /// `InternalFailure` if the evaluator or the signer fails.
    pub fn authorize(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        extra: &[(&str, &[&str])],
    ) -> Result<Authorization, Error> {
        let policies = caller.policies(&caller.snapshot)?;
        let resource_account = keyturn_policy::Principal::from_arn(resource)
            .map(|p| p.account)
            .or_else(|| resource.split(':').nth(4).map(str::to_owned))
            .filter(|a| !a.is_empty())
            // AWS's own resources (`arn:aws:iam::aws:policy/...`) belong to no account: reading
            // them needs only the caller's identity policies, never a resource policy. Nor do
            // an organization's own (workload identity's ORGANIZATION-scoped providers and
            // templates, `arn:aws:iam::o-…:`) for an account of that organization.
            .map(|a| {
                let own_org = || {
                    caller
                        .snapshot
                        .data
                        .organization
                        .as_deref()
                        .is_some_and(|o| o.id == a && o.has_account(&caller.account))
                };
                if a == "aws" || (a.starts_with("o-") && own_org()) {
                    caller.account.clone()
                } else {
                    a
                }
            });
        let inputs = PolicyInputs {
            identity: &policies.identity,
            resource: None,
            resource_account: resource_account.as_deref(),
            boundary: policies.boundary.as_deref(),
            session: &policies.session,
            scps: caller.scp_levels(),
            rcps: caller
                .snapshot
                .rcp_levels(resource_account.as_deref(), action),
        };
        let evaluator = &*self.evaluator;
        let needs = with_scope_keys(evaluator, evaluator.key_needs(&inputs), &policies.scopes);
        let mut ctx = caller.context_builder(action, resource, &needs);
        caller
            .snapshot
            .put_resource_org_keys(&mut ctx, resource_account.as_deref());
        for (k, vs) in extra {
            ctx.put_runtime(k, || vs.iter().map(|v| (*v).to_owned()).collect());
        }
        let ctx = ctx.finish();
        let decide = |explain| {
            let verdict = evaluator.evaluate(&inputs, &ctx, explain)?;
            intersect_scopes(
                evaluator,
                &policies.scopes,
                &caller.account,
                &ctx,
                verdict,
                explain,
            )
        };
        let verdict = decide(false)?;
        if verdict.is_allowed() {
            return Ok(Authorization {
                verdict,
                encoded_message: None,
            });
        }
        let verdict = decide(true)?;
        let message = message::authorization_message(caller, action, resource, extra, &verdict);
        let encoded = self.signer.seal_message(message.as_bytes())?;
        Ok(Authorization {
            verdict,
            encoded_message: Some(encoded),
        })
    }

    /// Authorizes and turns a denial into AWS's `AccessDenied` error (with the encoded message
    /// appended as AWS does for services that return one).
    pub(crate) fn require(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        extra: &[(&str, &[&str])],
    ) -> Result<(), Error> {
        let a = self.authorize(caller, action, resource, extra)?;
        if a.is_allowed() {
            return Ok(());
        }
        let message = format!(
            "User: {} is not authorized to perform: {action} on resource: {resource}",
            caller.arn
        );
        Err(match a.encoded_message {
            Some(encoded_message) => Error::access_denied_encoded(message, encoded_message),
            None => Error::new(ErrorCode::AccessDenied, message),
        })
    }

    /// The `AccessDenied` error of a denied evaluation, with its encoded authorization message.
    pub(crate) fn denial(
        &self,
        caller: &Caller,
        action: &str,
        resource: &str,
        inputs: &PolicyInputs<'_>,
        ctx: &keyturn_policy::RequestContext,
        extra: &[(&str, &[&str])],
    ) -> Error {
        let message = format!(
            "User: {} is not authorized to perform: {action} on resource: {resource}",
            caller.arn
        );
        let evaluator = &*self.evaluator;
        let sealed = evaluator
            .evaluate(inputs, ctx, true)
            .and_then(|verdict| {
                // A scoped session's explanation names its scope-down policies too.
                match caller
                    .session
                    .as_ref()
                    .filter(|s| !s.scope_policies.is_empty())
                {
                    Some(_) => {
                        let scopes = caller.policies(&caller.snapshot)?.scopes;
                        intersect_scopes(evaluator, &scopes, &caller.account, ctx, verdict, true)
                    }
                    None => Ok(verdict),
                }
            })
            .and_then(|verdict| {
                let doc = message::authorization_message(caller, action, resource, extra, &verdict);
                self.signer.seal_message(doc.as_bytes())
            });
        match sealed {
            Ok(encoded_message) => Error::access_denied_encoded(message, encoded_message),
            Err(_) => Error::new(ErrorCode::AccessDenied, message),
        }
    }

    /// Authenticates a request to STS or IAM: verifies its SigV4 signature (the key from the
    /// model, or the secret inside its session token) and returns the caller.
    ///
    /// # Errors
    /// The SigV4 and credential errors with AWS's codes and texts.
    pub fn authenticate(&self, http: &HttpParts<'_>, service: Service) -> Result<Caller, Error> {
        let verifier = match service {
            Service::Sts => &self.sts_verifier,
            Service::Iam => &self.iam_verifier,
        };
        let caller = auth::authenticate(self, verifier, http)?;
        self.note_use(&caller, service.signing_name());
        Ok(caller)
    }

    /// Records the use of a long-term key that signed a request for `service` (at most once a
    /// minute per key: see `engine/last_used.rs`).
    fn note_use(&self, caller: &Caller, service: &str) {
        if matches!(caller.kind, CallerKind::Root | CallerKind::User) {
            // The request's time as authentication read it (no second clock read).
            // The region is the one the request was signed for (the endpoint it was meant for).
            self.last_used.record(
                &caller.access_key_id,
                caller.env.now,
                service,
                &caller.env.region,
            );
        }
    }

    /// When, for which service and in which region the long-term key `access_key_id` last
    /// signed a request (as this engine saw it, or saved in the store when it started); `None`
    /// when it has not.
    pub fn access_key_last_used(&self, access_key_id: &str) -> Option<KeyUse> {
        self.last_used.get(access_key_id)
    }

    /// Records that the role with unique id `role_id` was assumed at `now` through the endpoint
    /// of `region` (at most once a minute per role, as for keys).
    pub(crate) fn note_role_use(&self, role_id: &str, now: time::OffsetDateTime, region: &str) {
        self.last_used.record(role_id, now, "sts", region);
    }

    /// When and in which region the role with unique id `role_id` was last assumed.
    pub fn role_last_used(&self, role_id: &str) -> Option<KeyUse> {
        self.last_used.get(role_id)
    }

    /// Saves the last uses recorded since the previous call to the store, in one write (the
    /// server calls this every few seconds and when it stops). Returns how many it saved.
    ///
    /// # Errors
    /// `InternalFailure` when the store cannot be written; the records are kept and saved by
    /// the next call.
    pub fn save_last_used(&self) -> Result<usize, Error> {
        let records = self.last_used.take_unsaved();
        if records.is_empty() {
            return Ok(0);
        }
        match self.store.record_uses(&records) {
            Ok(()) => Ok(records.len()),
            Err(e) => {
                self.last_used.unsave(&records);
                Err(e.into())
            }
        }
    }

    /// Authenticates a request signed for any service, by its SigV4 signing name (`s3`,
    /// `execute-api`, ...), for programs that embed Keyturn to check their own requests. `s3`
    /// requests are verified with S3's canonicalisation and may carry `UNSIGNED-PAYLOAD`.
    ///
    /// # Errors
    /// The SigV4 and credential errors with AWS's codes and texts.
    pub fn authenticate_for(
        &self,
        http: &HttpParts<'_>,
        signing_name: &str,
    ) -> Result<Caller, Error> {
        match signing_name {
            "sts" => return self.authenticate(http, Service::Sts),
            "iam" => return self.authenticate(http, Service::Iam),
            _ => {}
        }
        let verifier = self.other_verifier(signing_name, false);
        let caller = auth::authenticate(self, &verifier, http)?;
        self.note_use(&caller, signing_name);
        Ok(caller)
    }

    /// Authenticates an upload signed for `signing_name` whose body may be `aws-chunked` (S3's
    /// streaming payloads, SigV4 or SigV4a): the caller and, for a chunked payload, the body's
    /// verifier, seeded with the request's signature. The headers are verified as
    /// [`Engine::authenticate_for`] verifies them.
    ///
    /// # Errors
    /// The signature's errors as the verifier gives them (a chunked header that cannot be used
    /// is `SigV4Error::Chunked`, with S3's code); the credentials' as `VerifyError::Lookup`.
    pub fn authenticate_upload(
        &self,
        http: &HttpParts<'_>,
        signing_name: &str,
    ) -> Result<(Caller, Option<keyturn_sigv4::ChunkedBody>), keyturn_sigv4::VerifyError<Error>>
    {
        let verifier = self.other_verifier(signing_name, true);
        let mut body = None;
        let caller = auth::authenticate_with(self, &verifier, http, |b| body = b)?;
        self.note_use(&caller, signing_name);
        Ok((caller, body))
    }

    /// The verifier of requests signed for `signing_name` (other than STS and IAM), made on
    /// first use and kept with its signing-key cache; `chunked`: one that also accepts
    /// `aws-chunked` payloads.
    fn other_verifier(&self, signing_name: &str, chunked: bool) -> Arc<Verifier> {
        let mut list = self
            .other_verifiers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, v)) = list
            .iter()
            .find(|(s, v)| s == signing_name && v.config().allow_chunked == chunked)
        {
            return Arc::clone(v);
        }
        let mut config = VerifierConfig::new(signing_name).with_regions(self.regions.clone());
        if signing_name == "s3" {
            config.settings = keyturn_sigv4::SigningSettings::s3();
            config.allow_unsigned_payload = true;
        }
        config.allow_chunked = chunked;
        let v = Arc::new(Verifier::with_cache(config, SigningKeyCache::new(1024)));
        list.push((signing_name.to_owned(), Arc::clone(&v)));
        v
    }

    /// Authenticates credentials presented directly, without a signed request (an embedding
    /// program acting as a user or a session): the secret must match the key's, and a session
    /// token must open and name the key id. `http` gives the environment's condition keys, if
    /// there is a request.
    ///
    /// # Errors
    /// `InvalidClientTokenId` for an unknown or inactive key or a bad token, `ExpiredToken`,
    /// `SignatureDoesNotMatch` for a wrong secret.
    pub fn authenticate_credentials(
        &self,
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
        http: Option<&HttpParts<'_>>,
    ) -> Result<Caller, Error> {
        auth::authenticate_credentials(self, access_key_id, secret_access_key, session_token, http)
    }

    /// The caller that a long-term access key id stands for, as if it signed a request now.
    ///
    /// # Errors
    /// `InvalidClientTokenId` for an unknown or inactive key.
    pub fn caller_for_access_key(&self, access_key_id: &str) -> Result<Caller, Error> {
        auth::caller_for_long_term(self, self.snapshot()?, access_key_id, None)
    }

    /// The active access keys of a user (`name`, in any account; or `ACCOUNT/name`), or of an
    /// account's root (`ACCOUNT`): (access key id, secret) pairs, in model order.
    ///
    /// # Errors
    /// `NoSuchEntity` when no such user or account exists.
    pub fn credentials_of(&self, who: &str) -> Result<Vec<(String, String)>, Error> {
        let snapshot = self.snapshot()?;
        let (account, name) = match who.split_once('/') {
            Some((a, n)) => (Some(a), Some(n)),
            None if who.len() == 12 && who.bytes().all(|b| b.is_ascii_digit()) => (Some(who), None),
            None => (None, Some(who)),
        };
        let mut out = Vec::new();
        let mut found = false;
        for a in &snapshot.data.accounts {
            if account.is_some_and(|x| x != a.id) {
                continue;
            }
            match name {
                None => {
                    found = true;
                    out.extend(
                        a.root
                            .access_keys
                            .iter()
                            .map(|k| (k.id.clone(), k.secret.expose().to_owned())),
                    );
                }
                Some(n) => {
                    for u in a.users.iter().filter(|u| u.name == n) {
                        found = true;
                        out.extend(
                            u.access_keys
                                .iter()
                                .filter(|k| k.status == crate::iam::AccessKeyStatus::Active)
                                .map(|k| (k.id.clone(), k.secret.expose().to_owned())),
                        );
                    }
                }
            }
            if found {
                break;
            }
        }
        if !found {
            return Err(Error::new(
                ErrorCode::NoSuchEntity,
                format!("The user with name {who} cannot be found."),
            ));
        }
        Ok(out)
    }
}
