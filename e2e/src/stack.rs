//! The whole demo for one test: devstack (hosted UI + API) in-process, the
//! app's dist/ with a config.json pointing at it, and a browser.

use std::sync::OnceLock;

use devstack::{AuthorizerMode, Clock, DevStackConfig, KeyStore, Seed};
use serde_json::{json, Value};

use crate::{dist_dir, Browser, Site};

/// The seed's demo user.
pub const USER: &str = "demo";
pub const PASSWORD: &str = "Passw0rd!";

/// What a test changes from the defaults.
pub struct Options {
    /// Changes to the built-in seed.
    pub seed: fn(&mut Seed),
    /// Keys of the app's config.json to set (e.g. `tokenStorage`).
    pub config: Value,
    pub authorizer: AuthorizerMode,
    pub gateway_cors: bool,
    pub clock: Option<Clock>,
    /// Serve the app with the production security headers (CSP included,
    /// computed for this test's hosts); on by default.
    pub production_headers: bool,
    /// config.json lists every API devstack serves (`apis`, each with its
    /// authorizer) instead of one `apiUrl`.
    pub apis: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: |_| {},
            config: json!({}),
            authorizer: AuthorizerMode::Cognito,
            gateway_cors: true,
            clock: None,
            production_headers: true,
            apis: false,
        }
    }
}

pub struct Stack {
    pub browser: Browser,
    pub devstack: devstack::Handle,
    pub site: Site,
}

/// RSA key generation is slow; one key set per test binary.
pub fn keys() -> KeyStore {
    static KEYS: OnceLock<KeyStore> = OnceLock::new();
    KEYS.get_or_init(|| KeyStore::generate().expect("generate RSA keys"))
        .clone()
}

impl Stack {
    pub async fn start() -> Stack {
        Stack::with(Options::default()).await
    }

