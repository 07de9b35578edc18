//! `config.json`: the schema of the contract (docs/contract.md, section 1) and
//! its validation. Pure Rust, so every rule runs in native unit tests.
//!
//! The rule that shapes this module: a value that was given but is invalid is
//! an error that names its key, never a silent fallback to the default.

use std::fmt;

use cognito_jwt::json_type;
use serde_json::{Map, Value};

use absolute_url::AbsoluteUrl;
pub use apis::{Api, Authorizer};
pub use context::{provide_config, use_config, ConfigStore, SharedConfig};

/// Which OAuth flow the `flow` select preselects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Authorization code with PKCE (`response_type=code`).
    Code,
    /// Implicit (`response_type=token`): tokens in the fragment.
    Implicit,
}

impl Flow {
    /// The `<option value>` of the `flow` select.
    pub fn select_value(self) -> &'static str {
        match self {
            Flow::Code => "code",
            Flow::Implicit => "implicit",
        }
    }

    /// Reads a `flow` select value back.
    pub fn from_select_value(value: &str) -> Option<Flow> {
        match value {
            "code" => Some(Flow::Code),
            "implicit" => Some(Flow::Implicit),
            _ => None,
        }
    }

    /// The `response_type` sent to `/oauth2/authorize`.
    pub fn response_type(self) -> &'static str {
        match self {
            Flow::Code => "code",
            Flow::Implicit => "token",
        }
    }

    /// How the UI names the flow.
    pub fn label(self) -> &'static str {
        match self {
            Flow::Code => "Authorization code + PKCE",
            Flow::Implicit => "Implicit",
        }
    }
}

/// Stored as its select value (`code`, `implicit`); any other stored text
/// is an error, never a default.
impl serde::Serialize for Flow {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.select_value())
    }
}

impl<'de> serde::Deserialize<'de> for Flow {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Flow, D::Error> {
        let text = String::deserialize(deserializer)?;
        Flow::from_select_value(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("flow {text:?} is neither code nor implicit"))
        })
    }
}

/// Where the session's tokens live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStorage {
    Session,
    Local,
    Memory,
}

/// A validated `config.json`, with every default and derived value filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub client_id: String,
    /// The hosted UI base, without a trailing slash.
    pub domain: String,
    pub region: Option<String>,
    pub user_pool_id: Option<String>,
    pub issuer: String,
    pub jwks_uri: String,
    pub redirect_uri: String,
    pub logout_uri: String,
    pub scopes: Vec<String>,
    pub response_type: Flow,
    /// The APIs the `/book` console calls (`apis`, or the one of `apiUrl`);
    /// empty when neither is given.
    pub apis: Vec<Api>,
    pub token_storage: TokenStorage,
    pub clock_skew_seconds: i64,
}

/// What is wrong with `config.json`, and which key it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The offending key; `None` when the file as a whole is the problem.
    pub key: Option<String>,
    pub problem: String,
}

impl ConfigError {
    fn at(key: &str, problem: impl Into<String>) -> Self {
        ConfigError {
            key: Some(key.to_owned()),
            problem: problem.into(),
        }
    }

    fn whole(problem: impl Into<String>) -> Self {
        ConfigError {
            key: None,
            problem: problem.into(),
        }
    }

