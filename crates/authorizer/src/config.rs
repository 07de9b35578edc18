//! Settings from the Lambda's environment, read once at cold start.
//!
//! | variable | required | meaning |
//! |---|---|---|
//! | `APP_CLIENT_ID` | yes | the app client id access tokens must carry in `client_id` |
//! | `ISSUER` | unless `USER_POOL_ID` | expected `iss` |
//! | `USER_POOL_ID` + `AWS_REGION` | unless `ISSUER` | issuer `https://cognito-idp.{region}.amazonaws.com/{pool}` (Lambda sets `AWS_REGION`) |
//! | `SCOPE_POLICY` | no | JSON `[{"scope":"books/read","allow":["GET /book"]}]` (that is the default); routes as [`crate::policy::Route`] allows, else every request is refused |
//! | `JWKS_URI` | no | defaults to `{issuer}/.well-known/jwks.json` |
//!
//! A bad or missing value is kept as the error, so every request is then
//! refused (the seed's JavaScript authorizer read a variable that was never
//! set and let requests through).

use cognito_jwt::pool::{self as user_pool, PoolIdError};

use crate::policy::{default_policy, validate_policy, PolicyRule};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub issuer: String,
    pub client_id: String,
    pub jwks_uri: String,
    pub policy: Vec<PolicyRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("neither ISSUER nor USER_POOL_ID (with AWS_REGION) is set")]
    NoIssuer,
    #[error("USER_POOL_ID for AWS_REGION: {0}")]
    PoolId(PoolIdError),
    #[error("{0} must be an https:// URL")]
    NotHttps(&'static str),
    #[error("SCOPE_POLICY is not a JSON list of {{\"scope\", \"allow\"}} rules: {0}")]
    Policy(String),
}

impl Config {
    /// From the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// From any lookup (tests pass a map). Empty values count as missing.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let client_id = get("APP_CLIENT_ID").ok_or(ConfigError::Missing("APP_CLIENT_ID"))?;
        let issuer = match (get("ISSUER"), get("USER_POOL_ID")) {
            (Some(issuer), _) => issuer,
            (None, Some(pool)) => {
                let region = get("AWS_REGION").ok_or(ConfigError::Missing("AWS_REGION"))?;
                user_pool::check_user_pool_id(&pool, Some(&region)).map_err(ConfigError::PoolId)?;
                user_pool::issuer(&region, &pool)
            }
            (None, None) => return Err(ConfigError::NoIssuer),
        };
        let issuer = issuer.trim_end_matches('/').to_string();
        if !issuer.starts_with("https://") {
            return Err(ConfigError::NotHttps("ISSUER"));
        }
        let jwks_uri = get("JWKS_URI").unwrap_or_else(|| user_pool::jwks_uri(&issuer));
        if !jwks_uri.starts_with("https://") {
            return Err(ConfigError::NotHttps("JWKS_URI"));
        }
        let policy = match get("SCOPE_POLICY") {
            Some(json) => serde_json::from_str::<Vec<PolicyRule>>(&json)
                .map_err(|e| ConfigError::Policy(e.to_string()))?,
            None => default_policy(),
        };
        validate_policy(&policy).map_err(|e| ConfigError::Policy(e.to_string()))?;
        Ok(Config {
            issuer,
            client_id,
            jwks_uri,
            policy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn pool_and_region_make_the_issuer() {
        let c = load(&[
            ("APP_CLIENT_ID", "abc"),
            ("USER_POOL_ID", "eu-west-1_AbC123"),
            ("AWS_REGION", "eu-west-1"),
        ])
        .unwrap();
        assert_eq!(
            c.issuer,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
        );
        assert_eq!(c.jwks_uri, format!("{}/.well-known/jwks.json", c.issuer));
        assert_eq!(c.policy, default_policy());
    }

    #[test]
    fn issuer_policy_and_jwks_overrides() {
        let c = load(&[
            ("APP_CLIENT_ID", "abc"),
            ("ISSUER", "https://issuer.example/"),
            ("JWKS_URI", "https://keys.example/jwks.json"),
            (
                "SCOPE_POLICY",
                r#"[{"scope":"books/read","allow":["GET /lambda/book"]}]"#,
            ),
        ])
        .unwrap();
        assert_eq!(c.issuer, "https://issuer.example");
        assert_eq!(c.jwks_uri, "https://keys.example/jwks.json");
        assert_eq!(c.policy[0].allow, ["GET /lambda/book"]);
    }

    #[test]
    fn every_bad_setting_is_an_error() {
        let pool = [
            ("USER_POOL_ID", "eu-west-1_AbC123"),
            ("AWS_REGION", "eu-west-1"),
        ];
        assert_eq!(load(&pool), Err(ConfigError::Missing("APP_CLIENT_ID")));
        assert_eq!(
            load(&[("APP_CLIENT_ID", " "), pool[0], pool[1]]),
            Err(ConfigError::Missing("APP_CLIENT_ID"))
        );
        assert_eq!(load(&[("APP_CLIENT_ID", "a")]), Err(ConfigError::NoIssuer));
        assert_eq!(
            load(&[("APP_CLIENT_ID", "a"), pool[0]]),
            Err(ConfigError::Missing("AWS_REGION"))
        );
        assert!(matches!(
            load(&[
                ("APP_CLIENT_ID", "a"),
                ("USER_POOL_ID", "us-east-1_X"),
                pool[1]
            ]),
            Err(ConfigError::PoolId(_))
        ));
        assert_eq!(
            load(&[("APP_CLIENT_ID", "a"), ("ISSUER", "http://plain")]),
            Err(ConfigError::NotHttps("ISSUER"))
        );
        assert_eq!(
            load(&[
                ("APP_CLIENT_ID", "a"),
                pool[0],
                pool[1],
                ("JWKS_URI", "file:///x")
            ]),
            Err(ConfigError::NotHttps("JWKS_URI"))
        );
        for bad in [
            "{}",
            "[{\"scope\":\"email\"}]",
            "not json",
            "[{\"scope\":1,\"allow\":[]}]",
            // A `*` or `?` inside a route matches literally in the live
            // decision but as a wildcard in the cached IAM policy.
            r#"[{"scope":"books/read","allow":["GET /bo*k"]}]"#,
            r#"[{"scope":"books/read","allow":["GET /book?"]}]"#,
            r#"[{"scope":"books/read","allow":["GET /*/book"]}]"#,
            r#"[{"scope":"books/read","allow":["G*T /book"]}]"#,
            r#"[{"scope":"books/read","allow":["GET book"]}]"#,
            r#"[{"scope":"books/read","allow":["GET"]}]"#,
        ] {
            assert!(
                matches!(
                    load(&[
                        ("APP_CLIENT_ID", "a"),
                        pool[0],
                        pool[1],
                        ("SCOPE_POLICY", bad)
                    ]),
                    Err(ConfigError::Policy(_))
                ),
                "{bad}"
            );
        }
    }
}