    pub async fn with(options: Options) -> Stack {
        let site = Site::start(&dist_dir(), None).await;
        let mut seed = Seed::builtin();
        (options.seed)(&mut seed);
        let mut config = DevStackConfig::from_seed(seed);
        config.hosted_ui_port = 0;
        config.api_port = 0;
        config.extra_app_origins = vec![site.origin()];
        config.authorizer = options.authorizer;
        config.gateway_responses_cors = options.gateway_cors;
        config.keys = Some(keys());
        config.clock = options.clock;
        config.state_dir = None;
        config.capture_log = true;
        let devstack = devstack::start(config).await.expect("start devstack");

        let mut app_config = if options.apis {
            devstack.app_config_json_with_apis(Some(&site.origin()))
        } else {
            devstack.app_config_json(Some(&site.origin()))
        };
        if let (Some(target), Some(changes)) =
            (app_config.as_object_mut(), options.config.as_object())
        {
            for (key, value) in changes {
                target.insert(key.clone(), value.clone());
            }
        }
        site.set_config(app_config.to_string());
        if options.production_headers {
            let index = std::fs::read_to_string(dist_dir().join("index.html"))
                .expect("read the built index.html");
            let policy = crate::csp::policy(&index, &app_config);
            site.set_headers(crate::csp::production_headers(&policy));
        }
        let browser = Browser::start().await;
        Stack {
            browser,
            devstack,
            site,
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.site.url(path)
    }

    /// Chooses `flow` on the home page and clicks `login`; returns once the
    /// hosted UI's login form is shown.
    pub async fn start_sign_in(&self, flow: &str) {
        let b = &self.browser;
        if !b.current_url().await.starts_with(&self.site.origin()) {
            b.goto(&self.url("/")).await;
        }
        b.testid("flow").await;
        b.eval(&format!(
            "const s = document.querySelector('[data-testid=flow]'); s.value = '{flow}'; s.dispatchEvent(new Event('change')); return null"
        ))
        .await;
        b.testid("login").await.click().await.expect("click login");
    }

    /// Fills and submits the hosted UI's login form.
    pub async fn submit_login_form(&self, user: &str, password: &str) {
        self.browser.submit_login_form(user, password).await;
    }

    /// A full sign-in through the real login form; returns on `/profile`
    /// with both reports valid.
    pub async fn sign_in(&self, flow: &str) {
        self.start_sign_in(flow).await;
        self.submit_login_form(USER, PASSWORD).await;
        self.wait_signed_in().await;
    }

    pub async fn wait_signed_in(&self) {
        let b = &self.browser;
        let report = b.css("[data-testid=verify-id][data-status=valid]").await;
        assert!(report.is_displayed().await.unwrap_or(false));
        b.css("[data-testid=verify-access][data-status=valid]")
            .await;
        let user = b.testid("user").await.text().await.unwrap_or_default();
        assert!(user.contains(USER), "the nav names the user: {user:?}");
    }

    /// Signed in, as the home page shows it.
    pub async fn wait_signed_in_on_home(&self) {
        self.browser.testid("session-summary").await;
        let user = self
            .browser
            .testid("user")
            .await
            .text()
            .await
            .unwrap_or_default();
        assert!(user.contains(USER), "the nav names the user: {user:?}");
    }

    /// No session: no `user` in the page, no tokens in either storage area.
    pub async fn assert_no_session(&self) {
        assert!(
            !self.browser.has("[data-testid=user]").await,
            "no user is shown"
        );
        for area in ["sessionStorage", "localStorage"] {
            assert_eq!(self.stored_tokens(area).await, None, "no tokens in {area}");
        }
    }

    /// The `auth-error` text, once shown; the address bar must be clean by then.
    pub async fn auth_error(&self) -> String {
        let text = self
            .browser
            .testid("auth-error")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(
            self.browser.current_url().await,
            self.url("/callback"),
            "the address bar is clean"
        );
        text
    }

    /// Redeems an authorization code at devstack's token endpoint, as the
    /// app would; returns the status and the JSON answer.
    pub async fn redeem_code(&self, code: &str, verifier: &str) -> (u16, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/oauth2/token", self.devstack.hosted_ui_url()))
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", &self.devstack.client_id()),
                ("code", code),
                ("redirect_uri", &self.url("/callback")),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .expect("POST /oauth2/token");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A value of the app origin's Web Storage (`sessionStorage` or
    /// `localStorage`).
    pub async fn storage(&self, area: &str, key: &str) -> Value {
        self.browser
            .eval(&format!("return window.{area}.getItem('{key}')"))
            .await
    }

    /// The stored token set, parsed.
    pub async fn stored_tokens(&self, area: &str) -> Option<Value> {
        match self.storage(area, "cognito-spa.session").await {
            Value::String(text) => serde_json::from_str(&text).ok(),
            _ => None,
        }
    }

    /// Another devstack for the same app origin (another user pool or app
    /// client): `seed` changes the built-in seed, `keys` defaults to this
    /// test binary's shared keys.
    pub async fn other_devstack(
        &self,
        seed: impl FnOnce(&mut Seed),
        keys: Option<KeyStore>,
    ) -> devstack::Handle {
        let mut s = Seed::builtin();
        seed(&mut s);
        let mut config = DevStackConfig::from_seed(s);
        config.hosted_ui_port = 0;
        config.api_port = 0;
        config.extra_app_origins = vec![self.site.origin()];
        config.keys = Some(keys.unwrap_or_else(self::keys));
        config.state_dir = None;
        config.capture_log = true;
        devstack::start(config)
            .await
            .expect("start another devstack")
    }

    /// Fails the test on any Content-Security-Policy violation the browser
    /// reported, then ends the browser and devstack.
    pub async fn close(self) {
        let violations = self.browser.csp_violations().await;
        self.browser.close().await;
        let panics = self.devstack.panics();
        self.devstack.shutdown().await;
        assert!(
            violations.is_empty(),
            "the production CSP was violated:\n{}",
            violations.join("\n")
        );
        assert_eq!(panics, 0, "a devstack request panicked");
    }
}