    /// For a file that could not be fetched at all.
    pub fn unreachable(problem: impl Into<String>) -> Self {
        Self::whole(problem)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "`{key}`: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

impl std::error::Error for ConfigError {}

const KNOWN_KEYS: [&str; 14] = [
    "clientId",
    "domain",
    "region",
    "userPoolId",
    "issuer",
    "jwksUri",
    "redirectUri",
    "logoutUri",
    "scopes",
    "responseType",
    "apiUrl",
    "apis",
    "tokenStorage",
    "clockSkewSeconds",
];

const DEFAULT_SCOPES: [&str; 3] = ["openid", "email", "profile"];
const DEFAULT_CLOCK_SKEW_SECONDS: i64 = 60;
const MAX_CLOCK_SKEW_SECONDS: i64 = 300;

impl Config {
    /// Validates the text of `config.json`. `page_origin` (e.g.
    /// `http://localhost:8080`) supplies the `redirectUri` and `logoutUri`
    /// defaults.
    pub fn from_json(text: &str, page_origin: &str) -> Result<Config, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            ConfigError::whole(format!(
                "config.json is not valid JSON (line {}, column {}): {}",
                e.line(),
                e.column(),
                json_error_reason(&e)
            ))
        })?;
        let Value::Object(map) = value else {
            return Err(ConfigError::whole(format!(
                "config.json must be a JSON object, found {}",
                json_type(&value)
            )));
        };
        Self::from_map(&map, page_origin)
    }

    fn from_map(map: &Map<String, Value>, page_origin: &str) -> Result<Config, ConfigError> {
        if let Some(unknown) = map.keys().find(|k| !KNOWN_KEYS.contains(&k.as_str())) {
            return Err(ConfigError::at(
                unknown,
                format!(
                    "unknown key (known keys: {}); check its spelling",
                    KNOWN_KEYS.join(", ")
                ),
            ));
        }
        let fields = Fields(map);

        let client_id = fields.required_string("clientId")?;
        if client_id.chars().any(char::is_whitespace) {
            return Err(ConfigError::at("clientId", "must not contain spaces"));
        }
        let domain = fields.required_url("domain")?;
        if domain.has_query || domain.has_fragment || domain.path != "/" {
            return Err(ConfigError::at(
                "domain",
                format!(
                    "must be a bare origin such as https://myprefix.auth.eu-west-1.amazoncognito.com, without a path, query or fragment; got {}",
                    domain.href
                ),
            ));
        }
        let region = fields.optional_string("region")?;
        if let Some(region) = &region {
            check_region(region)?;
        }
        let user_pool_id = fields.optional_string("userPoolId")?;
        let issuer = match fields.optional_url("issuer")? {
            Some(issuer) => trim_slash(&issuer.href),
            None => derived_issuer(region.as_deref(), user_pool_id.as_deref())?,
        };
        if let Some(pool) = &user_pool_id {
            check_user_pool_id(pool, region.as_deref())?;
        }
        let jwks_uri = match fields.optional_url("jwksUri")? {
            Some(uri) => uri.href,
            None => cognito_jwt::pool::jwks_uri(&issuer),
        };
        let origin = page_origin.trim_end_matches('/');
        let redirect_uri = match fields.optional_url("redirectUri")? {
            Some(uri) => uri.href,
            None => format!("{origin}/callback"),
        };
        let logout_uri = match fields.optional_url("logoutUri")? {
            Some(uri) => uri.href,
            None => format!("{origin}/"),
        };
        let scopes = fields.scopes()?;
        let response_type = match fields.optional_string("responseType")?.as_deref() {
            None | Some("code") => Flow::Code,
            Some("token") => Flow::Implicit,
            Some(other) => {
                return Err(ConfigError::at(
                    "responseType",
                    format!("must be \"code\" or \"token\", got {other:?}"),
                ))
            }
        };
        let apis = apis::from_map(map)?;
        let token_storage = match fields.optional_string("tokenStorage")?.as_deref() {
            None | Some("session") => TokenStorage::Session,
            Some("local") => TokenStorage::Local,
            Some("memory") => TokenStorage::Memory,
            Some(other) => {
                return Err(ConfigError::at(
                    "tokenStorage",
                    format!("must be \"session\", \"local\" or \"memory\", got {other:?}"),
                ))
            }
        };
        let clock_skew_seconds = fields.clock_skew()?;

        Ok(Config {
            client_id,
            domain: trim_slash(&domain.href),
            region,
            user_pool_id,
            issuer,
            jwks_uri,
            redirect_uri,
            logout_uri,
            scopes,
            response_type,
            apis,
            token_storage,
            clock_skew_seconds,
        })
    }
}

