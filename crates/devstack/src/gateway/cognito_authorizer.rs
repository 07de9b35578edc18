//! The COGNITO_USER_POOLS authorizer: without method scopes it wants an ID
//! token, with scopes an access token sharing at least one of them.

use crate::verify::{verify, VerifyError};
use cognito_jwt::{Jwks, TokenUse, UnverifiedToken};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 401 `{"message":"Unauthorized"}`.
    Unauthorized,
    /// 401 `{"message":"The incoming token has expired"}`.
    Expired,
}

/// The JWT in the header value, read as API Gateway reads it (see
/// docs/protocol.md, "The Authorization header"): the value itself, or what
/// follows exactly one `Bearer ` (REST APIs document no prefix, but clients
/// send one and it is accepted). Nothing is trimmed: `Bearer  <jwt>` leaves
/// ` <jwt>`, which is not a JWT and so is refused.
pub fn raw_token(header: &str) -> &str {
    header.strip_prefix("Bearer ").unwrap_or(header)
}

/// `method_scopes` empty → ID token; otherwise an access token with ≥1 of them.
pub fn authorize(
    header: Option<&str>,
    method_scopes: &[String],
    jwks: &Jwks,
    issuer: &str,
    client_id: &str,
    now: i64,
) -> Result<UnverifiedToken, Refusal> {
    let raw = header
        .map(raw_token)
        .filter(|t| !t.is_empty())
        .ok_or(Refusal::Unauthorized)?;
    let token_use = if method_scopes.is_empty() {
        TokenUse::Id
    } else {
        TokenUse::Access
    };
    let token = verify(raw, jwks, issuer, client_id, token_use, now).map_err(|e| match e {
        VerifyError::Expired => Refusal::Expired,
        VerifyError::Invalid(_) => Refusal::Unauthorized,
    })?;
    if token_use == TokenUse::Access
        && !token
            .scopes()
            .iter()
            .any(|s| method_scopes.iter().any(|m| m == s))
    {
        return Err(Refusal::Unauthorized);
    }
    Ok(token)
}

/// Claims as API Gateway hands them to the backend: every value a string.
pub fn claims_as_strings(token: &UnverifiedToken) -> serde_json::Map<String, serde_json::Value> {
    token
        .claims()
        .iter()
        .map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            (k.clone(), serde_json::Value::String(s))
        })
        .collect()
}
