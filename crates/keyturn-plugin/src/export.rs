//! The plugin side in Rust: one trait per kind, and the `extern "C"` shims that [`export_plugin!`] wires into a
//! static descriptor. Every shim runs inside a panic boundary: a panic becomes `KT_STATUS_PANIC`, never an unwind
//! into the host.
//!
//! A Rust plugin must be built with `panic = "unwind"` (the default): with `panic = "abort"` there is nothing to
//! catch and a panic ends the host process.
//!
//! [`export_plugin!`]: crate::export_plugin
#![expect(
    unsafe_code,
    reason = "the extern \"C\" shims read and write through the host's pointers"
)]

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::abi::{
    KT_ABI_MAJOR, KT_ABI_MINOR, KT_PLUGIN_MAGIC, KtBuf, KtCredentialSignerVtable,
    KtIdentityProviderVtable, KtPluginDescriptor, KtPluginKind, KtPolicyEvaluatorVtable, KtProbe,
    KtStatus, KtStr,
};
use crate::error::PluginFailure;
use crate::wire::{
    EvaluationDecision, EvaluationRequest, MintedToken, OpenedToken, RejectionBody, SessionClaims,
    VerifyRequest, VerifyResult,
};

/// What every Rust plugin provides, whatever its kind.
pub trait Plugin: Sized + Send + Sync + 'static {
    /// The plugin's name, reported in the descriptor.
    const NAME: &'static str;
    /// The plugin's own version, reported in the descriptor.
    const VERSION: &'static str;
    /// Builds an instance from its JSON configuration (the `config` object of the host's configuration).
    fn create(config: serde_json::Value) -> Result<Self, PluginFailure>;
}

/// An identity-provider plugin. Called concurrently from several threads.
pub trait IdentityProvider: Plugin {
    /// Verifies an identity.
    fn verify(&self, request: VerifyRequest) -> Result<VerifyResult, PluginFailure>;
}

/// A credential-signer plugin. Called concurrently from several threads.
pub trait CredentialSigner: Plugin {
    /// Seals claims into a session token.
    fn mint(&self, claims: SessionClaims) -> Result<MintedToken, PluginFailure>;
    /// Opens a session token at `now_unix` (seconds).
    fn open(&self, token: &str, now_unix: i64) -> Result<OpenedToken, PluginFailure>;
}

/// A policy-evaluator plugin. Called concurrently from several threads.
pub trait PolicyEvaluator: Plugin {
    /// Decides a request.
    fn evaluate(&self, request: EvaluationRequest) -> Result<EvaluationDecision, PluginFailure>;
}

/// What `keyturn_plugin_probe` returns for a plugin built with this crate.
pub const PROBE: KtProbe = KtProbe {
    magic: KT_PLUGIN_MAGIC,
    abi_major: KT_ABI_MAJOR,
    abi_minor: KT_ABI_MINOR,
};

/// A static ABI table (descriptor or vtable). The tables hold raw pointers, which are not `Sync`; these point only
/// to other statics and are never written, so sharing them between threads is sound.
#[repr(transparent)]
#[derive(Debug)]
pub struct StaticTable<T>(T);

// SAFETY: `StaticTable` is only built by the const constructors below, whose raw pointers point to `'static`
// immutable data (string literals, other `StaticTable` statics); nothing writes through them.
unsafe impl<T> Sync for StaticTable<T> {}

impl<T> StaticTable<T> {
    /// A pointer to the table, for `keyturn_plugin_init` or the descriptor's `vtable` field.
    pub const fn as_ptr(&'static self) -> *const T {
        &self.0
    }
}

const fn static_str(text: &'static str) -> KtStr {
    KtStr {
        ptr: text.as_ptr(),
        len: text.len(),
    }
}

/// The descriptor of a plugin of type `T`, with the kind's vtable.
pub const fn descriptor<T: Plugin>(
    kind: KtPluginKind,
    vtable: *const c_void,
) -> StaticTable<KtPluginDescriptor> {
    StaticTable(KtPluginDescriptor {
        struct_size: size_of::<KtPluginDescriptor>(),
        kind: kind as u32,
        name: static_str(T::NAME),
        version: static_str(T::VERSION),
        create: Some(create_shim::<T>),
        destroy: Some(destroy_shim::<T>),
        free_buf: Some(free_buf_shim),
        vtable,
    })
}

