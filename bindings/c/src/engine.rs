//! The engine and its results as opaque handles: `kt_engine`, `kt_caller`, `kt_decision`,
//! `kt_credentials`. Every handle is created by one `kt_*` call through a `*_out` pointer and
//! released with its own `_free`. Strings returned by accessors are NUL-terminated and owned by
//! the handle: valid until it is freed.

#![allow(non_camel_case_types, reason = "C naming, as in keyturn.h")]

use std::ffi::{CString, c_char};
use std::net::IpAddr;

use keyturn_facade::api::sts::AssumeRoleRequest;
use keyturn_facade::embedded::{ActAs, EmbedOptions, Embedded, ReceivedRequest};
use keyturn_facade::ops::sts::AssumeRole;
use keyturn_facade::{Authorization, Caller};
use time::OffsetDateTime;

use crate::boundary::{Failure, c_bytes, c_str, c_str_len, c_str_opt, guard, write_out};
use crate::status::kt_status;

/// An embedded Keyturn engine. Thread-safe: one engine may serve many threads at once.
pub struct kt_engine {
    pub(crate) inner: Embedded,
}

/// An authenticated caller (the result of verifying a request).
pub struct kt_caller {
    caller: Caller,
    arn: CString,
    account: CString,
    user_id: CString,
    access_key_id: CString,
}

/// An authorization decision with its reasons.
pub struct kt_decision {
    allowed: bool,
    outcome: CString,
    reasons: Vec<CString>,
    statements: Vec<(CString, Option<CString>, bool)>,
    encoded_message: Option<CString>,
}

/// A set of AWS credentials: long-term (no session token, expiration 0) or temporary.
pub struct kt_credentials {
    access_key_id: CString,
    secret_access_key: CString,
    session_token: Option<CString>,
    expiration: i64,
    user_arn: Option<CString>,
}

/// Options for creating an engine. Zero-initialise it (`kt_engine_options o = {0};`) for the
/// defaults; new fields are only ever added at the end.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kt_engine_options {
    /// Stop the engine's clock at `fixed_unix_time` (replaying recorded requests, tests).
    pub use_fixed_time: bool,
    /// Seconds since the Unix epoch, UTC; read when `use_fixed_time` is true.
    pub fixed_unix_time: i64,
}

/// One HTTP header, borrowed: `name` (any case) and the raw `value` bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kt_header {
    /// The name's bytes (UTF-8, not NUL-terminated).
    pub name: *const c_char,
    /// The name's length.
    pub name_len: usize,
    /// The value's bytes (not NUL-terminated).
    pub value: *const u8,
    /// The value's length.
    pub value_len: usize,
}

/// A request as a service received it, borrowed for the duration of the call. Strings are
/// (pointer, length) pairs, not NUL-terminated; a pointer may be NULL when its length is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kt_request {
    /// `GET`, `POST`, ...
    pub method: *const c_char,
    /// The method's length.
    pub method_len: usize,
    /// The raw path, as sent (e.g. `/bucket/key`).
    pub path: *const c_char,
    /// The path's length.
    pub path_len: usize,
    /// The raw query string without `?` (may be empty).
    pub query: *const c_char,
    /// The query's length.
    pub query_len: usize,
    /// The headers, in arrival order.
    pub headers: *const kt_header,
    /// The number of headers.
    pub headers_len: usize,
    /// The raw body.
    pub body: *const u8,
    /// The body's length.
    pub body_len: usize,
    /// The peer's IP address as text (`aws:SourceIp`), NUL-terminated; NULL: 127.0.0.1.
    pub source_ip: *const c_char,
}

fn cstring(s: &str, what: &str) -> Result<CString, Failure> {
    CString::new(s).map_err(|_| {
        Failure::new(
            kt_status::InvalidArgument,
            format!("{what} contains a NUL byte"),
        )
    })
}

