//! The Lambda TOKEN authorizer's own logic, as a pure function so it can move
//! into a real Lambda unchanged. API Gateway's checks before invoking it
//! (missing header, identityValidationExpression) live in `gateway`.

use crate::config::seed::PolicyRule;
use cognito_jwt::{Jwks, TokenUse};

/// What the authorizer needs to know besides the token.
#[derive(Debug, Clone, Copy)]
pub struct LambdaSettings<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// scope → routes it allows.
    pub policy: &'a [PolicyRule],
}

/// The method being invoked (from `methodArn`), e.g. `GET` `/book`.
#[derive(Debug, Clone, Copy)]
pub struct MethodCall<'a> {
    pub verb: &'a str,
    pub path: &'a str,
}

/// Flat context, as API Gateway passes it on (values become strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizerContext {
    pub username: String,
    /// Space-separated, like the token's `scope` claim.
    pub scopes: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizerDecision {
    /// Policy `Allow` for the method.
    Allow {
        principal_id: String,
        context: AuthorizerContext,
    },
    /// Policy `Deny` (API Gateway answers 403).
    Deny { principal_id: String },
    /// The Lambda throws `"Unauthorized"` (API Gateway answers 401).
    Unauthorized,
}

/// Decides for the raw `authorizationToken` (the whole header value). Fails
/// closed: any doubt about the token is `Unauthorized`, never `Allow`.
pub fn decide(
    event_token: &str,
    method: MethodCall<'_>,
    settings: &LambdaSettings<'_>,
    jwks: &Jwks,
    now: i64,
) -> AuthorizerDecision {
    let Some(raw) = event_token.strip_prefix("Bearer ") else {
        return AuthorizerDecision::Unauthorized;
    };
    let Ok(token) = crate::verify::verify(
        raw,
        jwks,
        settings.issuer,
        settings.client_id,
        TokenUse::Access,
        now,
    ) else {
        return AuthorizerDecision::Unauthorized;
    };
    let Some(sub) = token.sub().filter(|s| !s.is_empty()) else {
        return AuthorizerDecision::Unauthorized;
    };
    let scopes = token.scopes();
    let allowed = settings
        .policy
        .iter()
        .filter(|rule| scopes.contains(&rule.scope.as_str()))
        .flat_map(|rule| rule.allow.iter())
        .any(|route| route_matches(route, method));
    if allowed {
        AuthorizerDecision::Allow {
            principal_id: sub.to_string(),
            context: AuthorizerContext {
                username: token.username().unwrap_or_default().to_string(),
                scopes: scopes.join(" "),
            },
        }
    } else {
        AuthorizerDecision::Deny {
            principal_id: sub.to_string(),
        }
    }
}

/// `"VERB /path"`; `*` matches any verb, a path ending in `/*` any suffix.
fn route_matches(route: &str, method: MethodCall<'_>) -> bool {
    let Some((verb, path)) = route.split_once(' ') else {
        return false;
    };
    let verb_ok = verb == "*" || verb.eq_ignore_ascii_case(method.verb);
    let path_ok = match path.strip_suffix("/*") {
        Some(prefix) => method.path.starts_with(prefix),
        None => path == method.path,
    };
    verb_ok && path_ok
}

impl AuthorizerDecision {
    /// The Lambda's return value for `methodArn` (what a real Lambda would
    /// send back to API Gateway); `None` for `Unauthorized`, which is thrown.
    pub fn to_lambda_output(&self, method_arn: &str) -> Option<serde_json::Value> {
        let (principal, effect, context) = match self {
            Self::Allow {
                principal_id,
                context,
            } => (
                principal_id,
                "Allow",
                serde_json::json!({ "username": context.username, "scopes": context.scopes }),
            ),
            Self::Deny { principal_id } => (principal_id, "Deny", serde_json::json!({})),
            Self::Unauthorized => return None,
        };
        Some(serde_json::json!({
            "principalId": principal,
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Action": "execute-api:Invoke",
                    "Effect": effect,
                    "Resource": method_arn,
                }],
            },
            "context": context,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let get_book = MethodCall {
            verb: "GET",
            path: "/book",
        };
        assert!(route_matches("GET /book", get_book));
        assert!(route_matches("* /book", get_book));
        assert!(route_matches("GET /*", get_book));
        assert!(!route_matches("POST /book", get_book));
        assert!(!route_matches("GET /books", get_book));
        assert!(!route_matches("garbage", get_book));
    }

    #[test]
    fn garbage_is_unauthorized() {
        let jwks = Jwks::from_keys(Vec::new());
        let settings = LambdaSettings {
            issuer: "i",
            client_id: "c",
            policy: &[],
        };
        let call = MethodCall {
            verb: "GET",
            path: "/book",
        };
        for t in ["", "Bearer ", "Bearer a.b.c", "a.b.c", "Basic xyz"] {
            assert_eq!(
                decide(t, call, &settings, &jwks, 0),
                AuthorizerDecision::Unauthorized
            );
        }
    }
}
