//! The host side: load a plugin library, check it, create instances and call them through safe wrappers.
//!
//! Libraries are never unloaded: the `libloading::Library` is leaked on purpose, because function pointers,
//! static descriptors and thread-local destructors of the plugin may outlive any handle we could drop.
#![expect(
    unsafe_code,
    reason = "loading a library and calling its C functions through their pointers"
)]

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::abi::{
    KT_ABI_MAJOR, KT_ABI_MINOR, KT_PLUGIN_MAGIC, KtBuf, KtCredentialSignerVtable,
    KtIdentityProviderVtable, KtInitFn, KtPluginDescriptor, KtPluginKind, KtPolicyEvaluatorVtable,
    KtProbeFn, KtStatus, KtStr,
};

// The non-NULL forms of the ABI's function-pointer types, after the load checks. Assigning the checked `Option`s
// to these makes the compiler verify that the signatures agree with `abi.rs`.
type CreateFn = unsafe extern "C" fn(KtStr, *mut *mut c_void, *mut KtBuf) -> u32;
type DestroyFn = unsafe extern "C" fn(*mut c_void);
type FreeBufFn = unsafe extern "C" fn(KtBuf);
/// An entry point whose one input is JSON (`verify`, `mint`, `evaluate`).
type JsonFn = unsafe extern "C" fn(*mut c_void, KtStr, *mut KtBuf) -> u32;
type VerifyFn = JsonFn;
type MintFn = JsonFn;
type OpenFn = unsafe extern "C" fn(*mut c_void, KtStr, i64, *mut KtBuf) -> u32;
type EvaluateFn = JsonFn;
use crate::error::{KindName, LoadError, PluginError};
use crate::wire::{
    EvaluationDecision, EvaluationRequest, MintedToken, OpenedToken, RejectionBody, SessionClaims,
    VerifyRequest, VerifyResult,
};

/// The name of the probe symbol every plugin exports.
pub const PROBE_SYMBOL: &str = "keyturn_plugin_probe";
/// The name of the init symbol every plugin exports.
pub const INIT_SYMBOL: &str = "keyturn_plugin_init";

/// The size of `KtPluginDescriptor` in ABI 1.0: the smallest descriptor this host accepts.
pub const DESCRIPTOR_SIZE_V1_0: usize = size_of::<KtPluginDescriptor>();

impl KtPluginKind {
    /// The kind for a raw value, if this host knows it.
    pub fn from_raw(raw: u32) -> Option<Self> {
        match raw {
            1 => Some(Self::IdentityProvider),
            2 => Some(Self::CredentialSigner),
            3 => Some(Self::PolicyEvaluator),
            _ => None,
        }
    }
}

impl KtStatus {
    /// The status for a raw value, if this host knows it.
    pub fn from_raw(raw: u32) -> Option<Self> {
        match raw {
            0 => Some(Self::Ok),
            1 => Some(Self::InvalidInput),
            2 => Some(Self::Rejected),
            3 => Some(Self::Internal),
            4 => Some(Self::Panic),
            _ => None,
        }
    }
}

impl KtBuf {
    /// The empty buffer (NULL, 0, 0): what the host passes in and what "no output" looks like.
    pub const EMPTY: Self = Self {
        ptr: std::ptr::null_mut(),
        len: 0,
        cap: 0,
    };
}

impl KtStr {
    /// Borrows a byte slice for the duration of a call.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
        }
    }
}

/// Entry point of the host side: opens and checks plugin libraries.
#[derive(Debug)]
pub struct PluginLibrary;

/// The function table of a checked plugin, copied out of its vtable.
#[derive(Clone, Copy, Debug)]
enum Functions {
    IdentityProvider { verify: VerifyFn },
    CredentialSigner { mint: MintFn, open: OpenFn },
    PolicyEvaluator { evaluate: EvaluateFn },
}

/// A plugin library that passed every load check; create instances of it with the method of its kind.
#[derive(Debug, Clone)]
pub struct LoadedPlugin {
    path: PathBuf,
    kind: KtPluginKind,
    name: String,
    version: String,
    abi_minor: u16,
    create: CreateFn,
    destroy: DestroyFn,
    free_buf: FreeBufFn,
    functions: Functions,
}