/// Borrows a handle argument.
///
/// # Safety
/// `ptr` is NULL or a live handle of this type.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, what: &str) -> Result<&'a T, Failure> {
    // SAFETY: a live handle per the caller's contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(what))
}

/// Frees a boxed handle, catching a panic in its destructor.
///
/// # Safety
/// `ptr` is NULL or a handle created by this library and not yet freed.
pub(crate) unsafe fn free_box<T>(ptr: *mut T) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: created by `Box::into_raw` in this library, freed once per the contract.
    let b = unsafe { Box::from_raw(ptr) };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(b)));
}

fn embed_options(options: *const kt_engine_options) -> Result<EmbedOptions, Failure> {
    // SAFETY: NULL or a valid struct per the callers' contracts.
    let Some(o) = (unsafe { options.as_ref() }) else {
        return Ok(EmbedOptions::default());
    };
    let fixed_time = if o.use_fixed_time {
        Some(unix_time(o.fixed_unix_time)?)
    } else {
        None
    };
    Ok(EmbedOptions { fixed_time })
}

fn unix_time(t: i64) -> Result<OffsetDateTime, Failure> {
    OffsetDateTime::from_unix_timestamp(t).map_err(|_| {
        Failure::new(
            kt_status::InvalidArgument,
            format!("{t} is not a representable Unix time"),
        )
    })
}

fn engine_out(inner: Embedded, engine_out: *mut *mut kt_engine) -> Result<(), Failure> {
    if engine_out.is_null() {
        return Err(Failure::null("engine_out"));
    }
    let raw = Box::into_raw(Box::new(kt_engine { inner }));
    // SAFETY: checked non-NULL; writable per the caller's contract.
    unsafe { engine_out.write(raw) };
    Ok(())
}

/// Creates an engine from the configuration file at `path` (YAML or JSON; relative paths in it
/// are resolved against its directory). `options` may be NULL.
///
/// # Safety
/// `path` is a NUL-terminated string; `options` is NULL or valid; `engine_out` is valid for a
/// write. On success, free `*engine_out` with `kt_engine_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_from_config_path(
    path: *const c_char,
    options: *const kt_engine_options,
    engine_out: *mut *mut kt_engine,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let path = unsafe { c_str(path, "path") }?;
        let e = Embedded::from_path(path, &embed_options(options)?)?;
        engine_out_set(e, engine_out)
    })
}

fn engine_out_set(e: Embedded, out: *mut *mut kt_engine) -> Result<(), Failure> {
    engine_out(e, out)
}

/// Creates an engine from configuration text (YAML or JSON) of `len` bytes. Relative paths in
/// it are resolved against the working directory. `options` may be NULL.
///
/// # Safety
/// `text` points to `len` readable bytes; `options` is NULL or valid; `engine_out` is valid for
/// a write. On success, free `*engine_out` with `kt_engine_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_from_config_string(
    text: *const c_char,
    len: usize,
    options: *const kt_engine_options,
    engine_out: *mut *mut kt_engine,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let text = unsafe { c_str_len(text, len, "text") }?;
        let e = Embedded::from_text(text, &embed_options(options)?)?;
        engine_out_set(e, engine_out)
    })
}

/// Moves the clock of an engine created with `use_fixed_time` to `unix_time`.
/// `KT_STATUS_INVALID_ARGUMENT` for an engine on the system clock.
///
/// # Safety
/// `engine` is a live engine.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_set_time(
    engine: *const kt_engine,
    unix_time_s: i64,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let engine = unsafe { handle(engine, "engine") }?;
        if engine.inner.set_time(unix_time(unix_time_s)?) {
            Ok(())
        } else {
            Err(Failure::new(
                kt_status::InvalidArgument,
                "the engine runs on the system clock (create it with use_fixed_time)",
            ))
        }
    })
}

