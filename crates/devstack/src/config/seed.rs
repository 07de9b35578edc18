//! The seed file: the user pool, its one app client, the users and the API's
//! authorizer settings. Parsed strictly (unknown keys are errors) so a typo in
//! a seed file fails loudly instead of silently falling back to a default.

use serde::Deserialize;
use std::path::Path;

/// The seed compiled into the binary (`crates/devstack/seed.toml`).
pub const DEFAULT_SEED_TOML: &str = include_str!("../../seed.toml");

/// Scopes Cognito reserves; everything else must be `<resource server>/<scope>`.
pub const RESERVED_SCOPES: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    pub pool: Pool,
    pub client: Client,
    #[serde(default)]
    pub tokens: Lifetimes,
    #[serde(default)]
    pub resource_servers: Vec<ResourceServer>,
    #[serde(default)]
    pub api: Api,
    #[serde(default)]
    pub users: Vec<User>,
    /// The user-pool JSON API's pool and client settings (`[user_pool]`).
    #[serde(default)]
    pub user_pool: crate::idp::settings::UserPoolSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub id: String,
    pub region: String,
    /// Override for `iss`; by default the real Cognito issuer format is used so
    /// verifiers written for AWS work unchanged.
    #[serde(default)]
    pub issuer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    Code,
    Implicit,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub client_id: String,
    pub allowed_flows: Vec<Flow>,
    pub callback_urls: Vec<String>,
    #[serde(default)]
    pub logout_urls: Vec<String>,
    pub allowed_scopes: Vec<String>,
    #[serde(default)]
    pub refresh_rotation: bool,
    #[serde(default = "default_grace")]
    pub refresh_rotation_grace_seconds: i64,
}

