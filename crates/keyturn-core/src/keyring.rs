//! The keyring: key id → 256-bit key. One active key mints; every key opens.
//!
//! Each root key is never used directly: per-purpose subkeys are derived from it with
//! HMAC-SHA256 (token encryption, secret-key derivation, sealed messages), and their cipher
//! states are built once at load so that sealing and opening do no key setup. The seeds of the
//! outbound OIDC issuers' signing keys ([`crate::engine::outbound`]) derive from it the same way,
//! per account, on first use.
//!
//! On disk the keyring is a JSON file created with mode 0600 and replaced atomically (temporary
//! file, fsync, rename). Key material never appears in `Debug`, logs or errors, and it is wiped
//! from memory when the keyring is dropped.

use crate::ErrorCode;
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use aes_gcm::aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use ring::aead::{AES_256_GCM, LessSafeKey, UnboundKey};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::Error;
use crate::ids::rng;
use crate::ids::{AccountId, UniqueId, UniqueIdKind};

/// The identifier of a key in the keyring; it travels in every token sealed under the key.
pub type KeyId = u32;

/// The keyring file format's version.
const FILE_VERSION: u32 = 1;

/// One key and the cipher states derived from it.
#[derive(Clone)]
pub(crate) struct KeyEntry {
    pub(crate) id: KeyId,
    material: Zeroizing<[u8; 32]>,
    /// AES-256-GCM under the token subkey.
    pub(crate) token_cipher: LessSafeKey,
    /// AES-256-GCM under the message subkey (DecodeAuthorizationMessage payloads).
    pub(crate) message_cipher: LessSafeKey,
    /// AES-256 under the secret-derivation subkey, used as a PRF of a token's nonce (this key
    /// encrypts nothing else).
    pub(crate) secret_cipher: Aes256,
}