/// Adds an access key to a configured user (`"alice"` or `"222222222222/alice"`) without the
/// configuration's id format check: for keys issued elsewhere, such as the AWS SigV4 test
/// suite's `AKIDEXAMPLE`. It lasts until the engine is created again from the configuration.
///
/// # Safety
/// `engine` is a live engine; the strings are NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_import_access_key(
    engine: *const kt_engine,
    user: *const c_char,
    access_key_id: *const c_char,
    secret_access_key: *const c_char,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let (engine, user, id, secret) = unsafe {
            (
                handle(engine, "engine")?,
                c_str(user, "user")?,
                c_str(access_key_id, "access_key_id")?,
                c_str(secret_access_key, "secret_access_key")?,
            )
        };
        Ok(engine.inner.import_access_key(user, id, secret)?)
    })
}

/// Frees an engine. NULL is ignored.
///
/// # Safety
/// `engine` is NULL or an engine not yet freed; no other thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_free(engine: *mut kt_engine) {
    // SAFETY: forwarded contract.
    unsafe { free_box(engine) }
}

fn caller_handle(caller: Caller) -> Result<kt_caller, Failure> {
    Ok(kt_caller {
        arn: cstring(&caller.arn, "arn")?,
        account: cstring(&caller.account, "account")?,
        user_id: cstring(&caller.user_id, "user id")?,
        access_key_id: cstring(&caller.access_key_id, "access key id")?,
        caller,
    })
}

pub(crate) fn put_caller(caller: Caller, out: *mut *mut kt_caller) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null("caller_out"));
    }
    let raw = Box::into_raw(Box::new(caller_handle(caller)?));
    // SAFETY: checked non-NULL; writable per the caller's contract.
    unsafe { out.write(raw) };
    Ok(())
}

/// Verifies the SigV4 signature of `request`, signed for `service` (its signing name: `s3`,
/// `execute-api`, `sts`, ...) in the engine's region, and returns the caller. Errors carry AWS's
/// codes: `KT_STATUS_SIGNATURE_DOES_NOT_MATCH`, `KT_STATUS_INVALID_CLIENT_TOKEN_ID`,
/// `KT_STATUS_EXPIRED_TOKEN`, `KT_STATUS_MISSING_AUTHENTICATION_TOKEN`, ...
///
/// # Safety
/// `engine` is a live engine; `service` a NUL-terminated string; `request` a valid request whose
/// buffers are readable for the call; `caller_out` valid for a write. On success, free
/// `*caller_out` with `kt_caller_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_verify_request(
    engine: *const kt_engine,
    service: *const c_char,
    request: *const kt_request,
    caller_out: *mut *mut kt_caller,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: forwarded contract.
        let service = unsafe { c_str(service, "service") }?;
        // SAFETY: forwarded contract.
        let r = unsafe { handle(request, "request") }?;
        let mut headers = Vec::new();
        // SAFETY: forwarded contract.
        let received = unsafe { read_request(r, &mut headers) }?;
        let caller = engine.inner.verify_request(&received, service)?;
        put_caller(caller, caller_out)
    })
}

/// Reads a `kt_request`; `headers` receives the header pairs it borrows.
///
/// # Safety
/// `r`'s buffers are valid for the call per `kt_engine_verify_request`'s contract.
pub(crate) unsafe fn read_request<'a>(
    r: &'a kt_request,
    headers: &'a mut Vec<(&'a str, &'a [u8])>,
) -> Result<ReceivedRequest<'a>, Failure> {
    // SAFETY: the request's buffers are valid per the contract.
    let (method, path, query, body) = unsafe {
        (
            c_str_len(r.method, r.method_len, "request.method")?,
            c_str_len(r.path, r.path_len, "request.path")?,
            c_str_len(r.query, r.query_len, "request.query")?,
            c_bytes(r.body, r.body_len, "request.body")?,
        )
    };
    // SAFETY: `headers_len` headers readable per the contract.
    let raw_headers: &[kt_header] = unsafe {
        if r.headers_len == 0 {
            &[]
        } else if r.headers.is_null() {
            return Err(Failure::null("request.headers"));
        } else {
            std::slice::from_raw_parts(r.headers, r.headers_len)
        }
    };
    headers.reserve(raw_headers.len());
    for h in raw_headers {
        // SAFETY: each header's buffers are valid per the contract.
        let pair = unsafe {
            (
                c_str_len(h.name, h.name_len, "header name")?,
                c_bytes(h.value, h.value_len, "header value")?,
            )
        };
        headers.push(pair);
    }
    // SAFETY: forwarded contract.
    let source_ip = match unsafe { c_str_opt(r.source_ip, "request.source_ip") }? {
        None => None,
        Some(s) => Some(s.parse::<IpAddr>().map_err(|_| {
            Failure::new(
                kt_status::InvalidArgument,
                format!("`{s}` is not an IP address"),
            )
        })?),
    };
    Ok(ReceivedRequest {
        method,
        path,
        query,
        headers,
        body,
        source_ip,
    })
}

