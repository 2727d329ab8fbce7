//! The C ABI, version 1.0: every constant, type and function-pointer type that a plugin and the host share.
//!
//! cbindgen reads this file alone to produce `include/keyturn_plugin.h`; keep everything the header needs here,
//! and nothing else. The rules (ownership, lifetimes, status meanings) are in `docs/plugin-abi.md`.
//!
//! Values that come from a plugin are never trusted to be valid Rust enums: kinds and statuses cross as `u32`
//! and are converted with checked functions; function-pointer types are `Option`s (NULL in C), checked at load.

use core::ffi::c_void;

/// The magic number `keyturn_plugin_probe` returns: "KTPL" in ASCII.
pub const KT_PLUGIN_MAGIC: u32 = 0x4B54_504C;
/// The ABI major version this crate speaks; a plugin with another major is refused.
pub const KT_ABI_MAJOR: u16 = 1;
/// The ABI minor version this crate speaks; a plugin built against a newer minor is refused.
pub const KT_ABI_MINOR: u16 = 0;

/// Status codes returned by every plugin entry point. The list only grows; a value the host does not know is an
/// error (`UnknownStatus`), never undefined behaviour, because statuses cross the boundary as `uint32_t`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KtStatus {
    /// Success: the output buffer holds the result (JSON, or nothing for `create`).
    Ok = 0,
    /// The input was not what the ABI requires (not UTF-8, not JSON of the right shape, NULL pointer); the output
    /// buffer may hold a UTF-8 message.
    InvalidInput = 1,
    /// The plugin refused the request with an AWS error: the output buffer holds JSON `{"code": ..., "message": ...}`.
    Rejected = 2,
    /// The plugin failed for a reason of its own; the output buffer may hold a UTF-8 message.
    Internal = 3,
    /// The plugin panicked (or threw) and caught it at its boundary; the output buffer may hold a UTF-8 message.
    Panic = 4,
}

/// What a plugin implements; each kind has its own function table.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KtPluginKind {
    /// Verifies an external identity (OIDC token, SAML assertion, ...): `KtIdentityProviderVtable`.
    IdentityProvider = 1,
    /// Mints and opens session tokens: `KtCredentialSignerVtable`.
    CredentialSigner = 2,
    /// Decides whether a request is allowed: `KtPolicyEvaluatorVtable`.
    PolicyEvaluator = 3,
}

/// What `keyturn_plugin_probe` returns, read before anything else in the library.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KtProbe {
    /// Must be `KT_PLUGIN_MAGIC`.
    pub magic: u32,
    /// The ABI major version the plugin was built against.
    pub abi_major: u16,
    /// The ABI minor version the plugin was built against.
    pub abi_minor: u16,
}

/// Borrowed bytes: valid for the duration of the call they are passed to (or, in the descriptor, for the life of
/// the process). `ptr` may be NULL only when `len` is 0. Text is UTF-8 without a terminating NUL.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct KtStr {
    /// First byte, or NULL when `len` is 0.
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// An output buffer owned by the plugin: the host copies `len` bytes from `ptr`, then hands the whole struct back to
/// the plugin's `free_buf`. `cap` is the plugin's own bookkeeping (a Rust `Vec`'s capacity); C plugins may set it
/// to anything. An empty result is `ptr == NULL`.
#[repr(C)]
#[derive(Debug)]
pub struct KtBuf {
    /// First byte, or NULL for no output.
    pub ptr: *mut u8,
    /// Number of bytes written.
    pub len: usize,
    /// Plugin-private: the allocation's capacity.
    pub cap: usize,
}

/// The signature of `keyturn_plugin_probe`.
pub type KtProbeFn = unsafe extern "C" fn() -> KtProbe;

/// The signature of `keyturn_plugin_init`: a pointer to a descriptor that lives as long as the library.
pub type KtInitFn = unsafe extern "C" fn() -> *const KtPluginDescriptor;