/// The vtable of an identity provider `T`.
pub const fn identity_provider_vtable<T: IdentityProvider>() -> StaticTable<KtIdentityProviderVtable>
{
    StaticTable(KtIdentityProviderVtable {
        struct_size: size_of::<KtIdentityProviderVtable>(),
        verify: Some(verify_shim::<T>),
    })
}

/// The vtable of a credential signer `T`.
pub const fn credential_signer_vtable<T: CredentialSigner>() -> StaticTable<KtCredentialSignerVtable>
{
    StaticTable(KtCredentialSignerVtable {
        struct_size: size_of::<KtCredentialSignerVtable>(),
        mint: Some(mint_shim::<T>),
        open: Some(open_shim::<T>),
    })
}

/// The vtable of a policy evaluator `T`.
pub const fn policy_evaluator_vtable<T: PolicyEvaluator>() -> StaticTable<KtPolicyEvaluatorVtable> {
    StaticTable(KtPolicyEvaluatorVtable {
        struct_size: size_of::<KtPolicyEvaluatorVtable>(),
        evaluate: Some(evaluate_shim::<T>),
    })
}

/// The `vtable` field for a descriptor: a type-erased pointer to a static vtable.
pub const fn erase<T>(table: &'static StaticTable<T>) -> *const c_void {
    table.as_ptr().cast()
}

fn into_buf(bytes: Vec<u8>) -> KtBuf {
    if bytes.is_empty() {
        return KtBuf::EMPTY;
    }
    let mut bytes = std::mem::ManuallyDrop::new(bytes);
    KtBuf {
        ptr: bytes.as_mut_ptr(),
        len: bytes.len(),
        cap: bytes.capacity(),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-string panic payload".to_owned()
    }
}

/// Runs `body` inside the panic boundary and writes its output (or error text) into `out`: the status is
/// `KT_STATUS_OK` with the output, the status of the `PluginFailure` with its body, or `KT_STATUS_PANIC` with the
/// panic message. A NULL `out` only loses the output.
///
/// # Safety
/// `out` is NULL or valid for writing one `KtBuf`.
pub unsafe fn guard(out: *mut KtBuf, body: impl FnOnce() -> Result<Vec<u8>, PluginFailure>) -> u32 {
    let (status, bytes) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(bytes)) => (KtStatus::Ok, bytes),
        Ok(Err(PluginFailure::Rejected { code, message })) => {
            let body = serde_json::to_vec(&RejectionBody { code, message });
            match body {
                Ok(body) => (KtStatus::Rejected, body),
                Err(e) => (KtStatus::Internal, e.to_string().into_bytes()),
            }
        }
        Ok(Err(PluginFailure::InvalidInput(message))) => {
            (KtStatus::InvalidInput, message.into_bytes())
        }
        Ok(Err(PluginFailure::Internal(message))) => (KtStatus::Internal, message.into_bytes()),
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            // Dropping a panic payload can itself panic; keep that inside the boundary too.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(payload)));
            (KtStatus::Panic, message.into_bytes())
        }
    };
    if !out.is_null() {
        // SAFETY: non-NULL, so valid for writes per this function's contract.
        unsafe { out.write(into_buf(bytes)) };
    }
    status as u32
}

/// Borrows the bytes of a `KtStr` for the duration of a call.
///
/// # Safety
/// `text.ptr` points to `text.len` readable bytes for the duration of the call, or is NULL.
unsafe fn borrow<'a>(text: KtStr) -> Result<&'a [u8], PluginFailure> {
    if text.ptr.is_null() || text.len == 0 {
        return if text.len == 0 {
            Ok(&[])
        } else {
            Err(PluginFailure::InvalidInput("NULL input".to_owned()))
        };
    }
    if text.len > isize::MAX as usize {
        return Err(PluginFailure::InvalidInput(
            "input length too large".to_owned(),
        ));
    }
    // SAFETY: guaranteed by the caller (the ABI: input bytes are valid for the call).
    Ok(unsafe { std::slice::from_raw_parts(text.ptr, text.len) })
}

/// Parses JSON input.
///
/// # Safety
/// As [`borrow`].
unsafe fn parse<T: DeserializeOwned>(text: KtStr, what: &str) -> Result<T, PluginFailure> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { borrow(text) }?;
    serde_json::from_slice(bytes).map_err(|e| PluginFailure::InvalidInput(format!("{what}: {e}")))
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, PluginFailure> {
    serde_json::to_vec(value)
        .map_err(|e| PluginFailure::Internal(format!("cannot encode the result: {e}")))
}