fn act_as(c: &kt_credentials) -> Result<ActAs, Failure> {
    let text = |s: &CString| {
        s.to_str()
            .map(str::to_owned)
            .map_err(|_| Failure::new(kt_status::InvalidUtf8, "credentials are not UTF-8"))
    };
    Ok(ActAs {
        access_key_id: text(&c.access_key_id)?,
        secret_access_key: text(&c.secret_access_key)?,
        session_token: c.session_token.as_ref().map(text).transpose()?,
    })
}

/// The caller that `credentials` stand for, authenticated now (as if they signed a request).
///
/// # Safety
/// `engine` and `credentials` are live handles; `caller_out` is valid for a write. On success,
/// free `*caller_out` with `kt_caller_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_caller_for_credentials(
    engine: *const kt_engine,
    credentials: *const kt_credentials,
    caller_out: *mut *mut kt_caller,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let (engine, creds) = unsafe {
            (
                handle(engine, "engine")?,
                handle(credentials, "credentials")?,
            )
        };
        let caller = engine.inner.caller(&act_as(creds)?)?;
        put_caller(caller, caller_out)
    })
}

/// Frees a caller. NULL is ignored.
///
/// # Safety
/// `caller` is NULL or a caller not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_caller_free(caller: *mut kt_caller) {
    // SAFETY: forwarded contract.
    unsafe { free_box(caller) }
}

/// Writes a handle-owned string through `out`.
///
/// # Safety
/// `out` is NULL or valid for a write.
unsafe fn str_out(s: Option<&CString>, out: *mut *const c_char) -> Result<(), Failure> {
    // SAFETY: forwarded contract.
    unsafe { write_out(out, s.map_or(std::ptr::null(), |s| s.as_ptr()), "out") }
}

/// Sets `*arn_out` to the caller's ARN (`arn:aws:iam::222222222222:user/alice`,
/// `arn:aws:sts::111111111111:assumed-role/Role/session`), valid until the caller is freed.
///
/// # Safety
/// `caller` is a live caller; `arn_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_caller_arn(
    caller: *const kt_caller,
    arn_out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { str_out(Some(&handle(caller, "caller")?.arn), arn_out) })
}

/// Sets `*account_out` to the caller's 12-digit account id, valid until the caller is freed.
///
/// # Safety
/// `caller` is a live caller; `account_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_caller_account(
    caller: *const kt_caller,
    account_out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { str_out(Some(&handle(caller, "caller")?.account), account_out) })
}

/// Sets `*user_id_out` to the caller's unique id (GetCallerIdentity's `UserId`: `AIDA...`,
/// `AROA...:session`), valid until the caller is freed.
///
/// # Safety
/// `caller` is a live caller; `user_id_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_caller_user_id(
    caller: *const kt_caller,
    user_id_out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { str_out(Some(&handle(caller, "caller")?.user_id), user_id_out) })
}

/// Sets `*access_key_id_out` to the access key id that signed, valid until the caller is freed.
///
/// # Safety
/// `caller` is a live caller; `access_key_id_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_caller_access_key_id(
    caller: *const kt_caller,
    access_key_id_out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        str_out(
            Some(&handle(caller, "caller")?.access_key_id),
            access_key_id_out,
        )
    })
}

