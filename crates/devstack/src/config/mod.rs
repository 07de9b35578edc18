//! How a stack is started: the seed plus runtime switches.

pub mod seed;

use crate::clock::Clock;
use crate::keys::KeyStore;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

pub use seed::Seed;

pub const DEFAULT_HOSTED_UI_PORT: u16 = 4010;
pub const DEFAULT_API_PORT: u16 = 4011;

/// Which authorizer guards `GET /{stage}/book`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthorizerMode {
    /// COGNITO_USER_POOLS authorizer, no scopes on the method: wants an ID token.
    #[default]
    Cognito,
    /// COGNITO_USER_POOLS authorizer with method scopes: wants an access token.
    CognitoScopes,
    /// Lambda TOKEN authorizer (regex pre-check, then the Lambda's decision).
    Lambda,
}

impl AuthorizerMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cognito => "cognito",
            Self::CognitoScopes => "cognito-scopes",
            Self::Lambda => "lambda",
        }
    }
}

impl FromStr for AuthorizerMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cognito" => Ok(Self::Cognito),
            "cognito-scopes" => Ok(Self::CognitoScopes),
            "lambda" => Ok(Self::Lambda),
            other => Err(format!(
                "unknown authorizer `{other}` (expected cognito, cognito-scopes or lambda)"
            )),
        }
    }
}

impl std::fmt::Display for AuthorizerMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone)]
pub struct DevStackConfig {
    pub seed: Seed,
    /// 0 picks a free port.
    pub hosted_ui_port: u16,
    /// 0 picks a free port.
    pub api_port: u16,
    /// Each origin adds `{origin}/callback` and `{origin}/` to the client's
    /// callback and sign-out URLs (for app servers on other ports).
    pub extra_app_origins: Vec<String>,
    pub authorizer: AuthorizerMode,
    /// CORS headers on gateway-generated 4xx/5xx (like DEFAULT_4XX/5XX gateway
    /// responses with Access-Control-Allow-Origin). `false` reproduces API
    /// Gateway's out-of-the-box behaviour: no CORS on errors.
    pub gateway_responses_cors: bool,
    /// Where keys are kept between runs; `None` means `.devstack/` in the
    /// current directory. With preset `keys`, only the user pool
    /// (`user-pool.json`) is kept here, and only when this is set.
    pub state_dir: Option<PathBuf>,
    /// Preset keys (tests): nothing is read from or written to disk.
    pub keys: Option<KeyStore>,
    /// Time source; `None` means the system clock.
    pub clock: Option<Clock>,
    /// A client that has not sent its request headers within this time is
    /// disconnected (slow clients must not hold connections forever).
    pub header_read_timeout: Duration,
    /// A request (its body included) that takes longer gets `408`: a client
    /// that announces a body and stalls is cut off.
    pub request_timeout: Duration,
    /// Connections served at once per server; more are closed at once.
    pub max_connections: usize,
    /// Keep request log lines in memory too (see `Handle::log_lines`).
    pub capture_log: bool,
}

impl DevStackConfig {
    pub fn from_seed(seed: Seed) -> Self {
        Self {
            seed,
            hosted_ui_port: DEFAULT_HOSTED_UI_PORT,
            api_port: DEFAULT_API_PORT,
            extra_app_origins: Vec::new(),
            authorizer: AuthorizerMode::default(),
            gateway_responses_cors: true,
            state_dir: None,
            keys: None,
            clock: None,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
            capture_log: false,
        }
    }
}

impl std::fmt::Debug for DevStackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Deliberately omits the seed (it holds passwords) and the keys.
        f.debug_struct("DevStackConfig")
            .field("hosted_ui_port", &self.hosted_ui_port)
            .field("api_port", &self.api_port)
            .field("extra_app_origins", &self.extra_app_origins)
            .field("authorizer", &self.authorizer)
            .field("gateway_responses_cors", &self.gateway_responses_cors)
            .field("state_dir", &self.state_dir)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_connections", &self.max_connections)
            .field("capture_log", &self.capture_log)
            .finish_non_exhaustive()
    }
}