/// Borrows the instance behind a handle.
///
/// # Safety
/// `handle` is NULL or came from `create_shim::<T>` and has not been destroyed.
unsafe fn instance<'a, T>(handle: *mut c_void) -> Result<&'a T, PluginFailure> {
    // SAFETY: forwarded from the caller; `T` is `Sync`, so shared borrows from several threads are fine.
    unsafe { handle.cast::<T>().as_ref() }
        .ok_or_else(|| PluginFailure::InvalidInput("NULL handle".to_owned()))
}

/// `create` for a plugin of type `T`.
///
/// # Safety
/// Called by the host per the ABI: `config` valid for the call, `out_handle` and `out_error` valid for writes.
pub unsafe extern "C" fn create_shim<T: Plugin>(
    config: KtStr,
    out_handle: *mut *mut c_void,
    out_error: *mut KtBuf,
) -> u32 {
    let body = || {
        if out_handle.is_null() {
            return Err(PluginFailure::InvalidInput("NULL out_handle".to_owned()));
        }
        // SAFETY: `config` is valid for the call (ABI).
        let config: serde_json::Value = unsafe { parse(config, "config") }?;
        let plugin = T::create(config)?;
        let handle = Box::into_raw(Box::new(plugin)).cast::<c_void>();
        // SAFETY: checked non-NULL; the host passes a pointer valid for writes.
        unsafe { out_handle.write(handle) };
        Ok(Vec::new())
    };
    // SAFETY: the host passes `out_error` valid for writes, or NULL (ABI).
    unsafe { guard(out_error, body) }
}

/// `destroy` for a plugin of type `T`.
///
/// # Safety
/// `handle` came from `create_shim::<T>` and is destroyed once, after every call on it returned.
pub unsafe extern "C" fn destroy_shim<T: Plugin>(handle: *mut c_void) {
    if handle.is_null() {
        return;
    }
    // A panicking Drop is swallowed: there is no status to report it with, and it must not unwind into the host.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: guaranteed by the caller; the box was made by `create_shim::<T>`.
        drop(unsafe { Box::from_raw(handle.cast::<T>()) });
    }));
}

/// `free_buf` for buffers made by this crate (a `Vec<u8>` split into its raw parts).
///
/// # Safety
/// `buf` was returned by one of this crate's shims and is freed once.
pub unsafe extern "C" fn free_buf_shim(buf: KtBuf) {
    if !buf.ptr.is_null() {
        // SAFETY: `ptr`, `len` and `cap` are the raw parts of a `Vec<u8>` leaked by `into_buf`.
        drop(unsafe { Vec::from_raw_parts(buf.ptr, buf.len, buf.cap) });
    }
}

/// The body of a call shim: `call` on the instance behind `handle` with its input, the answer
/// written to `out` as JSON (a failure or panic as its status).
///
/// # Safety
/// As [`verify_shim`]; `input` decodes the call's input and keeps its own safety contract.
unsafe fn call_shim<T, I, O: Serialize>(
    handle: *mut c_void,
    out: *mut KtBuf,
    input: impl FnOnce() -> Result<I, PluginFailure>,
    call: impl FnOnce(&T, I) -> Result<O, PluginFailure>,
) -> u32 {
    let body = || {
        // SAFETY: per the ABI, as this function's contract states.
        let plugin: &T = unsafe { instance(handle) }?;
        to_json(&call(plugin, input()?)?)
    };
    // SAFETY: the host passes `out` valid for writes, or NULL (ABI).
    unsafe { guard(out, body) }
}

/// A call shim whose input is a JSON document: `input` parsed as `I` (refused as invalid input,
/// naming `what`, when it is not), then [`call_shim`].
///
/// # Safety
/// As [`verify_shim`].
unsafe fn json_call_shim<T, I: DeserializeOwned, O: Serialize>(
    handle: *mut c_void,
    input: KtStr,
    what: &str,
    out: *mut KtBuf,
    call: impl FnOnce(&T, I) -> Result<O, PluginFailure>,
) -> u32 {
    // SAFETY: forwarded from the caller (and so for `parse`).
    unsafe { call_shim(handle, out, || parse::<I>(input, what), call) }
}

/// `verify` for an identity provider `T`.
///
/// # Safety
/// Called by the host per the ABI (live handle, input valid for the call, `out` valid for writes).
pub unsafe extern "C" fn verify_shim<T: IdentityProvider>(
    handle: *mut c_void,
    request: KtStr,
    out: *mut KtBuf,
) -> u32 {
    // SAFETY: per the ABI, as this function's contract states.
    unsafe { json_call_shim(handle, request, "verify request", out, T::verify) }
}