fn decision_handle(a: &Authorization) -> Result<kt_decision, Failure> {
    Ok(kt_decision {
        allowed: a.is_allowed(),
        outcome: cstring(&format!("{:?}", a.verdict.outcome), "outcome")?,
        reasons: a
            .verdict
            .reasons
            .iter()
            .map(|r| cstring(r, "reason"))
            .collect::<Result<_, _>>()?,
        statements: a
            .verdict
            .matched
            .iter()
            .map(|m| {
                Ok((
                    cstring(&m.policy_id, "policy id")?,
                    m.sid.as_deref().map(|s| cstring(s, "sid")).transpose()?,
                    m.allow,
                ))
            })
            .collect::<Result<_, Failure>>()?,
        encoded_message: a
            .encoded_message
            .as_deref()
            .map(|m| cstring(m, "encoded message"))
            .transpose()?,
    })
}

/// Authorizes `action` (`s3:GetObject`) on `resource` (an ARN) for `caller`, with extra
/// condition keys given as a JSON object (`{"s3:prefix": "home/", "aws:SourceVpc": ["vpc-1"]}`;
/// NULL: none). A denial is not an error: the decision says it (`kt_decision_allowed`).
///
/// # Safety
/// `engine` and `caller` are live handles; the strings are NUL-terminated (`context_json` may be
/// NULL); `decision_out` is valid for a write. On success, free `*decision_out` with
/// `kt_decision_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_authorize(
    engine: *const kt_engine,
    caller: *const kt_caller,
    action: *const c_char,
    resource: *const c_char,
    context_json: *const c_char,
    decision_out: *mut *mut kt_decision,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let (engine, caller, action, resource, context) = unsafe {
            (
                handle(engine, "engine")?,
                handle(caller, "caller")?,
                c_str(action, "action")?,
                c_str(resource, "resource")?,
                c_str_opt(context_json, "context_json")?,
            )
        };
        if decision_out.is_null() {
            return Err(Failure::null("decision_out"));
        }
        let a = engine
            .inner
            .authorize(&caller.caller, action, resource, context)?;
        let raw = Box::into_raw(Box::new(decision_handle(&a)?));
        // SAFETY: checked non-NULL; writable per the contract.
        unsafe { decision_out.write(raw) };
        Ok(())
    })
}

/// Sets `*allowed_out` to whether the decision allows the request.
///
/// # Safety
/// `decision` is a live decision; `allowed_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_allowed(
    decision: *const kt_decision,
    allowed_out: *mut bool,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        write_out(
            allowed_out,
            handle(decision, "decision")?.allowed,
            "allowed_out",
        )
    })
}

/// Sets `*outcome_out` to `"Allow"`, `"ExplicitDeny"` or `"ImplicitDeny"`, valid until the
/// decision is freed.
///
/// # Safety
/// `decision` is a live decision; `outcome_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_outcome(
    decision: *const kt_decision,
    outcome_out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { str_out(Some(&handle(decision, "decision")?.outcome), outcome_out) })
}

/// Sets `*len_out` to the number of reasons (human-readable lines explaining a denial).
///
/// # Safety
/// `decision` is a live decision; `len_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_reasons_len(
    decision: *const kt_decision,
    len_out: *mut usize,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        write_out(
            len_out,
            handle(decision, "decision")?.reasons.len(),
            "len_out",
        )
    })
}

pub(crate) fn out_of_range(index: usize, len: usize) -> Failure {
    Failure::new(
        kt_status::InvalidArgument,
        format!("index {index} is out of range (length {len})"),
    )
}

