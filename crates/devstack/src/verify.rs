//! Token verification for userInfo and the gateway, through the shared
//! `cognito-jwt` rules (the same ones the app shows to its users), so the
//! devstack cannot accept what the app or a real verifier would refuse.

use cognito_jwt::native::verify_raw;
use cognito_jwt::{Expectations, Jwks, TokenUse, UnverifiedToken};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// Only the expiry check failed (API Gateway has a message of its own).
    Expired,
    /// Anything else: unparsable, unknown key, bad signature, wrong issuer,
    /// audience or token use… The string is the failed check, for tests and
    /// debugging (never logged with the token).
    Invalid(String),
}

/// The claims of `raw` if it is a valid, unexpired `token_use` token of this
/// pool and client. No leeway: like aws-jwt-verify's default graceSeconds 0.
pub fn verify(
    raw: &str,
    jwks: &Jwks,
    issuer: &str,
    client_id: &str,
    token_use: TokenUse,
    now: i64,
) -> Result<UnverifiedToken, VerifyError> {
    let expect = Expectations {
        issuer,
        client_id,
        token_use,
        leeway_seconds: 0,
        nonce: None,
        access_token_for_at_hash: None,
    };
    let report = match verify_raw(raw, jwks, &expect, now).into_valid() {
        Ok(token) => return Ok(token),
        Err(report) => report,
    };
    if report.only_expired() {
        return Err(VerifyError::Expired);
    }
    Err(VerifyError::Invalid(report.first_failure().map_or_else(
        || "signature: not verified".to_string(),
        |c| c.to_string(),
    )))
}