impl PluginLibrary {
    /// Loads the library at `path` and checks, in this order: the probe symbol, magic, ABI major version, ABI minor
    /// version (not newer than the host's), descriptor size, kind (must be `expected`), then the descriptor's
    /// fields and the kind's function table. The library is never unloaded, even when a check fails.
    pub fn load(path: impl AsRef<Path>, expected: KtPluginKind) -> Result<LoadedPlugin, LoadError> {
        Self::load_checked(path.as_ref(), Some(expected))
    }

    /// Loads the library at `path` with the same checks as [`PluginLibrary::load`], except that any kind this host
    /// knows is accepted (for a configuration that lists plugins without saying their kind); see
    /// [`LoadedPlugin::kind`]. A kind this host does not know is `LoadError::UnknownKind`.
    pub fn load_any(path: impl AsRef<Path>) -> Result<LoadedPlugin, LoadError> {
        Self::load_checked(path.as_ref(), None)
    }

    fn load_checked(
        path: &Path,
        expected: Option<KtPluginKind>,
    ) -> Result<LoadedPlugin, LoadError> {
        let path = path.to_path_buf();
        // SAFETY: loading a library runs its initialisers. Plugins are code the operator chose to run (named in
        // the configuration); that trust is the premise of any plugin system.
        let library =
            unsafe { libloading::Library::new(&path) }.map_err(|source| LoadError::Open {
                path: path.clone(),
                source,
            })?;
        let library: &'static libloading::Library = Box::leak(Box::new(library));

        // SAFETY: the symbol's type is fixed by the ABI (`KtProbe keyturn_plugin_probe(void)`); a library that
        // exports the name with another type breaks the ABI contract, which no check could detect.
        let probe: KtProbeFn = unsafe { symbol(library, &path, PROBE_SYMBOL) }?;
        // SAFETY: the probe takes nothing and returns a small `#[repr(C)]` value; it reads no host memory.
        let found = unsafe { probe() };
        if found.magic != KT_PLUGIN_MAGIC {
            return Err(LoadError::BadMagic {
                path,
                expected: KT_PLUGIN_MAGIC,
                found: found.magic,
            });
        }
        if found.abi_major != KT_ABI_MAJOR {
            return Err(LoadError::MajorMismatch {
                path,
                expected: KT_ABI_MAJOR,
                found: found.abi_major,
            });
        }
        if found.abi_minor > KT_ABI_MINOR {
            return Err(LoadError::NewerMinor {
                path,
                major: KT_ABI_MAJOR,
                expected: KT_ABI_MINOR,
                found: found.abi_minor,
            });
        }

        // SAFETY: as for the probe: the ABI fixes the type `const KtPluginDescriptor *keyturn_plugin_init(void)`.
        let init: KtInitFn = unsafe { symbol(library, &path, INIT_SYMBOL) }?;
        // SAFETY: the magic and version say this library speaks ABI 1.x, whose init takes nothing.
        let descriptor = unsafe { init() };
        if descriptor.is_null() {
            return Err(LoadError::NullDescriptor { path });
        }
        // SAFETY: a non-NULL descriptor points to at least its first field (`struct_size`, ABI 1.x); only that
        // field is read before the size check.
        let size = unsafe { std::ptr::addr_of!((*descriptor).struct_size).read_unaligned() };
        if size < DESCRIPTOR_SIZE_V1_0 {
            return Err(LoadError::StructTooSmall {
                path,
                structure: "KtPluginDescriptor",
                expected: DESCRIPTOR_SIZE_V1_0,
                found: size,
            });
        }
        // SAFETY: the plugin states the descriptor holds `size` >= size_of::<KtPluginDescriptor>() bytes and
        // lives as long as the library, which is never unloaded. Every field type accepts any bit pattern of its
        // C counterpart (integers, raw pointers, nullable function pointers).
        let descriptor: &'static KtPluginDescriptor = unsafe { &*descriptor };

        let kind = match (KtPluginKind::from_raw(descriptor.kind), expected) {
            (Some(kind), None) => kind,
            (Some(kind), Some(expected)) if kind == expected => kind,
            (None, None) => {
                return Err(LoadError::UnknownKind {
                    path,
                    found: descriptor.kind,
                });
            }
            (found, Some(expected)) => {
                let found = found.map_or(KindName::Unknown(descriptor.kind), KindName::Known);
                return Err(LoadError::WrongKind {
                    path,
                    expected: KindName::Known(expected),
                    found,
                });
            }
        };

        let invalid = |reason: String| LoadError::InvalidDescriptor {
            path: path.clone(),
            reason,
        };
        // SAFETY: the ABI requires name and version to be valid for the life of the process.
        let name = unsafe { read_static_text(descriptor.name) }
            .map_err(|e| invalid(format!("name: {e}")))?;
        // SAFETY: as above.
        let version = unsafe { read_static_text(descriptor.version) }
            .map_err(|e| invalid(format!("version: {e}")))?;
        let create = descriptor
            .create
            .ok_or_else(|| invalid("create is NULL".to_owned()))?;
        let destroy = descriptor
            .destroy
            .ok_or_else(|| invalid("destroy is NULL".to_owned()))?;
        let free_buf = descriptor
            .free_buf
            .ok_or_else(|| invalid("free_buf is NULL".to_owned()))?;
        if descriptor.vtable.is_null() {
            return Err(invalid("vtable is NULL".to_owned()));
        }
        let functions = read_functions(&path, kind, descriptor.vtable)?;

        Ok(LoadedPlugin {
            path,
            kind,
            name,
            version,
            abi_minor: found.abi_minor,
            create,
            destroy,
            free_buf,
            functions,
        })
    }
}