fn subkey(root: &[u8; 32], label: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    if let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(root) {
        mac.update(b"keyturn keyring v1\0");
        mac.update(label);
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

impl KeyEntry {
    fn new(id: KeyId, material: [u8; 32]) -> Result<Self, Error> {
        let material = Zeroizing::new(material);
        let setup = || Error::new(ErrorCode::InternalFailure, "keyring key setup failed");
        let gcm = |label: &[u8]| {
            UnboundKey::new(&AES_256_GCM, &subkey(&material, label)[..])
                .map(LessSafeKey::new)
                .map_err(|_| setup())
        };
        let token_cipher = gcm(b"token")?;
        let message_cipher = gcm(b"message")?;
        let secret_cipher = <Aes256 as KeyInit>::new_from_slice(&subkey(&material, b"secret")[..])
            .map_err(|_| setup())?;
        Ok(Self {
            id,
            material,
            token_cipher,
            message_cipher,
            secret_cipher,
        })
    }
}

/// A set of keys with one active key. Cheap to read concurrently; rotate through `&mut`.
#[derive(Clone)]
pub struct Keyring {
    /// Ordered by id; the last one is not necessarily active.
    keys: Vec<KeyEntry>,
    active: usize,
    /// The key of stable unique ids; unchanged by rotation.
    id_key: Zeroizing<[u8; 32]>,
}

#[derive(Serialize, Deserialize)]
struct KeyringFile {
    version: u32,
    active: KeyId,
    id_key: String,
    keys: Vec<KeyFileEntry>,
}

#[derive(Serialize, Deserialize)]
struct KeyFileEntry {
    id: KeyId,
    key: String,
}

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::new(
        ErrorCode::InternalFailure,
        format!("keyring: cannot {what} {}: {e}", path.display()),
    )
}

fn decode_key(text: &str) -> Result<[u8; 32], Error> {
    let bytes = Zeroizing::new(STANDARD.decode(text).map_err(|_| {
        Error::new(
            ErrorCode::InternalFailure,
            "keyring: a key is not valid base64",
        )
    })?);
    let mut out = [0u8; 32];
    if bytes.len() != 32 {
        return Err(Error::new(
            ErrorCode::InternalFailure,
            "keyring: a key is not 32 bytes long",
        ));
    }
    out.copy_from_slice(&bytes);
    Ok(out)
}

impl Keyring {
    /// A keyring with one fresh random key (id 1), active.
    pub fn generate() -> Result<Self, Error> {
        let material: [u8; 32] = rng::array()?;
        let id_key: [u8; 32] = rng::array()?;
        Self::from_keys(vec![(1, material)], 1, id_key)
    }

    /// A keyring from raw keys; `active` must be one of their ids, and ids must be distinct
    /// and at least 1 (key ids start at 1; 0 is refused, so that a zeroed or defaulted id in a
    /// hand-edited file never names a key).
    pub fn from_keys(
        keys: Vec<(KeyId, [u8; 32])>,
        active: KeyId,
        id_key: [u8; 32],
    ) -> Result<Self, Error> {
        if keys.iter().any(|(id, _)| *id == 0) {
            return Err(Error::new(
                ErrorCode::InternalFailure,
                "keyring: key id 0 is not allowed (key ids start at 1)",
            ));
        }
        let mut entries = keys
            .into_iter()
            .map(|(id, material)| KeyEntry::new(id, material))
            .collect::<Result<Vec<_>, _>>()?;
        entries.sort_by_key(|e| e.id);
        if entries.windows(2).any(|w| w[0].id == w[1].id) {
            return Err(Error::new(
                ErrorCode::InternalFailure,
                "keyring: duplicate key id",
            ));
        }
        let active = entries.iter().position(|e| e.id == active).ok_or_else(|| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("keyring: the active key {active} is missing"),
            )
        })?;
        Ok(Self {
            keys: entries,
            active,
            id_key: Zeroizing::new(id_key),
        })
    }

    /// Loads a keyring file.
    ///
    /// On Unix the file must not be accessible to group or others (as ssh requires of private
    /// keys): a keyring opens every session, so a readable copy is a leaked one. Such a file is
    /// refused, naming the file, its mode and the fix (`chmod 600`).
    pub fn load(path: &Path) -> Result<Self, Error> {
        let mut file = fs::File::open(path).map_err(|e| io_error("read", path, &e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // The mode of the file opened, not of whatever is at the path later.
            let mode = file
                .metadata()
                .map_err(|e| io_error("read", path, &e))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(Error::new(
                    ErrorCode::InternalFailure,
                    format!(
                        "keyring: {path} has mode {mode:04o}, open to group or others: a keyring opens every session, so only its owner may read it; run `chmod 600 {path}`",
                        path = path.display(),
                        mode = mode & 0o7777,
                    ),
                ));
            }
        }
        let mut text = Zeroizing::new(String::new());
        std::io::Read::read_to_string(&mut file, &mut text)
            .map_err(|e| io_error("read", path, &e))?;
        let file: KeyringFile = serde_json::from_str(&text).map_err(|_| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("keyring: {} is not a keyring file", path.display()),
            )
        })?;
        if file.version != FILE_VERSION {
            return Err(Error::new(
                ErrorCode::InternalFailure,
                format!(
                    "keyring: {} has unsupported version {}",
                    path.display(),
                    file.version
                ),
            ));
        }
        let keys = file
            .keys
            .iter()
            .map(|k| Ok((k.id, decode_key(&k.key)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        let id_key = decode_key(&file.id_key)?;
        let mut file = file;
        file.keys
            .iter_mut()
            .for_each(|k| zeroize::Zeroize::zeroize(&mut k.key));
        zeroize::Zeroize::zeroize(&mut file.id_key);
        Self::from_keys(keys, file.active, id_key)
    }

    /// Loads the keyring at `path`, or creates one with a fresh key there (mode 0600) if the file
    /// does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, Error> {
        if path.exists() {
            return Self::load(path);
        }
        let ring = Self::generate()?;
        ring.save(path)?;
        Ok(ring)
    }

    /// Writes the keyring to `path` atomically: a temporary file (mode 0600) in the same
    /// directory, fsync, rename over `path`, fsync of the directory.
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let file = KeyringFile {
            version: FILE_VERSION,
            active: self.active_id(),
            id_key: STANDARD.encode(&self.id_key[..]),
            keys: self
                .keys
                .iter()
                .map(|k| KeyFileEntry {
                    id: k.id,
                    key: STANDARD.encode(&k.material[..]),
                })
                .collect(),
        };
        let text = Zeroizing::new(serde_json::to_string_pretty(&file).map_err(|e| {
            Error::new(
                ErrorCode::InternalFailure,
                format!("keyring: cannot encode: {e}"),
            )
        })?);
        let mut file = file;
        file.keys
            .iter_mut()
            .for_each(|k| zeroize::Zeroize::zeroize(&mut k.key));
        zeroize::Zeroize::zeroize(&mut file.id_key);

        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let suffix: [u8; 6] = rng::array()?;
        let tmp = dir.join(format!(".{name}.{}.tmp", hex::encode(suffix)));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let result = (|| {
            let mut f = options
                .open(&tmp)
                .map_err(|e| io_error("create", &tmp, &e))?;
            f.write_all(text.as_bytes())
                .map_err(|e| io_error("write", &tmp, &e))?;
            f.sync_all().map_err(|e| io_error("sync", &tmp, &e))?;
            fs::rename(&tmp, path).map_err(|e| io_error("replace", path, &e))?;
            if let Ok(d) = fs::File::open(&dir) {
                // Makes the rename durable; some filesystems refuse to sync a directory.
                let _ = d.sync_all();
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Adds a fresh key, makes it the active key, and returns its id. Older keys keep opening.
    pub fn rotate(&mut self) -> Result<KeyId, Error> {
        let id = self
            .keys
            .iter()
            .map(|k| k.id)
            .max()
            .unwrap_or(0)
            .checked_add(1)
            .ok_or_else(|| Error::new(ErrorCode::InternalFailure, "keyring: no key id left"))?;
        let entry = KeyEntry::new(id, rng::array()?)?;
        self.keys.push(entry);
        self.active = self.keys.len() - 1;
        Ok(id)
    }

    /// Removes a key that is not active; tokens sealed under it no longer open.
    /// Returns whether the key was there.
    pub fn retire(&mut self, id: KeyId) -> Result<bool, Error> {
        if id == self.active_id() {
            return Err(Error::new(
                ErrorCode::InternalFailure,
                "keyring: cannot retire the active key",
            ));
        }
        let Some(pos) = self.keys.iter().position(|k| k.id == id) else {
            return Ok(false);
        };
        let active_id = self.active_id();
        self.keys.remove(pos);
        self.active = self
            .keys
            .iter()
            .position(|k| k.id == active_id)
            .unwrap_or(0);
        Ok(true)
    }

    /// The id of the key that mints.
    pub fn active_id(&self) -> KeyId {
        self.active().id
    }

    /// The ids of all keys, ascending.
    pub fn key_ids(&self) -> Vec<KeyId> {
        self.keys.iter().map(|k| k.id).collect()
    }

    /// The stable unique id (`AROA…`, `AIDA…`, …) of an entity, the same on every node that
    /// holds this keyring and unchanged by rotation.
    pub fn unique_id(&self, kind: UniqueIdKind, account: AccountId, name: &str) -> UniqueId {
        UniqueId::derive(kind, account, name, &self.id_key[..])
    }

    /// The unique id of an entity whose model holds `stored`: that id when it is a well-formed
    /// id of `kind` (given in a configuration, or generated when the entity was created through
    /// the API), otherwise the derived [`Keyring::unique_id`] (configured entities without one,
    /// and models stored before entities kept their ids).
    pub fn entity_id(
        &self,
        stored: Option<&str>,
        kind: UniqueIdKind,
        account: AccountId,
        name: &str,
    ) -> UniqueId {
        stored
            .and_then(|s| UniqueId::parse(s).ok())
            .filter(|id| id.kind() == Some(kind))
            .unwrap_or_else(|| self.unique_id(kind, account, name))
    }

    /// A 32-byte seed of an outbound (OIDC issuer) signing key of `account` under key `id`,
    /// for the purpose `label` (the algorithm); `None` when the key is not in the keyring.
    pub(crate) fn outbound_seed(
        &self,
        id: KeyId,
        account: &str,
        label: &[u8],
    ) -> Option<Zeroizing<[u8; 32]>> {
        let entry = self.get(id)?;
        let mut info = Vec::with_capacity(16 + label.len() + account.len());
        info.extend_from_slice(b"outbound\0");
        info.extend_from_slice(label);
        info.push(0);
        info.extend_from_slice(account.as_bytes());
        Some(subkey(&entry.material, &info))
    }

    pub(crate) fn active(&self) -> &KeyEntry {
        // `from_keys` guarantees `active` is in range and the list is never emptied below it.
        &self.keys[self.active.min(self.keys.len().saturating_sub(1))]
    }

    pub(crate) fn get(&self, id: KeyId) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| k.id == id)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("key_ids", &self.key_ids())
            .field("active", &self.active_id())
            .field("keys", &"***")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    /// A fresh directory under the system's temporary directory, removed on drop.
    struct Dir(std::path::PathBuf);

    impl Dir {
        fn new(tag: &str) -> Self {
            let suffix: [u8; 6] = rng::array().unwrap();
            let dir =
                std::env::temp_dir().join(format!("keyturn-keyring-{tag}-{}", hex::encode(suffix)));
            fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_keyring_open_to_group_or_others_is_refused_with_the_fix() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = Dir::new("mode");
        let path = dir.0.join("keyring.json");
        let ring = Keyring::load_or_create(&path).unwrap();
        let set = |mode: u32| fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        for mode in [0o644, 0o640, 0o604, 0o660, 0o666, 0o610] {
            set(mode);
            let e = Keyring::load(&path).unwrap_err();
            assert_eq!(e.error_code(), ErrorCode::InternalFailure);
            assert_eq!(
                e.message(),
                format!(
                    "keyring: {p} has mode {mode:04o}, open to group or others: a keyring opens every session, so only its owner may read it; run `chmod 600 {p}`",
                    p = path.display()
                )
            );
            // load_or_create refuses it too (the file exists), and leaves it alone.
            assert!(Keyring::load_or_create(&path).is_err());
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                mode
            );
        }
        for mode in [0o600, 0o400] {
            set(mode);
            let loaded = Keyring::load(&path).unwrap();
            assert_eq!(loaded.key_ids(), ring.key_ids());
        }
    }

    #[test]
    fn key_id_zero_is_refused() {
        let e = Keyring::from_keys(vec![(0, [1; 32])], 0, [2; 32]).unwrap_err();
        assert_eq!(
            e.message(),
            "keyring: key id 0 is not allowed (key ids start at 1)"
        );
        assert!(Keyring::from_keys(vec![(1, [1; 32]), (0, [3; 32])], 1, [2; 32]).is_err());
        assert!(Keyring::from_keys(vec![(1, [1; 32])], 1, [2; 32]).is_ok());
        // In a file: a keyring whose keys are 0 and 1 does not load.
        let dir = Dir::new("zero");
        let path = dir.0.join("keyring.json");
        let ring = Keyring::from_keys(vec![(1, [1; 32]), (2, [3; 32])], 1, [2; 32]).unwrap();
        ring.save(&path).unwrap();
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("\"id\": 2", "\"id\": 0");
        fs::write(&path, text).unwrap();
        assert_eq!(
            Keyring::load(&path).unwrap_err().message(),
            "keyring: key id 0 is not allowed (key ids start at 1)"
        );
    }
}
