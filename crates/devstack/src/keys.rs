//! RSA signing keys. Cognito signs ID and access tokens with different keys,
//! so there are two lists; the last key of each signs new tokens, and every
//! key ever used stays in the JWKS so tokens minted before a rotation still
//! verify (as during a real Cognito key rollover).

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

    /// Adds a new ID key and a new access key; new tokens are signed with them.
    pub fn rotate(&mut self) -> anyhow::Result<()> {
        self.id.push(Arc::new(KeyPair::generate()?));
        self.access.push(Arc::new(KeyPair::generate()?));
        Ok(())
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

    /// Loads `id-NNNN.pem` / `access-NNNN.pem` from `dir`, creating the folder
    /// and a first pair of keys if there are none.
    pub fn load_or_create(dir: &Path) -> anyhow::Result<Self> {
        let id = read_keys(dir, "id-")?;
        let access = read_keys(dir, "access-")?;
        if id.is_empty() || access.is_empty() || id.len() != access.len() {
            let store = Self::generate()?;
            store.save(dir)?;
            return Ok(store);
        }
        Ok(Self { id, access })
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
                let path = dir.join(format!("{prefix}{:04}.pem", i + 1));
                if path.exists() {
                    continue;
                }
                write_private(&path, &key.to_pem()?)?;
            }
        }
        Ok(())
    }
}

fn read_keys(dir: &Path, prefix: &str) -> anyhow::Result<Vec<Arc<KeyPair>>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => anyhow::bail!("cannot read state dir {}: {e}", dir.display()),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".pem"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            let pem = std::fs::read_to_string(dir.join(n))?;
            KeyPair::from_pem(&pem)
                .map(Arc::new)
                .map_err(|e| anyhow::anyhow!("key file {}: {e}", dir.join(n).display()))
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