/// The function `name` exported by `library`, or `MissingSymbol`.
///
/// # Safety
/// `T` is the symbol's type as the ABI fixes it.
unsafe fn symbol<T: Copy>(
    library: &libloading::Library,
    path: &Path,
    name: &'static str,
) -> Result<T, LoadError> {
    // SAFETY: the caller names the symbol's type.
    unsafe { library.get::<T>(name.as_bytes()) }
        .map(|found| *found)
        .map_err(|_| LoadError::MissingSymbol {
            path: path.to_path_buf(),
            symbol: name,
        })
}

/// Reads `struct_size` of a vtable and refuses it if smaller than `T`; then borrows the whole table.
///
/// # Safety
/// `vtable` is non-NULL and points to a table of the kind `T`, valid for the life of the process.
unsafe fn checked_vtable<T>(
    path: &Path,
    structure: &'static str,
    vtable: *const c_void,
) -> Result<&'static T, LoadError> {
    // SAFETY: every vtable starts with `struct_size: usize`, the only field read before the size check.
    let size = unsafe { vtable.cast::<usize>().read_unaligned() };
    let expected = size_of::<T>();
    if size < expected {
        return Err(LoadError::StructTooSmall {
            path: path.to_path_buf(),
            structure,
            expected,
            found: size,
        });
    }
    // SAFETY: the table holds at least `size_of::<T>()` bytes (checked) and lives as long as the library.
    Ok(unsafe { &*vtable.cast::<T>() })
}

fn read_functions(
    path: &Path,
    kind: KtPluginKind,
    vtable: *const c_void,
) -> Result<Functions, LoadError> {
    let missing = |name: &str| LoadError::InvalidDescriptor {
        path: path.to_path_buf(),
        reason: format!("vtable function {name} is NULL"),
    };
    match kind {
        KtPluginKind::IdentityProvider => {
            // SAFETY: the kind was checked; the vtable pointer is non-NULL and static per the ABI.
            let table: &KtIdentityProviderVtable =
                unsafe { checked_vtable(path, "KtIdentityProviderVtable", vtable) }?;
            Ok(Functions::IdentityProvider {
                verify: table.verify.ok_or_else(|| missing("verify"))?,
            })
        }
        KtPluginKind::CredentialSigner => {
            // SAFETY: as above.
            let table: &KtCredentialSignerVtable =
                unsafe { checked_vtable(path, "KtCredentialSignerVtable", vtable) }?;
            Ok(Functions::CredentialSigner {
                mint: table.mint.ok_or_else(|| missing("mint"))?,
                open: table.open.ok_or_else(|| missing("open"))?,
            })
        }
        KtPluginKind::PolicyEvaluator => {
            // SAFETY: as above.
            let table: &KtPolicyEvaluatorVtable =
                unsafe { checked_vtable(path, "KtPolicyEvaluatorVtable", vtable) }?;
            Ok(Functions::PolicyEvaluator {
                evaluate: table.evaluate.ok_or_else(|| missing("evaluate"))?,
            })
        }
    }
}

/// Copies a UTF-8 string out of a `KtStr` that lives for the life of the process.
///
/// # Safety
/// `text.ptr` points to `text.len` readable bytes (or is NULL with `len` 0).
unsafe fn read_static_text(text: KtStr) -> Result<String, String> {
    if text.ptr.is_null() {
        return if text.len == 0 {
            Ok(String::new())
        } else {
            Err("NULL pointer with a length".to_owned())
        };
    }
    if text.len > isize::MAX as usize {
        return Err("length too large".to_owned());
    }
    // SAFETY: the caller guarantees `len` readable bytes at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(text.ptr, text.len) };
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| format!("not UTF-8: {e}"))
}

