//! The authorizer's verdict for one token and method, as a pure function:
//! no I/O, no clock, no environment. devstack's Lambda mode calls this too.

use cognito_jwt::native::verify_raw;
use cognito_jwt::{Expectations, Jwks, TokenUse};
use serde_json::{json, Value};

use crate::policy::{allowed_routes, route_matches, MethodArn, MethodCall, PolicyRule};

/// What the authorizer needs to know besides the token.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    /// scope → routes it allows.
    pub policy: &'a [PolicyRule],
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
    /// Policy `Allow` for every route the token's scopes unlock.
    Allow {
        principal_id: String,
        context: AuthorizerContext,
        /// The table's routes (`"VERB /path"`) these scopes allow.
        routes: Vec<String>,
    },
    /// Policy `Deny` for the called method (API Gateway answers 403), and
    /// `Allow` for the routes the scopes do unlock: the policy is cached per
    /// token and applied to every method, so naming only the Deny would
    /// block those routes too for the cache TTL.
    Deny {
        principal_id: String,
        context: AuthorizerContext,
        /// The table's routes (`"VERB /path"`) these scopes allow.
        routes: Vec<String>,
    },
    /// The Lambda fails with `"Unauthorized"` (API Gateway answers 401).
    Unauthorized,
}

/// A decision and, for logs, why: a fixed word, never token material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub decision: AuthorizerDecision,
    pub reason: &'static str,
}

impl Outcome {
    pub fn unauthorized(reason: &'static str) -> Outcome {
        Outcome {
            decision: AuthorizerDecision::Unauthorized,
            reason,
        }
    }
}

/// Decides for the raw `authorizationToken` (the whole header value).
pub fn decide(
    event_token: &str,
    method: MethodCall<'_>,
    settings: &Settings<'_>,
    jwks: &Jwks,
    now: i64,
) -> AuthorizerDecision {
    evaluate(event_token, method, settings, jwks, now).decision
}

/// [`decide`] with the reason. Fails closed: any doubt about the token is
/// `Unauthorized`, never `Allow`.
pub fn evaluate(
    event_token: &str,
    method: MethodCall<'_>,
    settings: &Settings<'_>,
    jwks: &Jwks,
    now: i64,
) -> Outcome {
    let Some(raw) = bearer_token(event_token) else {
        return Outcome::unauthorized("no Bearer token");
    };
    let expect = Expectations {
        issuer: settings.issuer,
        client_id: settings.client_id,
        token_use: TokenUse::Access,
        // aws-jwt-verify's default graceSeconds is 0; API Gateway's own
        // Cognito authorizer allows no skew either.
        leeway_seconds: 0,
        nonce: None,
        access_token_for_at_hash: None,
    };
    let token = match verify_raw(raw, jwks, &expect, now).into_valid() {
        Ok(token) => token,
        Err(report) => {
            return Outcome::unauthorized(report.failure_word().unwrap_or("not verified"))
        }
    };
    let Some(sub) = token.sub().filter(|s| !s.is_empty()) else {
        return Outcome::unauthorized("sub");
    };
    let scopes = token.scopes();
    let routes = allowed_routes(settings.policy, &scopes);
    let allowed = routes.iter().any(|route| route_matches(route, method));
    let principal_id = sub.to_string();
    let context = AuthorizerContext {
        username: token.username().unwrap_or_default().to_string(),
        scopes: scopes.join(" "),
    };
    let routes = routes.into_iter().map(str::to_string).collect();
    if allowed {
        Outcome {
            decision: AuthorizerDecision::Allow {
                principal_id,
                context,
                routes,
            },
            reason: "allowed",
        }
    } else {
        Outcome {
            decision: AuthorizerDecision::Deny {
                principal_id,
                context,
                routes,
            },
            reason: "no scope allows the method",
        }
    }
}

/// `Bearer <jwt>` → `<jwt>`; anything else (no prefix, empty) → `None`.
pub fn bearer_token(header_value: &str) -> Option<&str> {
    header_value
        .strip_prefix("Bearer ")
        .filter(|raw| !raw.is_empty())
}

impl AuthorizerDecision {
    /// The Lambda's return value for `method_arn`; `None` for
    /// `Unauthorized`, which is an error, not a policy, and for a method ARN
    /// that cannot be named in a policy (see [`MethodArn::parse`]).
    ///
    /// The same token gets the same `Allow` statement whichever method is
    /// called, so the policy API Gateway caches is right for every method;
    /// only a denied call adds a `Deny` naming itself.
    pub fn to_lambda_output(&self, method_arn: &str) -> Option<Value> {
        let (principal, context, routes, denied) = match self {
            Self::Allow {
                principal_id,
                context,
                routes,
            } => (principal_id, context, routes, false),
            Self::Deny {
                principal_id,
                context,
                routes,
            } => (principal_id, context, routes, true),
            Self::Unauthorized => return None,
        };
        let arn = MethodArn::parse(method_arn)?;
        let allowed: Vec<String> = routes
            .iter()
            .flat_map(|route| arn.route_arns(route))
            .collect();
        let mut statements = Vec::new();
        if !allowed.is_empty() {
            statements.push(statement("Allow", allowed));
        }
        if denied {
            statements.push(statement("Deny", vec![method_arn.to_string()]));
        }
        Some(json!({
            "principalId": principal,
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": statements,
            },
            "context": { "username": context.username, "scopes": context.scopes },
        }))
    }
}

fn statement(effect: &str, resources: Vec<String>) -> Value {
    json!({
        "Action": "execute-api:Invoke",
        "Effect": effect,
        "Resource": resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_unauthorized() {
        let jwks = Jwks::from_keys(Vec::new());
        let settings = Settings {
            issuer: "i",
            client_id: "c",
            policy: &[],
        };
        let call = MethodCall {
            verb: "GET",
            path: "/book",
        };
        for t in [
            "",
            "Bearer ",
            "Bearer a.b.c",
            "a.b.c",
            "Basic xyz",
            "bearer a.b.c",
        ] {
            assert_eq!(
                decide(t, call, &settings, &jwks, 0),
                AuthorizerDecision::Unauthorized
            );
        }
    }

    #[test]
    fn allow_lists_every_unlocked_route() {
        let decision = AuthorizerDecision::Allow {
            principal_id: "u1".into(),
            context: AuthorizerContext {
                username: "demo".into(),
                scopes: "email openid".into(),
            },
            routes: vec!["GET /book".into(), "POST /shelf/*".into()],
        };
        let arn = "arn:aws:execute-api:eu-west-1:1:api/prod/GET/book";
        let out = decision.to_lambda_output(arn).unwrap();
        assert_eq!(
            out["policyDocument"]["Statement"],
            json!([{
                "Action": "execute-api:Invoke",
                "Effect": "Allow",
                "Resource": [
                    arn,
                    "arn:aws:execute-api:eu-west-1:1:api/prod/POST/shelf",
                    "arn:aws:execute-api:eu-west-1:1:api/prod/POST/shelf/*",
                ],
            }])
        );
        // A called ARN with a wildcard character cannot be named safely.
        assert_eq!(
            decision.to_lambda_output("arn:aws:execute-api:eu-west-1:1:api/prod/GET/bo*k"),
            None
        );
        assert_eq!(
            out["context"],
            json!({"username": "demo", "scopes": "email openid"})
        );
        assert_eq!(AuthorizerDecision::Unauthorized.to_lambda_output(arn), None);
    }
}
