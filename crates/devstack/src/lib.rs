//! devstack: a local, offline stand-in for the Amazon Cognito hosted UI and
//! OAuth endpoints, plus an API Gateway REST `GET /book` with Cognito and
//! Lambda authorizers. Tokens are minted exactly as Cognito issues them
//! (real-format `iss`, RS256, separate ID/access keys), so the app and
//! verifiers such as aws-jwt-verify work against it unchanged; only the JWKS
//! is fetched from here.
//!
//! Start it in-process with [`start`] (tests, xtask) or run the `devstack`
//! binary.

pub mod clock;
pub mod config;
pub mod controls;
pub mod gateway;
pub mod hosted_ui;
pub mod http;
pub mod idp;
pub mod ids;
pub mod keys;
pub mod mint;
pub mod serve;
pub mod srp;
pub mod state;
pub mod store;
pub mod verify;

pub use clock::{Clock, ManualClock};
pub use config::seed::{Seed, SeedError};
pub use config::{AuthorizerMode, DevStackConfig, DEFAULT_API_PORT, DEFAULT_HOSTED_UI_PORT};
pub use keys::KeyStore;

use anyhow::Context;
use state::{KeySet, Shared};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Default state folder (git-ignored), relative to the current directory.
pub const DEFAULT_STATE_DIR: &str = ".devstack";

/// A running stack. Dropping it leaves the servers running until the runtime
/// ends; call [`Handle::shutdown`] for a clean stop.
pub struct Handle {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

fn normalise_origin(origin: &str) -> String {
    origin.trim_end_matches('/').to_string()
}

/// Adds `{origin}/callback` and `{origin}/` for each app origin.
fn with_app_origins(mut seed: Seed, origins: &[String]) -> Seed {
    for origin in origins.iter().map(|o| normalise_origin(o)) {
        let callback = format!("{origin}/callback");
        let logout = format!("{origin}/");
        if !seed.client.callback_urls.contains(&callback) {
            seed.client.callback_urls.push(callback);
        }
        if !seed.client.logout_urls.contains(&logout) {
            seed.client.logout_urls.push(logout);
        }
    }
    seed
}

async fn bind(port: u16, what: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!("{what} port {port} is busy (127.0.0.1:{port} already in use); pick another with --{}-port or stop the other process", what.replace(' ', "-"))
        } else {
            anyhow::anyhow!("cannot listen on 127.0.0.1:{port} for the {what}: {e}")
        }
    })
}

/// Starts both servers on 127.0.0.1 and returns once they accept connections.
pub async fn start(config: DevStackConfig) -> anyhow::Result<Handle> {
    let seed = with_app_origins(config.seed, &config.extra_app_origins);
    seed.validate_api()?;
    let user_pool_dir = config.state_dir.clone();
    let (keys, key_dir) = match config.keys {
        Some(k) => (k, None),
        None => {
            let dir = config
                .state_dir
                .unwrap_or_else(|| PathBuf::from(DEFAULT_STATE_DIR));
            let d = dir.clone();
            let keys = tokio::task::spawn_blocking(move || KeyStore::load_or_create(&d))
                .await
                .context("key generation task failed")??;
            (keys, Some(dir))
        }
    };
    let user_pool_dir = user_pool_dir.or_else(|| key_dir.clone());
    let ui_listener = bind(config.hosted_ui_port, "hosted ui").await?;
    let api_listener = bind(config.api_port, "api").await?;
    let hosted_ui_url = format!("http://127.0.0.1:{}", ui_listener.local_addr()?.port());
    let api_url = format!(
        "http://127.0.0.1:{}/{}",
        api_listener.local_addr()?.port(),
        seed.api.stage
    );
    let mut shared = Shared::new(
        seed,
        config.clock.unwrap_or_default(),
        KeySet::new(keys)?,
        key_dir,
        config.authorizer,
        config.gateway_responses_cors,
        hosted_ui_url,
        api_url,
    )?;
    if config.capture_log {
        shared.log = Arc::new(http::RequestLog::capturing());
    }
    // The user pool persists in the state dir (also with preset keys when a
    // state dir is given).
    if let Some(dir) = user_pool_dir {
        shared.idp.attach(&dir)?;
    }
    let shared = Arc::new(shared);
    let limits = serve::Limits {
        header_read_timeout: config.header_read_timeout,
        request_timeout: config.request_timeout,
        max_connections: config.max_connections,
    };

    let (stop, _) = watch::channel(false);
    let mut tasks = Vec::new();
    for (listener, router) in [
        (
            ui_listener,
            hosted_ui::router(shared.clone())
                .merge(idp::router(shared.clone()))
                .merge(controls::router(shared.clone())),
        ),
        (api_listener, gateway::router(shared.clone())),
    ] {
        let router = serve::harden(router, shared.panics.clone(), limits);
        tasks.push(tokio::spawn(serve::run(
            listener,
            router,
            limits,
            stop.subscribe(),
        )));
    }
    tasks.push(tokio::spawn(idp_flusher(shared.clone(), stop.subscribe())));
    Ok(Handle {
        shared,
        stop,
        tasks,
    })
}