impl LoadedPlugin {
    /// The library's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The plugin's kind.
    pub fn kind(&self) -> KtPluginKind {
        self.kind
    }
    /// The plugin's name, from its descriptor.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The plugin's own version, from its descriptor.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// The ABI version the plugin was built against.
    pub fn abi_version(&self) -> (u16, u16) {
        (KT_ABI_MAJOR, self.abi_minor)
    }

    fn instantiate(&self, config: &serde_json::Value) -> Result<Instance, LoadError> {
        let create_error = |source| LoadError::Create {
            path: self.path.clone(),
            source,
        };
        let config = serde_json::to_vec(config).map_err(|e| {
            create_error(PluginError::RequestEncoding {
                reason: e.to_string(),
            })
        })?;
        let mut handle: *mut c_void = std::ptr::null_mut();
        let mut out = KtBuf::EMPTY;
        // SAFETY: `config` outlives the call; `handle` and `out` are valid for writes; `create` came from a
        // checked descriptor.
        let status = unsafe { (self.create)(KtStr::from_bytes(&config), &mut handle, &mut out) };
        let buffer = OwnedOutput {
            buf: out,
            free_buf: self.free_buf,
        };
        interpret(status, buffer).map_err(create_error)?;
        if handle.is_null() {
            return Err(create_error(PluginError::MalformedOutput {
                reason: "create returned OK but no handle".to_owned(),
            }));
        }
        Ok(Instance {
            handle,
            destroy: self.destroy,
            free_buf: self.free_buf,
            name: Arc::from(self.name.as_str()),
        })
    }

    fn wrong_kind(&self, expected: KtPluginKind) -> LoadError {
        LoadError::WrongKind {
            path: self.path.clone(),
            expected: KindName::Known(expected),
            found: KindName::Known(self.kind),
        }
    }