/// Sets `*reason_out` to reason number `index` (from 0), valid until the decision is freed.
///
/// # Safety
/// `decision` is a live decision; `reason_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_reason(
    decision: *const kt_decision,
    index: usize,
    reason_out: *mut *const c_char,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let d = unsafe { handle(decision, "decision") }?;
        let r = d
            .reasons
            .get(index)
            .ok_or_else(|| out_of_range(index, d.reasons.len()))?;
        // SAFETY: forwarded contract.
        unsafe { str_out(Some(r), reason_out) }
    })
}

/// Sets `*len_out` to the number of policy statements that matched.
///
/// # Safety
/// `decision` is a live decision; `len_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_statements_len(
    decision: *const kt_decision,
    len_out: *mut usize,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        write_out(
            len_out,
            handle(decision, "decision")?.statements.len(),
            "len_out",
        )
    })
}

/// Describes matched statement number `index`: the policy's id (`*policy_id_out`), the
/// statement's `Sid` (`*sid_out`, NULL when it has none) and whether it is an `Allow`
/// (`*allow_out`). Strings are valid until the decision is freed.
///
/// # Safety
/// `decision` is a live decision; the three out pointers are valid for writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_statement(
    decision: *const kt_decision,
    index: usize,
    policy_id_out: *mut *const c_char,
    sid_out: *mut *const c_char,
    allow_out: *mut bool,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let d = unsafe { handle(decision, "decision") }?;
        let (id, sid, allow) = d
            .statements
            .get(index)
            .ok_or_else(|| out_of_range(index, d.statements.len()))?;
        // SAFETY: forwarded contract.
        unsafe {
            str_out(Some(id), policy_id_out)?;
            str_out(sid.as_ref(), sid_out)?;
            write_out(allow_out, *allow, "allow_out")
        }
    })
}

/// Sets `*message_out` to the encoded authorization message of a denial (what
/// `sts:DecodeAuthorizationMessage` opens), or NULL when the decision allows. Valid until the
/// decision is freed.
///
/// # Safety
/// `decision` is a live decision; `message_out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_encoded_message(
    decision: *const kt_decision,
    message_out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        str_out(
            handle(decision, "decision")?.encoded_message.as_ref(),
            message_out,
        )
    })
}

/// Frees a decision. NULL is ignored.
///
/// # Safety
/// `decision` is NULL or a decision not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_decision_free(decision: *mut kt_decision) {
    // SAFETY: forwarded contract.
    unsafe { free_box(decision) }
}

fn put_credentials(c: kt_credentials, out: *mut *mut kt_credentials) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null("credentials_out"));
    }
    let raw = Box::into_raw(Box::new(c));
    // SAFETY: checked non-NULL; writable per the contract.
    unsafe { out.write(raw) };
    Ok(())
}

/// The long-term credentials of a configured user (`"alice"`, `"222222222222/alice"`) or of an
/// account's root (`"222222222222"`): its first active access key. `KT_STATUS_NO_SUCH_ENTITY`
/// when there is none.
///
/// # Safety
/// `engine` is a live engine; `who` is NUL-terminated; `credentials_out` is valid for a write.
/// On success, free `*credentials_out` with `kt_credentials_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_credentials(
    engine: *const kt_engine,
    who: *const c_char,
    credentials_out: *mut *mut kt_credentials,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let (engine, who) = unsafe { (handle(engine, "engine")?, c_str(who, "who")?) };
        let a = engine.inner.credentials(who)?;
        let c = kt_credentials {
            access_key_id: cstring(&a.access_key_id, "access key id")?,
            secret_access_key: cstring(&a.secret_access_key, "secret")?,
            session_token: None,
            expiration: 0,
            user_arn: None,
        };
        put_credentials(c, credentials_out)
    })
}

