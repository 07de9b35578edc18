//! RSA signing keys. Cognito signs ID and access tokens with different keys,
//! so there are two lists; the last key of each signs new tokens. A rotation
//! keeps the previous key of each list in the JWKS, so tokens minted before
//! it still verify until they age out, and drops older ones: the JWKS holds
//! at most [`KEPT_PER_USE`] keys per token use (the current and the previous
//! one, as a Cognito pool publishes during a rollover), however often keys
//! rotate. A token signed two rotations ago fails with an unknown `kid`.

use anyhow::Context;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

const BITS: usize = 2048;

/// Keys kept per token use (ID, access): the signing key and its predecessor.
pub const KEPT_PER_USE: usize = 2;

/// One RSA key with its Cognito-style `kid`. The rsa crate makes, stores and
/// publishes the key; ring signs with it, about four times as fast (3.5 →
/// 0.9 ms per RS256 signature here), and every sign-in signs two tokens.
pub struct KeyPair {
    kid: String,
    private: RsaPrivateKey,
    signer: RsaKeyPair,
    rng: SystemRandom,
}

impl KeyPair {
    pub fn generate() -> anyhow::Result<Self> {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, BITS)?;
        Self::from_private(private)
    }

    fn from_private(private: RsaPrivateKey) -> anyhow::Result<Self> {
        // Cognito's kids are base64 strings ending in '='; a hash of the
        // modulus gives the same shape and is stable for a given key.
        let kid = STANDARD.encode(Sha256::digest(private.n().to_bytes_be()));
        let der = private.to_pkcs8_der()?;
        let signer = RsaKeyPair::from_pkcs8(der.as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("the RSA key cannot sign RS256 (it must be 2048 to 8192 bits)")?;
        Ok(Self {
            kid,
            private,
            signer,
            rng: SystemRandom::new(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// RS256 signature of `input`.
    pub fn sign(&self, input: &[u8]) -> Vec<u8> {
        let mut signature = vec![0; self.signer.public().modulus_len()];
        // Fails only for a buffer of the wrong length or a broken RNG; the
        // buffer is sized from the key, and a token is never minted unsigned.
        self.signer
            .sign(&RSA_PKCS1_SHA256, &self.rng, input, &mut signature)
            .expect("RS256 signing with a checked key");
        signature
    }

    /// The public half as a JWK, as Cognito publishes it.
    pub fn jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(self.private.e().to_bytes_be()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(self.private.n().to_bytes_be()),
            "use": "sig",
        })
    }

    fn to_pem(&self) -> anyhow::Result<String> {
        Ok(self.private.to_pkcs8_pem(LineEnding::LF)?.to_string())
    }

    fn from_pem(pem: &str) -> anyhow::Result<Self> {
        Self::from_private(RsaPrivateKey::from_pkcs8_pem(pem)?)
    }
}

/// All keys of the pool. Cloning is cheap (keys are shared).
#[derive(Clone)]
pub struct KeyStore {
    id: Vec<Arc<KeyPair>>,
    access: Vec<Arc<KeyPair>>,
    /// The file number of the oldest key kept (`id-NNNN.pem`); numbers
    /// only grow, so a rotated-out key's file is never reused.
    first_serial: usize,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore")
            .field(
                "id_kids",
                &self.id.iter().map(|k| k.kid()).collect::<Vec<_>>(),
            )
            .field(
                "access_kids",
                &self.access.iter().map(|k| k.kid()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl KeyStore {
    /// Two fresh keys: one for ID tokens, one for access tokens. Slow (RSA
    /// keygen); tests should do it once per test binary.
    pub fn generate() -> anyhow::Result<Self> {
        Ok(Self {
            id: vec![Arc::new(KeyPair::generate()?)],
            access: vec![Arc::new(KeyPair::generate()?)],
            first_serial: 1,
        })
    }

    pub fn id_key(&self) -> &KeyPair {
        self.id.last().expect("a key store always holds an id key")
    }

    pub fn access_key(&self) -> &KeyPair {
        self.access
            .last()
            .expect("a key store always holds an access key")
    }

    /// Adds a new ID key and a new access key; new tokens are signed with
    /// them, the previous ones stay published, older ones are dropped.
    pub fn rotate(&mut self) -> anyhow::Result<()> {
        self.id.push(Arc::new(KeyPair::generate()?));
        self.access.push(Arc::new(KeyPair::generate()?));
        self.keep_newest();
        Ok(())
    }

    fn keep_newest(&mut self) {
        let drop = self.id.len().saturating_sub(KEPT_PER_USE);
        self.id.drain(..drop);
        self.access.drain(..drop);
        self.first_serial += drop;
    }

    /// The published `kid`s: ID keys, then access keys, oldest first.
    pub fn kids(&self) -> (Vec<&str>, Vec<&str>) {
        (
            self.id.iter().map(|k| k.kid()).collect(),
            self.access.iter().map(|k| k.kid()).collect(),
        )
    }

    /// `{"keys":[…]}` with every key, newest first.
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<_> = self
            .id
            .iter()
            .rev()
            .zip(self.access.iter().rev())
            .flat_map(|(i, a)| [i.jwk(), a.jwk()])
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// Loads `id-NNNN.pem` / `access-NNNN.pem` from `dir` (the newest
    /// [`KEPT_PER_USE`] of each), creating the folder and a first pair of
    /// keys if there are none. ID and access keys come in pairs; a folder
    /// where they do not is an error naming it.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        let id = read_keys(dir, "id-")?;
        let access = read_keys(dir, "access-")?;
        let serials = |keys: &[(usize, Arc<KeyPair>)]| keys.iter().map(|(n, _)| *n).collect();
        let (id_serials, access_serials): (Vec<usize>, Vec<usize>) =
            (serials(&id), serials(&access));
        if id.is_empty() && access.is_empty() {
            let store = Self::generate()?;
            store.save(dir)?;
            return Ok(store);
        }
        if id_serials != access_serials {
            anyhow::bail!(
                "state dir {} holds ID keys {id_serials:?} but access keys {access_serials:?}; \
                 remove its id-*.pem and access-*.pem files to start with new keys",
                dir.display()
            );
        }
        let mut store = Self {
            first_serial: id_serials[0],
            id: id.into_iter().map(|(_, k)| k).collect(),
            access: access.into_iter().map(|(_, k)| k).collect(),
        };
        store.keep_newest();
        Ok(store)
    }

    /// Writes every key (PKCS#8 PEM, owner-only on Unix) into `dir`.
    pub fn save(&self, dir: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create state dir {}: {e}", dir.display()))?;
        // Keep private keys out of git even when the state dir is not the
        // default (already ignored) `.devstack/`.
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "*\n")?;
        }
        for (prefix, list) in [("id-", &self.id), ("access-", &self.access)] {
            for (i, key) in list.iter().enumerate() {
                let path = dir.join(key_file(prefix, self.first_serial + i));
                if path.exists() {
                    continue;
                }
                write_private(&path, &key.to_pem()?)?;
            }
            // Rotated-out private keys do not linger on disk.
            for (serial, _) in read_serials(dir, prefix)? {
                if serial < self.first_serial {
                    std::fs::remove_file(dir.join(key_file(prefix, serial)))?;
                }
            }
        }
        Ok(())
    }
}

fn key_file(prefix: &str, serial: usize) -> String {
    format!("{prefix}{serial:04}.pem")
}

/// `(serial, file name)` of every `{prefix}NNNN.pem` in `dir`, in order.
fn read_serials(dir: &Path, prefix: &str) -> anyhow::Result<Vec<(usize, String)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => anyhow::bail!("cannot read state dir {}: {e}", dir.display()),
    };
    let mut found: Vec<(usize, String)> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|name| {
            let serial = name
                .strip_prefix(prefix)?
                .strip_suffix(".pem")?
                .parse()
                .ok()?;
            Some((serial, name))
        })
        .collect();
    found.sort();
    Ok(found)
}

fn read_keys(dir: &Path, prefix: &str) -> anyhow::Result<Vec<(usize, Arc<KeyPair>)>> {
    read_serials(dir, prefix)?
        .into_iter()
        .map(|(serial, name)| {
            let path = dir.join(&name);
            let pem = std::fs::read_to_string(&path)?;
            KeyPair::from_pem(&pem)
                .map(|k| (serial, Arc::new(k)))
                .map_err(|e| anyhow::anyhow!("key file {}: {e}", path.display()))
        })
        .collect()
}

fn write_private(path: &Path, pem: &str) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(pem.as_bytes())?;
    }
    #[cfg(not(unix))]
    std::fs::write(path, pem)?;
    Ok(())
}