/// Typed reads of the keys of the config object.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn optional_string(&self, key: &str) -> Result<Option<String>, ConfigError> {
        match self.0.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => {
                Err(ConfigError::at(key, "must not be empty"))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(ConfigError::at(
                key,
                format!("must be a string, found {}", json_type(other)),
            )),
        }
    }

    fn required_string(&self, key: &str) -> Result<String, ConfigError> {
        self.optional_string(key)?
            .ok_or_else(|| ConfigError::at(key, "is required but missing"))
    }

    fn optional_url(&self, key: &str) -> Result<Option<AbsoluteUrl>, ConfigError> {
        self.optional_string(key)?
            .map(|s| parse_url(key, &s))
            .transpose()
    }

    fn required_url(&self, key: &str) -> Result<AbsoluteUrl, ConfigError> {
        parse_url(key, &self.required_string(key)?)
    }

    fn scopes(&self) -> Result<Vec<String>, ConfigError> {
        let Some(value) = self.0.get("scopes") else {
            return Ok(DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect());
        };
        let Value::Array(items) = value else {
            return Err(ConfigError::at(
                "scopes",
                format!("must be an array of strings, found {}", json_type(value)),
            ));
        };
        let mut scopes = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            match item {
                Value::String(s) if !s.is_empty() && !s.contains(char::is_whitespace) => {
                    if !scopes.contains(s) {
                        scopes.push(s.clone());
                    }
                }
                Value::String(_) => {
                    return Err(ConfigError::at(
                        "scopes",
                        format!("item {index} must be a non-empty scope without spaces"),
                    ))
                }
                other => {
                    return Err(ConfigError::at(
                        "scopes",
                        format!("item {index} must be a string, found {}", json_type(other)),
                    ))
                }
            }
        }
        if !scopes.iter().any(|s| s == "openid") {
            return Err(ConfigError::at(
                "scopes",
                "must include \"openid\": Cognito issues an ID token only with it",
            ));
        }
        Ok(scopes)
    }

    fn clock_skew(&self) -> Result<i64, ConfigError> {
        let Some(value) = self.0.get("clockSkewSeconds") else {
            return Ok(DEFAULT_CLOCK_SKEW_SECONDS);
        };
        let in_range = |n: i64| (0..=MAX_CLOCK_SKEW_SECONDS).contains(&n);
        match value.as_i64() {
            Some(n) if value.is_i64() || value.is_u64() => {
                if in_range(n) {
                    Ok(n)
                } else {
                    Err(ConfigError::at(
                        "clockSkewSeconds",
                        format!("must be between 0 and {MAX_CLOCK_SKEW_SECONDS}, got {n}"),
                    ))
                }
            }
            _ => Err(ConfigError::at(
                "clockSkewSeconds",
                format!(
                    "must be a whole number of seconds (0..{MAX_CLOCK_SKEW_SECONDS}), found {}",
                    describe(value)
                ),
            )),
        }
    }
}

/// Parses a URL and applies the scheme rule of the contract: `https:`
/// everywhere, `http:` only on a loopback host.
pub(super) fn parse_url(key: &str, text: &str) -> Result<AbsoluteUrl, ConfigError> {
    let url = absolute_url::parse(text).map_err(|e| {
        ConfigError::at(key, format!("is not a valid absolute URL ({e}): {text:?}"))
    })?;
    match url.scheme.as_str() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(ConfigError::at(
            key,
            format!(
                "must use https: (http: is allowed only on localhost, 127.0.0.1 or [::1]); got {text:?}"
            ),
        )),
        scheme => Err(ConfigError::at(
            key,
            format!("must be an https: URL, not a {scheme}: URL"),
        )),
    }
}

fn is_loopback(url: &AbsoluteUrl) -> bool {
    matches!(url.host.as_str(), "localhost" | "127.0.0.1" | "[::1]")
}

fn derived_issuer(region: Option<&str>, user_pool_id: Option<&str>) -> Result<String, ConfigError> {
    match (region, user_pool_id) {
        (Some(region), Some(pool)) => Ok(cognito_jwt::pool::issuer(region, pool)),
        (None, _) => Err(ConfigError::at(
            "region",
            "is required unless `issuer` is set (the issuer is derived from region and userPoolId)",
        )),
        (Some(_), None) => Err(ConfigError::at(
            "userPoolId",
            "is required unless `issuer` is set (the issuer is derived from region and userPoolId)",
        )),
    }
}

/// AWS region names: lowercase words and a number joined by dashes, such as
/// `eu-west-1` or `us-gov-west-1`.
fn check_region(region: &str) -> Result<(), ConfigError> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if well_formed {
        Ok(())
    } else {
        Err(ConfigError::at(
            "region",
            format!("must be an AWS region such as eu-west-1, got {region:?}"),
        ))
    }
}

/// cognito-jwt holds the rule (shared with the authorizer and devstack);
/// the words here name the config.json field to fix.
fn check_user_pool_id(pool: &str, region: Option<&str>) -> Result<(), ConfigError> {
    cognito_jwt::check_user_pool_id(pool, region).map_err(|error| match error {
        cognito_jwt::PoolIdError::Malformed(_) => ConfigError::at(
            "userPoolId",
            format!("must look like eu-west-1_AbCdEf123, got {pool:?}"),
        ),
        cognito_jwt::PoolIdError::OtherRegion { expected, found } => ConfigError::at(
            "userPoolId",
            format!("belongs to region {found:?} but `region` is {expected:?}"),
        ),
    })
}

pub(super) fn trim_slash(url: &str) -> String {
    url.trim_end_matches('/').to_owned()
}

fn describe(value: &Value) -> String {
    match value {
        Value::Number(n) => format!("{n}"),
        other => json_type(other).to_owned(),
    }
}

/// serde_json's message repeats the position; keep only the reason.
fn json_error_reason(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.find(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    }
}

mod absolute_url;
mod apis;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod context;
#[cfg(test)]
mod tests;
