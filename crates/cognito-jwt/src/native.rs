//! RS256 verification in pure Rust, for servers (the local Cognito stand-in
//! and the Lambda authorizer). Behind the `native` feature so the browser
//! build, which uses WebCrypto, carries no RSA or bignum code.
//!
//! The RS256 arithmetic is jwt-compact's; parsing, key selection and the
//! claim rules are this crate's, shared with the browser.

use jwt_compact::alg::{Rsa, RsaSignature};
use jwt_compact::{Algorithm as _, AlgorithmSignature as _};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};

use crate::assemble::{assemble_report, parse_failure_report};
use crate::jwks::{Jwks, RsaJwk};
use crate::report::Report;
use crate::rules::Expectations;
use crate::token::UnverifiedToken;

/// RFC 7518 section 3.3: RS256 keys MUST be at least 2048 bits.
pub const MIN_RSA_BITS: usize = 2048;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("expected alg RS256, got another algorithm")]
    Algorithm,
    #[error("expected an RSA key, got kty {0:?}")]
    NotRsa(String),
    #[error("expected base64url for the key's \"{0}\", got something else")]
    KeyEncoding(&'static str),
    #[error("the key is not a usable RSA public key: {0}")]
    InvalidKey(String),
    #[error("expected an RSA key of at least {min} bits, got {bits} bits")]
    KeyTooSmall { bits: usize, min: usize },
    #[error("expected a {expected}-byte signature for this key, got {found} bytes")]
    Length { expected: usize, found: usize },
    #[error("the RS256 signature does not match the token and key")]
    Mismatch,
}

/// Verifies RSASSA-PKCS1-v1_5 with SHA-256 over the token's signing input.
///
/// Refuses any alg but RS256 itself, so calling this without first checking
/// the algorithm cannot accept a downgraded token.
pub fn verify_signature(token: &UnverifiedToken, key: &RsaJwk) -> Result<(), SignatureError> {
    if token.header().alg != "RS256" {
        return Err(SignatureError::Algorithm);
    }
    let public = public_key(key)?;
    let expected = public.size();
    let found = token.signature().len();
    // PKCS#1 requires the signature to be exactly as long as the modulus;
    // checking it here refuses odd encodings instead of relying on the
    // bignum conversion to normalise them.
    if found != expected {
        return Err(SignatureError::Length { expected, found });
    }
    let signature =
        RsaSignature::try_from_slice(token.signature()).map_err(|_| SignatureError::Mismatch)?;
    if Rsa::rs256().verify_signature(&signature, &public, token.signing_input()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The outcome of the whole pipeline for a raw token: the report, and the
/// token when it parsed, so a caller that goes on to read its claims (`sub`,
/// scopes) parses it once.
#[derive(Clone, Debug)]
pub struct Verification {
    pub report: Report,
    /// `None` when the token did not parse (the report says why).
    pub token: Option<UnverifiedToken>,
}

impl Verification {
    /// The token if the report is valid, else the report. Fails closed: a
    /// token that parsed is handed out only with a valid report.
    pub fn into_valid(self) -> Result<UnverifiedToken, Report> {
        match (self.report.is_valid(), self.token) {
            (true, Some(token)) => Ok(token),
            _ => Err(self.report),
        }
    }
}

/// Parse, algorithm, key, signature and claim checks for a raw token, with
/// the same report shape the browser builds.
pub fn verify_raw(raw: &str, jwks: &Jwks, expect: &Expectations, now: i64) -> Verification {
    match UnverifiedToken::parse(raw) {
        Ok(token) => Verification {
            report: verify_token(&token, jwks, expect, now),
            token: Some(token),
        },
        Err(err) => Verification {
            report: parse_failure_report(&err),
            token: None,
        },
    }
}

/// [`verify_raw`]'s report alone.
pub fn verify(raw: &str, jwks: &Jwks, expect: &Expectations, now: i64) -> Report {
    verify_raw(raw, jwks, expect, now).report
}

/// The report for a token the caller has parsed already.
pub fn verify_token(
    token: &UnverifiedToken,
    jwks: &Jwks,
    expect: &Expectations,
    now: i64,
) -> Report {
    let signature = jwks
        .select(token.header().kid.as_deref())
        .map_err(|e| e.to_string())
        .and_then(|key| verify_signature(token, key).map_err(|e| e.to_string()));
    assemble_report(token, jwks, expect, now, signature)
}

fn public_key(key: &RsaJwk) -> Result<RsaPublicKey, SignatureError> {
    if key.kty != "RSA" {
        return Err(SignatureError::NotRsa(key.kty.chars().take(16).collect()));
    }
    let n = crate::b64::decode(&key.n).map_err(|_| SignatureError::KeyEncoding("n"))?;
    let e = crate::b64::decode(&key.e).map_err(|_| SignatureError::KeyEncoding("e"))?;
    let public = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
        .map_err(|err| SignatureError::InvalidKey(err.to_string()))?;
    let bits = public.n().bits();
    if bits < MIN_RSA_BITS {
        return Err(SignatureError::KeyTooSmall {
            bits,
            min: MIN_RSA_BITS,
        });
    }
    Ok(public)
}