/// Writes the user pool's state file at most every 100 ms while it changes,
/// and once more on shutdown.
async fn idp_flusher(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_millis(100)) => {}
            _ = stop.wait_for(|s| *s) => break,
        }
        let s = shared.clone();
        let _ = tokio::task::spawn_blocking(move || s.idp.flush()).await;
    }
    let s = shared.clone();
    let _ = tokio::task::spawn_blocking(move || s.idp.flush()).await;
}

/// The app's `config.json` (see docs/contract.md §1) for a stack at these URLs.
pub fn app_config_json(
    seed: &Seed,
    hosted_ui_url: &str,
    api_url: &str,
    app_origin: Option<&str>,
) -> serde_json::Value {
    let mut cfg = serde_json::json!({
        "clientId": seed.client.client_id,
        "domain": hosted_ui_url,
        "region": seed.pool.region,
        "userPoolId": seed.pool.id,
        "jwksUri": format!("{hosted_ui_url}{}", hosted_ui::wellknown::jwks_path(&seed.pool.id)),
        "apiUrl": api_url,
        "scopes": seed.client.allowed_scopes,
    });
    if seed.pool.issuer.is_some() {
        cfg["issuer"] = seed.issuer().into();
    }
    if let Some(origin) = app_origin.map(normalise_origin) {
        cfg["redirectUri"] = format!("{origin}/callback").into();
        cfg["logoutUri"] = format!("{origin}/").into();
    }
    cfg
}

/// The `apis` entry of each API devstack serves, `{name, url, authorizer,
/// scopes}`: one per authorizer kind, at the paths infra/backend.yaml
/// deploys, the Cognito one first (the one `call-book` calls unless the
/// `book-api` select says otherwise).
pub fn apis_json(seed: &Seed, api_url: &str) -> serde_json::Value {
    gateway::api_bases(api_url)
        .into_iter()
        .map(|(mode, url)| {
            let mut api = serde_json::json!({
                "name": api_name(mode),
                "url": url,
                "authorizer": mode.as_str(),
            });
            if mode == AuthorizerMode::CognitoScopes {
                api["scopes"] = seed.api.method_scopes.clone().into();
            }
            api
        })
        .collect()
}

fn api_name(mode: AuthorizerMode) -> &'static str {
    match mode {
        AuthorizerMode::Cognito => "Cognito authorizer (ID token)",
        AuthorizerMode::CognitoScopes => "Cognito authorizer with scopes (access token)",
        AuthorizerMode::Lambda => "Lambda TOKEN authorizer (access token)",
    }
}

/// [`app_config_json`] with `apis` (every authorizer kind) in place of
/// `apiUrl`: the contract forbids giving both.
pub fn app_config_json_with_apis(
    seed: &Seed,
    hosted_ui_url: &str,
    api_url: &str,
    app_origin: Option<&str>,
) -> serde_json::Value {
    let mut cfg = app_config_json(seed, hosted_ui_url, api_url, app_origin);
    if let Some(map) = cfg.as_object_mut() {
        map.remove("apiUrl");
        map.insert("apis".into(), apis_json(seed, api_url));
    }
    cfg
}

impl Handle {
    /// `http://127.0.0.1:PORT`: the Cognito domain (`domain` in config.json).
    pub fn hosted_ui_url(&self) -> String {
        self.shared.hosted_ui_url.clone()
    }

    /// `http://127.0.0.1:PORT/prod`: the API stage base URL.
    pub fn api_url(&self) -> String {
        self.shared.api_url.clone()
    }

    pub fn jwks_url(&self) -> String {
        format!(
            "{}{}",
            self.shared.hosted_ui_url,
            hosted_ui::wellknown::jwks_path(&self.shared.seed.pool.id)
        )
    }

    /// The `iss` of every token (the real Cognito format unless overridden).
    pub fn issuer(&self) -> String {
        self.shared.issuer()
    }

    pub fn client_id(&self) -> String {
        self.shared.seed.client.client_id.clone()
    }

    /// The seed in effect (app origins merged into the client's URLs).
    pub fn seed(&self) -> &Seed {
        &self.shared.seed
    }

    pub fn app_config_json(&self, app_origin: Option<&str>) -> serde_json::Value {
        app_config_json(
            &self.shared.seed,
            &self.shared.hosted_ui_url,
            &self.shared.api_url,
            app_origin,
        )
    }

    /// [`app_config_json_with_apis`] for this stack.
    pub fn app_config_json_with_apis(&self, app_origin: Option<&str>) -> serde_json::Value {
        app_config_json_with_apis(
            &self.shared.seed,
            &self.shared.hosted_ui_url,
            &self.shared.api_url,
            app_origin,
        )
    }

    /// Adds and starts using a new ID and access signing key; the previous
    /// keys stay in the JWKS, older ones go. Blocks for the RSA key
    /// generation.
    pub fn rotate_keys(&self) {
        if let Err(e) = self.shared.rotate_keys() {
            eprintln!("devstack: key rotation failed: {e}");
        }
    }

    /// The request log lines so far; empty unless `capture_log` was set.
    pub fn log_lines(&self) -> Vec<String> {
        self.shared.log.lines()
    }

    /// How many requests panicked (each was answered `500`).
    pub fn panics(&self) -> u64 {
        self.shared
            .panics
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn set_authorizer(&self, mode: AuthorizerMode) {
        self.shared.set_authorizer(mode);
    }

    pub fn authorizer(&self) -> AuthorizerMode {
        self.shared.authorizer()
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}