fn default_grace() -> i64 {
    60
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lifetimes {
    #[serde(default = "default_token_seconds")]
    pub id_seconds: i64,
    #[serde(default = "default_token_seconds")]
    pub access_seconds: i64,
    #[serde(default = "default_refresh_seconds")]
    pub refresh_seconds: i64,
}

fn default_token_seconds() -> i64 {
    3600
}
fn default_refresh_seconds() -> i64 {
    30 * 24 * 3600
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            id_seconds: default_token_seconds(),
            access_seconds: default_token_seconds(),
            refresh_seconds: default_refresh_seconds(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceServer {
    pub identifier: String,
    #[serde(default)]
    pub name: Option<String>,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    #[serde(default = "default_stage")]
    pub stage: String,
    #[serde(default = "default_message")]
    pub message: String,
    #[serde(default = "default_method_scopes")]
    pub method_scopes: Vec<String>,
    #[serde(default = "default_identity_expr")]
    pub identity_validation_expression: String,
    #[serde(default = "default_lambda_policy")]
    pub lambda_policy: Vec<PolicyRule>,
    /// The API's methods (`VERB /path`, literal), each answered by the book
    /// backend behind the selected authorizer.
    #[serde(default = "default_routes")]
    pub routes: Vec<String>,
    /// `AuthorizerResultTtlInSeconds` of each authorizer.
    #[serde(default)]
    pub cache_ttl_seconds: CacheTtl,
}

/// How long API Gateway keeps each authorizer's result per token, 0..=3600
/// seconds, 0 turning the cache off. The built-in seed says 60 for each,
/// what the templates set: the cache keeps a token working past `exp` (and
/// past revocation) for up to this long, on every route of the authorizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheTtl {
    #[serde(default = "default_cache_ttl")]
    pub cognito: i64,
    #[serde(default = "default_cache_ttl")]
    pub cognito_scopes: i64,
    #[serde(default = "default_cache_ttl")]
    pub lambda: i64,
}

impl Default for CacheTtl {
    fn default() -> Self {
        Self {
            cognito: default_cache_ttl(),
            cognito_scopes: default_cache_ttl(),
            lambda: default_cache_ttl(),
        }
    }
}

impl CacheTtl {
    /// No caching: every call asks the authorizer.
    pub fn off() -> Self {
        Self {
            cognito: 0,
            cognito_scopes: 0,
            lambda: 0,
        }
    }

    pub fn for_mode(&self, mode: super::AuthorizerMode) -> i64 {
        match mode {
            super::AuthorizerMode::Cognito => self.cognito,
            super::AuthorizerMode::CognitoScopes => self.cognito_scopes,
            super::AuthorizerMode::Lambda => self.lambda,
        }
    }
}

fn default_cache_ttl() -> i64 {
    60
}

fn default_routes() -> Vec<String> {
    vec!["GET /book".into()]
}

impl Default for Api {
    fn default() -> Self {
        Self {
            stage: default_stage(),
            message: default_message(),
            method_scopes: default_method_scopes(),
            identity_validation_expression: default_identity_expr(),
            lambda_policy: default_lambda_policy(),
            routes: default_routes(),
            cache_ttl_seconds: CacheTtl::default(),
        }
    }
}

fn default_stage() -> String {
    "prod".into()
}
fn default_message() -> String {
    "Hello from the /book backend".into()
}
fn default_method_scopes() -> Vec<String> {
    vec!["books/read".into()]
}
fn default_identity_expr() -> String {
    r"^Bearer [-0-9a-zA-Z\._]*$".into()
}
fn default_lambda_policy() -> Vec<PolicyRule> {
    authorizer::policy::default_policy()
}

/// One row of the Lambda authorizer's table (the authorizer crate's type,
/// so seed files and the Lambda's `SCOPE_POLICY` share one format).
pub use authorizer::PolicyRule;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub username: String,
    pub password: String,
    pub email: String,
    #[serde(default)]
    pub email_verified: bool,
    pub sub: String,
    #[serde(default)]
    pub groups: Vec<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read seed file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("seed file {origin} is not valid: {message}")]
    Syntax { origin: String, message: String },
    #[error("seed field `{field}`: {message}")]
    Invalid { field: String, message: String },
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> SeedError {
    SeedError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl Seed {
    /// The built-in seed.
    pub fn builtin() -> Self {
        Self::parse(DEFAULT_SEED_TOML, "built-in seed.toml").expect("built-in seed.toml is valid")
    }

    pub fn load(path: &Path) -> Result<Self, SeedError> {
        let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses and validates; `origin` names the source in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Self, SeedError> {
        let seed: Seed = toml::from_str(text).map_err(|e| SeedError::Syntax {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        seed.validate()?;
        Ok(seed)
    }

    pub fn issuer(&self) -> String {
        self.pool
            .issuer
            .clone()
            .unwrap_or_else(|| cognito_jwt::pool::issuer(&self.pool.region, &self.pool.id))
    }

    pub fn user(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }

    /// Is `scope` a reserved scope or one defined by a resource server?
    pub fn scope_exists(&self, scope: &str) -> bool {
        if RESERVED_SCOPES.contains(&scope) {
            return true;
        }
        self.resource_servers.iter().any(|rs| {
            scope
                .strip_prefix(rs.identifier.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| rs.scopes.iter().any(|s| s == name))
        })
    }

    fn validate(&self) -> Result<(), SeedError> {
        self.user_pool
            .validate()
            .map_err(|(field, message)| invalid(field, message))?;
        let region = &self.pool.region;
        if region.is_empty()
            || !region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(invalid("pool.region", "must look like `us-east-1`"));
        }
        // aws-jwt-verify insists on `<region>_<alnum>`; keep seeds compatible.
        let ok_id = self
            .pool
            .id
            .strip_prefix(region.as_str())
            .and_then(|r| r.strip_prefix('_'))
            .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()));
        if !ok_id {
            return Err(invalid(
                "pool.id",
                format!("must match `{region}_[a-zA-Z0-9]+`, got `{}`", self.pool.id),
            ));
        }
        if let Some(iss) = &self.pool.issuer {
            url::Url::parse(iss).map_err(|e| invalid("pool.issuer", format!("not a URL: {e}")))?;
        }
        let c = &self.client;
        if c.client_id.is_empty() || !c.client_id.chars().all(|ch| ch.is_ascii_alphanumeric()) {
            return Err(invalid(
                "client.client_id",
                "must be non-empty and alphanumeric",
            ));
        }
        if c.allowed_flows.is_empty() {
            return Err(invalid(
                "client.allowed_flows",
                "needs `code` and/or `implicit`",
            ));
        }
        for (field, list) in [
            ("client.callback_urls", &c.callback_urls),
            ("client.logout_urls", &c.logout_urls),
        ] {
            for (i, u) in list.iter().enumerate() {
                let parsed = url::Url::parse(u).map_err(|e| {
                    invalid(format!("{field}[{i}]"), format!("`{u}` is not a URL: {e}"))
                })?;
                if parsed.fragment().is_some() {
                    return Err(invalid(format!("{field}[{i}]"), "must not have a fragment"));
                }
            }
        }
        if c.callback_urls.is_empty() {
            return Err(invalid("client.callback_urls", "needs at least one URL"));
        }
        if !(0..=60).contains(&c.refresh_rotation_grace_seconds) {
            return Err(invalid(
                "client.refresh_rotation_grace_seconds",
                "must be 0..=60",
            ));
        }
        for (i, s) in c.allowed_scopes.iter().enumerate() {
            if !self.scope_exists(s) {
                return Err(invalid(
                    format!("client.allowed_scopes[{i}]"),
                    format!("`{s}` is neither reserved nor defined by a resource server"),
                ));
            }
        }
        let t = &self.tokens;
        for (field, v, min, max) in [
            ("tokens.id_seconds", t.id_seconds, 60, 86_400),
            ("tokens.access_seconds", t.access_seconds, 60, 86_400),
            ("tokens.refresh_seconds", t.refresh_seconds, 60, 315_360_000),
        ] {
            if !(min..=max).contains(&v) {
                return Err(invalid(
                    field,
                    format!("must be {min}..={max} seconds, got {v}"),
                ));
            }
        }
        if !self
            .api
            .stage
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
            || self.api.stage.is_empty()
        {
            return Err(invalid(
                "api.stage",
                "must be a plain path segment like `prod`",
            ));
        }
        regex::Regex::new(&self.api.identity_validation_expression).map_err(|e| {
            invalid(
                "api.identity_validation_expression",
                format!("not a regex: {e}"),
            )
        })?;
        self.validate_api()?;
        for (i, u) in self.users.iter().enumerate() {
            if u.username.is_empty() {
                return Err(invalid(format!("users[{i}].username"), "must not be empty"));
            }
            if self.users[..i].iter().any(|o| o.username == u.username) {
                return Err(invalid(
                    format!("users[{i}].username"),
                    format!("duplicate `{}`", u.username),
                ));
            }
            if !is_uuid(&u.sub) {
                return Err(invalid(
                    format!("users[{i}].sub"),
                    "must be a UUID like 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
                ));
            }
            if u.password.is_empty() {
                return Err(invalid(format!("users[{i}].password"), "must not be empty"));
            }
        }
        Ok(())
    }
}

impl Seed {
    /// The rules for what the API serves: Lambda routes, the API's routes
    /// and the cache TTLs. [`crate::start`] applies them to seeds built in
    /// code too (tests bend other rules on purpose, such as 2-second tokens,
    /// but a bad route becomes a bad axum route).
    pub fn validate_api(&self) -> Result<(), SeedError> {
        // The Lambda's own rule (SCOPE_POLICY is checked the same way).
        authorizer::policy::validate_policy(&self.api.lambda_policy).map_err(|e| {
            invalid(
                format!("api.lambda_policy[{}].allow[{}]", e.rule, e.route),
                e.reason,
            )
        })?;
        let ttl = &self.api.cache_ttl_seconds;
        for (field, v) in [
            ("api.cache_ttl_seconds.cognito", ttl.cognito),
            ("api.cache_ttl_seconds.cognito_scopes", ttl.cognito_scopes),
            ("api.cache_ttl_seconds.lambda", ttl.lambda),
        ] {
            // API Gateway's own range for AuthorizerResultTtlInSeconds.
            if !(0..=3600).contains(&v) {
                return Err(invalid(field, format!("must be 0..=3600 seconds, got {v}")));
            }
        }
        self.validate_routes()
    }

    /// Each route is `VERB /path`, literal (it becomes an axum route and a
    /// method ARN): an upper-case verb other than OPTIONS (preflights are
    /// answered without an authorizer), a path of `/`-separated
    /// `[A-Za-z0-9._-]` segments, not under `/cognito`, `/cognito-scopes`
    /// or `/lambda` (the bases of the fixed-authorizer APIs, see
    /// [`crate::gateway`]), and no route twice.
    fn validate_routes(&self) -> Result<(), SeedError> {
        const VERBS: [&str; 6] = ["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"];
        let routes = &self.api.routes;
        for (i, route) in routes.iter().enumerate() {
            let field = format!("api.routes[{i}]");
            let Some((verb, path)) = route.split_once(' ') else {
                return Err(invalid(field, "must be `VERB /path`"));
            };
            if !VERBS.contains(&verb) {
                return Err(invalid(field, format!("the verb must be one of {VERBS:?}")));
            }
            let segments_ok = path.strip_prefix('/').is_some_and(|rest| {
                rest.split('/').all(|seg| {
                    !seg.is_empty()
                        && seg
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
                })
            });
            if !segments_ok {
                return Err(invalid(
                    field,
                    "the path must be `/` and segments of letters, digits, `.`, `_` or `-`",
                ));
            }
            let first = path.split('/').nth(1).unwrap_or_default();
            if ["cognito", "cognito-scopes", "lambda"].contains(&first) {
                return Err(invalid(
                    field,
                    format!("`/{first}` is the base of devstack's {first} API; the seed's routes are served under it"),
                ));
            }
            if routes[..i].contains(route) {
                return Err(invalid(field, format!("duplicate `{route}`")));
            }
        }
        Ok(())
    }
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_seed_parses() {
        let s = Seed::builtin();
        assert_eq!(s.pool.id, "us-east-1_DevStack1");
        assert_eq!(s.client.client_id.len(), 26);
        assert!(s.scope_exists("books/read"));
        assert!(!s.scope_exists("books/write"));
        assert!(
            s.client.refresh_rotation,
            "the app's tests run the rotated path"
        );
        assert_eq!(
            s.issuer(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DevStack1"
        );
    }

    #[test]
    fn lambda_routes_with_a_wildcard_inside_are_refused() {
        // Literal in the live decision, a wildcard in the cached policy.
        for route in ["GET /bo*k", "GET /book?", "GET /*/book", "GET book"] {
            let text = DEFAULT_SEED_TOML
                .replace(r#"allow = ["GET /book"]"#, &format!("allow = [{route:?}]"));
            assert_ne!(text, DEFAULT_SEED_TOML);
            let err = Seed::parse(&text, "t").unwrap_err().to_string();
            assert!(
                err.contains("api.lambda_policy[0].allow[0]"),
                "{route}: {err}"
            );
        }
    }

    #[test]
    fn routes_and_cache_ttls_are_checked() {
        // The built-in seed with its `key = …` line of [api] replaced.
        let with_api = |extra: &str| {
            let key = extra.split(' ').next().unwrap_or_default();
            DEFAULT_SEED_TOML
                .lines()
                .map(|l| {
                    if l.starts_with(&format!("{key} = ")) {
                        extra
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        for (extra, field) in [
            (r#"routes = ["GET /book", "GET /book"]"#, "api.routes[1]"),
            (r#"routes = ["GET /b{id}"]"#, "api.routes[0]"),
            (r#"routes = ["GET /bo*k"]"#, "api.routes[0]"),
            (r#"routes = ["get /book"]"#, "api.routes[0]"),
            (r#"routes = ["OPTIONS /book"]"#, "api.routes[0]"),
            (r#"routes = ["GET book"]"#, "api.routes[0]"),
            (
                r#"routes = ["GET /book", "GET /lambda/book"]"#,
                "api.routes[1]",
            ),
            (r#"routes = ["GET /cognito"]"#, "api.routes[0]"),
            (
                "cache_ttl_seconds = { lambda = 3601 }",
                "api.cache_ttl_seconds.lambda",
            ),
            (
                "cache_ttl_seconds = { cognito = -1 }",
                "api.cache_ttl_seconds.cognito",
            ),
        ] {
            let text = with_api(extra);
            assert_ne!(text, DEFAULT_SEED_TOML);
            // Not unwrap_err: a seed's Debug would print its passwords.
            let Err(err) = Seed::parse(&text, "t") else {
                panic!("{extra}: accepted");
            };
            let err = err.to_string();
            assert!(err.contains(field), "{extra}: {err}");
        }
        let ok = Seed::parse(
            &with_api(r#"routes = ["GET /book", "POST /book", "GET /shelf/1", "GET /lambdas"]"#),
            "t",
        );
        assert_eq!(ok.map(|s| s.api.routes.len()).ok(), Some(4));
    }

    #[test]
    fn bad_seed_names_the_field() {
        let text = DEFAULT_SEED_TOML.replace("us-east-1_DevStack1", "eu-west-1_X");
        let err = Seed::parse(&text, "t").unwrap_err().to_string();
        assert!(err.contains("pool.id"), "{err}");
        let text = DEFAULT_SEED_TOML.replace("allowed_flows", "allowed_flowz");
        let err = Seed::parse(&text, "t").unwrap_err().to_string();
        assert!(err.contains("allowed_flowz"), "{err}");
    }
}