    /// Creates an identity-provider instance with its JSON configuration.
    pub fn identity_provider(
        &self,
        config: &serde_json::Value,
    ) -> Result<IdentityProviderPlugin, LoadError> {
        let Functions::IdentityProvider { verify } = self.functions else {
            return Err(self.wrong_kind(KtPluginKind::IdentityProvider));
        };
        Ok(IdentityProviderPlugin {
            instance: Arc::new(self.instantiate(config)?),
            verify,
            deadline: None,
            overdue: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Creates a credential-signer instance with its JSON configuration.
    pub fn credential_signer(
        &self,
        config: &serde_json::Value,
    ) -> Result<CredentialSignerPlugin, LoadError> {
        let Functions::CredentialSigner { mint, open } = self.functions else {
            return Err(self.wrong_kind(KtPluginKind::CredentialSigner));
        };
        Ok(CredentialSignerPlugin {
            instance: self.instantiate(config)?,
            mint,
            open,
        })
    }

    /// Creates a policy-evaluator instance with its JSON configuration.
    pub fn policy_evaluator(
        &self,
        config: &serde_json::Value,
    ) -> Result<PolicyEvaluatorPlugin, LoadError> {
        let Functions::PolicyEvaluator { evaluate } = self.functions else {
            return Err(self.wrong_kind(KtPluginKind::PolicyEvaluator));
        };
        Ok(PolicyEvaluatorPlugin {
            instance: self.instantiate(config)?,
            evaluate,
        })
    }
}

/// A buffer returned by the plugin: copied, then released with the plugin's `free_buf` exactly once.
struct OwnedOutput {
    buf: KtBuf,
    free_buf: FreeBufFn,
}

impl OwnedOutput {
    fn bytes(&self) -> Result<Vec<u8>, PluginError> {
        if self.buf.ptr.is_null() {
            return if self.buf.len == 0 {
                Ok(Vec::new())
            } else {
                Err(PluginError::MalformedOutput {
                    reason: "NULL buffer with a non-zero length".to_owned(),
                })
            };
        }
        if self.buf.len > isize::MAX as usize {
            return Err(PluginError::MalformedOutput {
                reason: "buffer length too large".to_owned(),
            });
        }
        // SAFETY: the plugin returned a non-NULL buffer of `len` bytes that stays valid until `free_buf`, which
        // only `drop` calls.
        Ok(unsafe { std::slice::from_raw_parts(self.buf.ptr, self.buf.len) }.to_vec())
    }
}

impl Drop for OwnedOutput {
    fn drop(&mut self) {
        if !self.buf.ptr.is_null() {
            let buf = std::mem::replace(&mut self.buf, KtBuf::EMPTY);
            // SAFETY: a non-NULL buffer from this plugin, released once (the field is emptied first).
            unsafe { (self.free_buf)(buf) };
        }
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Turns a status and its output buffer into the output bytes or a typed error.
fn interpret(status: u32, output: OwnedOutput) -> Result<Vec<u8>, PluginError> {
    let bytes = output.bytes()?;
    drop(output);
    match KtStatus::from_raw(status) {
        Some(KtStatus::Ok) => Ok(bytes),
        Some(KtStatus::Rejected) => match serde_json::from_slice::<RejectionBody>(&bytes) {
            Ok(body) => Err(PluginError::Rejected {
                code: body.code,
                message: body.message,
            }),
            Err(e) => Err(PluginError::MalformedOutput {
                reason: format!("rejection body: {e}"),
            }),
        },
        Some(KtStatus::InvalidInput) => Err(PluginError::InvalidInput {
            message: lossy(&bytes),
        }),
        Some(KtStatus::Internal) => Err(PluginError::Internal {
            message: lossy(&bytes),
        }),
        Some(KtStatus::Panic) => Err(PluginError::Panicked {
            message: lossy(&bytes),
        }),
        None => Err(PluginError::UnknownStatus { status }),
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, PluginError> {
    serde_json::from_slice(bytes).map_err(|e| PluginError::MalformedOutput {
        reason: e.to_string(),
    })
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, PluginError> {
    serde_json::to_vec(value).map_err(|e| PluginError::RequestEncoding {
        reason: e.to_string(),
    })
}

/// One plugin instance: the handle, destroyed when the last wrapper goes.
#[derive(Debug)]
struct Instance {
    handle: *mut c_void,
    destroy: DestroyFn,
    free_buf: FreeBufFn,
    name: Arc<str>,
}

// SAFETY: the ABI requires every entry point to be callable from any thread, concurrently, on the same handle
// (docs/plugin-abi.md, "Threads"); the handle is an opaque token the host never dereferences.
unsafe impl Send for Instance {}
// SAFETY: as above.
unsafe impl Sync for Instance {}

impl Instance {
    /// Calls entry point `f`, whose one input is JSON, with `input`, and decodes its answer.
    fn call_json<I: Serialize, O: DeserializeOwned>(
        &self,
        f: JsonFn,
        input: &I,
    ) -> Result<O, PluginError> {
        // The request may carry secrets (a SAML provider's private keys): wiped after the call.
        let input = zeroize::Zeroizing::new(encode(input)?);
        // SAFETY: `input` outlives the call, `out` is valid for writes, the handle is live.
        let bytes =
            self.call(|handle, out| unsafe { f(handle, KtStr::from_bytes(&input), out) })?;
        decode(&bytes)
    }

    fn call(&self, f: impl FnOnce(*mut c_void, *mut KtBuf) -> u32) -> Result<Vec<u8>, PluginError> {
        let mut out = KtBuf::EMPTY;
        let status = f(self.handle, &mut out);
        interpret(
            status,
            OwnedOutput {
                buf: out,
                free_buf: self.free_buf,
            },
        )
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: the handle came from this plugin's `create`, and no call is running (we hold the only owner).
        unsafe { (self.destroy)(self.handle) };
    }
}

/// How many calls past their deadline may still be running in one identity-provider instance
/// before the next call is refused at once ([`PluginError::TimedOut`]) instead of given a thread
/// of its own: a plugin that hangs on every call costs at most this many threads.
pub const MAX_OVERDUE_CALLS: usize = 16;

/// An identity-provider plugin instance.
#[derive(Debug)]
pub struct IdentityProviderPlugin {
    /// Shared with the threads of calls under a deadline, which may outlive their caller.
    instance: Arc<Instance>,
    verify: VerifyFn,
    /// How long a call may take ([`IdentityProviderPlugin::with_deadline`]); `None`: no limit.
    deadline: Option<Duration>,
    /// Calls that passed their deadline and are still running.
    overdue: Arc<AtomicUsize>,
}

impl IdentityProviderPlugin {
    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.instance.name
    }

    /// The same instance, each of whose calls is given at most `deadline`: a call that takes
    /// longer is answered [`PluginError::TimedOut`] while the plugin's code goes on in its own
    /// thread (a C function cannot be interrupted), which frees itself when the call returns.
    pub fn with_deadline(self, deadline: Duration) -> Self {
        Self {
            deadline: Some(deadline),
            ..self
        }
    }

    /// The deadline of each call, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Verifies an identity, within the deadline when there is one.
    ///
    /// # Errors
    /// The plugin's [`PluginError`]; [`PluginError::TimedOut`] when the deadline passed first
    /// (or [`MAX_OVERDUE_CALLS`] earlier calls are still running past theirs).
    pub fn verify(&self, request: &VerifyRequest) -> Result<VerifyResult, PluginError> {
        let Some(deadline) = self.deadline else {
            return self.instance.call_json(self.verify, request);
        };
        let timed_out = PluginError::TimedOut {
            after_ms: u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX),
        };
        if self.overdue.load(Ordering::Acquire) >= MAX_OVERDUE_CALLS {
            return Err(timed_out);
        }
        // The request may carry secrets: the thread's copy is wiped when it is done.
        let input = zeroize::Zeroizing::new(encode(request)?);
        let (send, answer) = std::sync::mpsc::sync_channel(1);
        let (instance, verify) = (Arc::clone(&self.instance), self.verify);
        // Set by whichever side gives up first: the caller at its deadline, or the call's end.
        let state = Arc::new(AtomicUsize::new(RUNNING));
        let call_state = Arc::clone(&state);
        let overdue = Arc::clone(&self.overdue);
        std::thread::Builder::new()
            .name(format!("keyturn-idp-{}", instance.name))
            .spawn(move || {
                // SAFETY: `input` outlives the call, `out` is valid for writes, the handle is live
                // (the thread holds the instance).
                let bytes = instance
                    .call(|handle, out| unsafe { verify(handle, KtStr::from_bytes(&input), out) });
                if call_state.swap(DONE, Ordering::AcqRel) == ABANDONED {
                    overdue.fetch_sub(1, Ordering::AcqRel);
                }
                let _ = send.send(bytes);
            })
            .map_err(|e| PluginError::Internal {
                message: format!("cannot start the call's thread: {e}"),
            })?;
        match answer.recv_timeout(deadline) {
            Ok(bytes) => decode(&bytes?),
            Err(_) => {
                // Counted before it is marked, so that the thread's decrement always follows.
                self.overdue.fetch_add(1, Ordering::AcqRel);
                if state.swap(ABANDONED, Ordering::AcqRel) == DONE {
                    // It returned just now: its answer is (about to be) in the channel.
                    self.overdue.fetch_sub(1, Ordering::AcqRel);
                    return match answer.recv() {
                        Ok(bytes) => decode(&bytes?),
                        Err(_) => Err(timed_out),
                    };
                }
                Err(timed_out)
            }
        }
    }
}

/// A call under a deadline: still running, given up by its caller, or returned.
const RUNNING: usize = 0;
/// See [`RUNNING`].
const ABANDONED: usize = 1;
/// See [`RUNNING`].
const DONE: usize = 2;

/// A credential-signer plugin instance.
#[derive(Debug)]
pub struct CredentialSignerPlugin {
    instance: Instance,
    mint: MintFn,
    open: OpenFn,
}

impl CredentialSignerPlugin {
    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.instance.name
    }

    /// Seals session claims into a session token.
    pub fn mint(&self, claims: &SessionClaims) -> Result<MintedToken, PluginError> {
        self.instance.call_json(self.mint, claims)
    }

    /// Opens a session token at `now_unix` (seconds).
    pub fn open(&self, token: &str, now_unix: i64) -> Result<OpenedToken, PluginError> {
        let open = self.open;
        // SAFETY: `token` outlives the call, `out` is valid for writes, the handle is live.
        let bytes = self.instance.call(|handle, out| unsafe {
            open(handle, KtStr::from_bytes(token.as_bytes()), now_unix, out)
        })?;
        decode(&bytes)
    }
}

/// A policy-evaluator plugin instance.
#[derive(Debug)]
pub struct PolicyEvaluatorPlugin {
    instance: Instance,
    evaluate: EvaluateFn,
}

impl PolicyEvaluatorPlugin {
    /// The plugin's name.
    pub fn name(&self) -> &str {
        &self.instance.name
    }

    /// Decides a request.
    pub fn evaluate(&self, request: &EvaluationRequest) -> Result<EvaluationDecision, PluginError> {
        self.instance.call_json(self.evaluate, request)
    }
}
