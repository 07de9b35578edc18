//! State shared by both servers of one stack.

use crate::clock::Clock;
use crate::config::{AuthorizerMode, Seed};
use crate::keys::KeyStore;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

/// The keys plus their published and parsed JWKS, swapped as one on rotation.
pub struct KeySet {
    pub store: KeyStore,
    pub jwks_json: serde_json::Value,
    pub jwks: cognito_jwt::Jwks,
}

impl KeySet {
    pub fn new(store: KeyStore) -> anyhow::Result<Self> {
        let jwks_json = store.jwks();
        let jwks = cognito_jwt::Jwks::parse(&jwks_json.to_string())
            .map_err(|e| anyhow::anyhow!("own JWKS does not parse: {e}"))?;
        Ok(Self {
            store,
            jwks_json,
            jwks,
        })
    }
}

pub struct Shared {
    /// The seed with the extra app origins already merged into the client.
    pub seed: Seed,
    pub clock: Clock,
    /// Shared with `idp`, which saves its refresh tokens and revocations.
    pub store: Arc<Store>,
    /// The user pool behind the JSON API (and the hosted UI's sign-in).
    pub idp: crate::idp::Idp,
    /// Failed sign-in throttling for the hosted UI.
    pub lockouts: crate::hosted_ui::lockout::Lockouts,
    /// API Gateway's authorizer result cache.
    pub authorizer_cache: crate::gateway::authorizer_cache::AuthorizerCache,
    pub gateway_cors: bool,
    /// `^(?:expr)$`: API Gateway matches the whole header value.
    pub identity_regex: regex::Regex,
    pub hosted_ui_url: String,
    pub api_url: String,
    keys: RwLock<Arc<KeySet>>,
    /// Where rotated keys are saved; `None` for preset (test) keys.
    key_dir: Option<PathBuf>,
    rotating: Mutex<()>,
    authorizer: RwLock<AuthorizerMode>,
    /// The request log (stderr, and memory when capturing).
    pub log: Arc<crate::http::RequestLog>,
    /// Requests whose handler panicked (each answered 500).
    pub panics: Arc<std::sync::atomic::AtomicU64>,
}

impl Shared {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        seed: Seed,
        clock: Clock,
        keys: KeySet,
        key_dir: Option<PathBuf>,
        authorizer: AuthorizerMode,
        gateway_cors: bool,
        hosted_ui_url: String,
        api_url: String,
    ) -> anyhow::Result<Self> {
        let identity_regex = regex::Regex::new(&format!(
            "^(?:{})$",
            seed.api.identity_validation_expression
        ))?;
        let store = Arc::new(Store::default());
        let idp = crate::idp::Idp::new(&seed, clock.now(), store.clone());
        // The verifiers are all that is kept of the seed's passwords.
        let mut seed = seed;
        for u in &mut seed.users {
            u.password.clear();
        }
        Ok(Self {
            idp,
            seed,
            clock,
            store,
            lockouts: Default::default(),
            authorizer_cache: Default::default(),
            gateway_cors,
            identity_regex,
            hosted_ui_url,
            api_url,
            keys: RwLock::new(Arc::new(keys)),
            key_dir,
            rotating: Mutex::new(()),
            authorizer: RwLock::new(authorizer),
            log: Arc::default(),
            panics: Arc::default(),
        })
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn keys(&self) -> Arc<KeySet> {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Adds a new ID and access key, persists them when keys live on disk,
    /// and starts signing with them. Blocking (RSA keygen).
    pub fn rotate_keys(&self) -> anyhow::Result<()> {
        let _one_at_a_time = self.rotating.lock().unwrap_or_else(|e| e.into_inner());
        let mut store = self.keys().store.clone();
        store.rotate()?;
        if let Some(dir) = &self.key_dir {
            store.save(dir)?;
        }
        let set = Arc::new(KeySet::new(store)?);
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = set;
        Ok(())
    }

    pub fn authorizer(&self) -> AuthorizerMode {
        *self.authorizer.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_authorizer(&self, mode: AuthorizerMode) {
        *self.authorizer.write().unwrap_or_else(|e| e.into_inner()) = mode;
    }

    pub fn issuer(&self) -> String {
        self.seed.issuer()
    }
}