/// Calls `sts:AssumeRole` as `credentials` (authenticated and authorized exactly as over the
/// wire: the caller's policies, the role's trust policy) and returns the role session's
/// temporary credentials. `duration_seconds` 0 means the default (3600); `external_id` may be
/// NULL.
///
/// # Safety
/// `engine` and `credentials` are live handles; the strings are NUL-terminated (`external_id`
/// may be NULL); `credentials_out` is valid for a write. On success, free `*credentials_out`
/// with `kt_credentials_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_engine_assume_role(
    engine: *const kt_engine,
    credentials: *const kt_credentials,
    role_arn: *const c_char,
    role_session_name: *const c_char,
    duration_seconds: i32,
    external_id: *const c_char,
    credentials_out: *mut *mut kt_credentials,
) -> kt_status {
    guard(|| {
        // SAFETY: forwarded contract.
        let (engine, creds, role_arn, session_name, external_id) = unsafe {
            (
                handle(engine, "engine")?,
                handle(credentials, "credentials")?,
                c_str(role_arn, "role_arn")?,
                c_str(role_session_name, "role_session_name")?,
                c_str_opt(external_id, "external_id")?,
            )
        };
        let input = AssumeRoleRequest {
            role_arn: role_arn.to_owned(),
            role_session_name: session_name.to_owned(),
            duration_seconds: (duration_seconds != 0).then_some(duration_seconds),
            external_id: external_id.map(str::to_owned),
            ..AssumeRoleRequest::default()
        };
        let r = engine.inner.call::<AssumeRole>(&act_as(creds)?, input)?;
        let (Some(c), Some(user)) = (&r.credentials, &r.assumed_role_user) else {
            return Err(Failure::new(
                kt_status::InternalFailure,
                "unexpected response to AssumeRole",
            ));
        };
        let out = kt_credentials {
            access_key_id: cstring(&c.access_key_id, "access key id")?,
            secret_access_key: cstring(c.secret_access_key.expose(), "secret")?,
            session_token: Some(cstring(c.session_token.expose(), "session token")?),
            expiration: c.expiration.unix_timestamp(),
            user_arn: Some(cstring(&user.arn, "arn")?),
        };
        put_credentials(out, credentials_out)
    })
}

/// Sets `*out` to the access key id (`AKIA...`, `ASIA...`), valid until the credentials are
/// freed.
///
/// # Safety
/// `credentials` is a live handle; `out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_credentials_access_key_id(
    credentials: *const kt_credentials,
    out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        str_out(
            Some(&handle(credentials, "credentials")?.access_key_id),
            out,
        )
    })
}

/// Sets `*out` to the secret access key, valid until the credentials are freed. Never log it.
///
/// # Safety
/// `credentials` is a live handle; `out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_credentials_secret_access_key(
    credentials: *const kt_credentials,
    out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        str_out(
            Some(&handle(credentials, "credentials")?.secret_access_key),
            out,
        )
    })
}

/// Sets `*out` to the session token, or NULL for long-term credentials. Valid until the
/// credentials are freed.
///
/// # Safety
/// `credentials` is a live handle; `out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_credentials_session_token(
    credentials: *const kt_credentials,
    out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe {
        str_out(
            handle(credentials, "credentials")?.session_token.as_ref(),
            out,
        )
    })
}

/// Sets `*out` to the expiration as Unix seconds (0 for long-term credentials).
///
/// # Safety
/// `credentials` is a live handle; `out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_credentials_expiration(
    credentials: *const kt_credentials,
    out: *mut i64,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { write_out(out, handle(credentials, "credentials")?.expiration, "out") })
}

/// Sets `*out` to the ARN of the session the credentials belong to (the assumed-role ARN), or
/// NULL for long-term credentials. Valid until the credentials are freed.
///
/// # Safety
/// `credentials` is a live handle; `out` is valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_credentials_user_arn(
    credentials: *const kt_credentials,
    out: *mut *const c_char,
) -> kt_status {
    // SAFETY: forwarded contract.
    guard(|| unsafe { str_out(handle(credentials, "credentials")?.user_arn.as_ref(), out) })
}

/// Frees credentials. NULL is ignored.
///
/// # Safety
/// `credentials` is NULL or a handle not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn kt_credentials_free(credentials: *mut kt_credentials) {
    // SAFETY: forwarded contract.
    unsafe { free_box(credentials) }
}