/// Creates a plugin instance from its JSON configuration. On `KT_STATUS_OK`, `*out_handle` is the new instance;
/// otherwise `*out_error` may hold a message (or, for `KT_STATUS_REJECTED`, the error JSON).
pub type KtCreateFn = Option<
    unsafe extern "C" fn(config: KtStr, out_handle: *mut *mut c_void, out_error: *mut KtBuf) -> u32,
>;

/// Destroys an instance made by `create`; called exactly once per instance, after every call on it has returned.
pub type KtDestroyFn = Option<unsafe extern "C" fn(handle: *mut c_void)>;

/// Releases a buffer the plugin returned; called exactly once for each non-NULL buffer.
pub type KtFreeBufFn = Option<unsafe extern "C" fn(buf: KtBuf)>;

/// Identity provider: verifies a request (JSON `VerifyRequest`); on success `*out` holds JSON `VerifyResult`.
pub type KtVerifyFn =
    Option<unsafe extern "C" fn(handle: *mut c_void, request: KtStr, out: *mut KtBuf) -> u32>;

/// Credential signer: seals session claims (JSON `SessionClaims`); on success `*out` holds JSON `MintedToken`.
pub type KtMintFn =
    Option<unsafe extern "C" fn(handle: *mut c_void, claims: KtStr, out: *mut KtBuf) -> u32>;

/// Credential signer: opens a session token at `now_unix` (seconds); on success `*out` holds JSON `OpenedToken`.
pub type KtOpenFn = Option<
    unsafe extern "C" fn(handle: *mut c_void, token: KtStr, now_unix: i64, out: *mut KtBuf) -> u32,
>;

/// Policy evaluator: decides a request (JSON `EvaluationRequest`); on success `*out` holds JSON `EvaluationDecision`.
pub type KtEvaluateFn =
    Option<unsafe extern "C" fn(handle: *mut c_void, request: KtStr, out: *mut KtBuf) -> u32>;

/// What `keyturn_plugin_init` points to. Fields are only ever appended (within a major version); the host reads
/// `struct_size` first and refuses a descriptor smaller than the one it knows.
#[repr(C)]
#[derive(Debug)]
pub struct KtPluginDescriptor {
    /// `sizeof(KtPluginDescriptor)` as the plugin was compiled.
    pub struct_size: usize,
    /// A `KtPluginKind` value.
    pub kind: u32,
    /// The plugin's name (UTF-8), valid for the life of the process.
    pub name: KtStr,
    /// The plugin's own version (UTF-8), valid for the life of the process.
    pub version: KtStr,
    /// Creates an instance.
    pub create: KtCreateFn,
    /// Destroys an instance.
    pub destroy: KtDestroyFn,
    /// Frees a buffer returned by any function of this plugin.
    pub free_buf: KtFreeBufFn,
    /// The kind's function table: `KtIdentityProviderVtable`, `KtCredentialSignerVtable` or
    /// `KtPolicyEvaluatorVtable`, valid for the life of the process.
    pub vtable: *const c_void,
}

/// The function table of an identity-provider plugin.
#[repr(C)]
#[derive(Debug)]
pub struct KtIdentityProviderVtable {
    /// `sizeof(KtIdentityProviderVtable)` as the plugin was compiled.
    pub struct_size: usize,
    /// Verifies an identity.
    pub verify: KtVerifyFn,
}

/// The function table of a credential-signer plugin.
#[repr(C)]
#[derive(Debug)]
pub struct KtCredentialSignerVtable {
    /// `sizeof(KtCredentialSignerVtable)` as the plugin was compiled.
    pub struct_size: usize,
    /// Seals claims into a session token.
    pub mint: KtMintFn,
    /// Opens a session token.
    pub open: KtOpenFn,
}

/// The function table of a policy-evaluator plugin.
#[repr(C)]
#[derive(Debug)]
pub struct KtPolicyEvaluatorVtable {
    /// `sizeof(KtPolicyEvaluatorVtable)` as the plugin was compiled.
    pub struct_size: usize,
    /// Decides a request.
    pub evaluate: KtEvaluateFn,
}
