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
}

impl Default for Api {
    fn default() -> Self {
        Self {
            stage: default_stage(),
            message: default_message(),
            method_scopes: default_method_scopes(),
            identity_validation_expression: default_identity_expr(),
            lambda_policy: default_lambda_policy(),
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
        self.pool.issuer.clone().unwrap_or_else(|| {
            format!(
                "https://cognito-idp.{}.amazonaws.com/{}",
                self.pool.region, self.pool.id
            )
        })
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
        for (i, rule) in self.api.lambda_policy.iter().enumerate() {
            for (j, route) in rule.allow.iter().enumerate() {
                if route
                    .split_once(' ')
                    .is_none_or(|(_, p)| !p.starts_with('/'))
                {
                    return Err(invalid(
                        format!("api.lambda_policy[{i}].allow[{j}]"),
                        "must be `VERB /path`",
                    ));
                }
            }
        }
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
        assert_eq!(
            s.issuer(),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_DevStack1"
        );
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