/// `mint` for a credential signer `T`.
///
/// # Safety
/// As [`verify_shim`].
pub unsafe extern "C" fn mint_shim<T: CredentialSigner>(
    handle: *mut c_void,
    claims: KtStr,
    out: *mut KtBuf,
) -> u32 {
    // SAFETY: as in `verify_shim`.
    unsafe { json_call_shim(handle, claims, "session claims", out, T::mint) }
}

/// `open` for a credential signer `T`.
///
/// # Safety
/// As [`verify_shim`].
pub unsafe extern "C" fn open_shim<T: CredentialSigner>(
    handle: *mut c_void,
    token: KtStr,
    now_unix: i64,
    out: *mut KtBuf,
) -> u32 {
    let token = || {
        // SAFETY: as in `verify_shim`.
        let token = unsafe { borrow(token) }?;
        std::str::from_utf8(token)
            .map_err(|_| PluginFailure::InvalidInput("session token is not UTF-8".to_owned()))
    };
    // SAFETY: as in `verify_shim`.
    unsafe { call_shim(handle, out, token, |p: &T, t| p.open(t, now_unix)) }
}

/// `evaluate` for a policy evaluator `T`.
///
/// # Safety
/// As [`verify_shim`].
pub unsafe extern "C" fn evaluate_shim<T: PolicyEvaluator>(
    handle: *mut c_void,
    request: KtStr,
    out: *mut KtBuf,
) -> u32 {
    // SAFETY: as in `verify_shim`.
    unsafe { json_call_shim(handle, request, "evaluation request", out, T::evaluate) }
}

/// Exports a Rust type as a keyturn plugin: generates `keyturn_plugin_probe`, `keyturn_plugin_init` and the static
/// descriptor and vtable. Use once per `cdylib`:
///
/// ```text
/// keyturn_plugin::export_plugin!(MyEvaluator, policy_evaluator);
/// ```
///
/// The kind is one of `identity_provider`, `credential_signer`, `policy_evaluator`; the type must implement the
/// matching trait ([`IdentityProvider`], [`CredentialSigner`], [`PolicyEvaluator`]). The crate using it needs
/// `unsafe_code` at `deny` or lower (not `forbid`): `#[unsafe(no_mangle)]` counts as unsafe code, and the macro
/// allows it on the two entry points only.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty, identity_provider) => {
        $crate::export_plugin!(@emit $plugin, IdentityProvider, identity_provider_vtable, KtIdentityProviderVtable);
    };
    ($plugin:ty, credential_signer) => {
        $crate::export_plugin!(@emit $plugin, CredentialSigner, credential_signer_vtable, KtCredentialSignerVtable);
    };
    ($plugin:ty, policy_evaluator) => {
        $crate::export_plugin!(@emit $plugin, PolicyEvaluator, policy_evaluator_vtable, KtPolicyEvaluatorVtable);
    };
    (@emit $plugin:ty, $kind:ident, $vtable:ident, $table:ident) => {
        const _: () = {
            static KEYTURN_PLUGIN_VTABLE: $crate::export::StaticTable<$crate::abi::$table> =
                $crate::export::$vtable::<$plugin>();
            static KEYTURN_PLUGIN_DESCRIPTOR: $crate::export::StaticTable<$crate::abi::KtPluginDescriptor> =
                $crate::export::descriptor::<$plugin>(
                    $crate::abi::KtPluginKind::$kind,
                    $crate::export::erase(&KEYTURN_PLUGIN_VTABLE),
                );

            /// The keyturn plugin probe: magic and ABI version.
            #[allow(unsafe_code, reason = "the host finds the plugin by these unmangled symbols")]
            #[unsafe(no_mangle)]
            pub extern "C" fn keyturn_plugin_probe() -> $crate::abi::KtProbe {
                $crate::export::PROBE
            }

            /// The keyturn plugin descriptor.
            #[allow(unsafe_code, reason = "the host finds the plugin by these unmangled symbols")]
            #[unsafe(no_mangle)]
            pub extern "C" fn keyturn_plugin_init() -> *const $crate::abi::KtPluginDescriptor {
                KEYTURN_PLUGIN_DESCRIPTOR.as_ptr()
            }
        };
    };
}
