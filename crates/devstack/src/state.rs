//! State shared by both servers of one stack.

use crate::clock::Clock;
use crate::config::{AuthorizerMode, Seed};
use crate::keys::KeyStore;
use crate::store::Store;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// How the next token request fails (the `/_devstack` "fail next" control).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenFault {
    /// `400 {"error": …}` with this OAuth error code.
    OAuthError(String),
    /// This 5xx status, as when the endpoint itself is failing.
    Status(u16),
}

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
    /// CORS headers on gateway-generated errors; switched at run time.
    gateway_cors: AtomicBool,
    /// The fault the next `POST /oauth2/token` answers with, once.
    token_fault: Mutex<Option<TokenFault>>,
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
            gateway_cors: AtomicBool::new(gateway_cors),
            token_fault: Mutex::new(None),
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
    /// and starts signing with them; the previous keys stay published, older
    /// ones go (see [`crate::keys`]). Blocking (RSA keygen).
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

    pub fn gateway_cors(&self) -> bool {
        self.gateway_cors.load(Ordering::SeqCst)
    }

    pub fn set_gateway_cors(&self, on: bool) {
        self.gateway_cors.store(on, Ordering::SeqCst);
    }

    pub fn token_fault(&self) -> Option<TokenFault> {
        self.token_fault
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_token_fault(&self, fault: Option<TokenFault>) {
        *self.token_fault.lock().unwrap_or_else(|e| e.into_inner()) = fault;
    }

    /// The armed fault, disarming it: exactly one request fails.
    pub fn take_token_fault(&self) -> Option<TokenFault> {
        self.token_fault
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    pub fn issuer(&self) -> String {
        self.seed.issuer()
    }
}
