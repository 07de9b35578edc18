//! RS256 verification in pure Rust, for servers (the local Cognito stand-in
//! and the Lambda authorizer). Behind the `native` feature so the browser
//! build, which uses WebCrypto, carries no RSA or bignum code.

use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use sha2::Sha256;

use crate::flow::{assemble_report, parse_failure_report};
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
    let signature = Signature::try_from(token.signature()).map_err(|_| SignatureError::Mismatch)?;
    VerifyingKey::<Sha256>::new(public)
        .verify(token.signing_input(), &signature)
        .map_err(|_| SignatureError::Mismatch)
}

/// The whole pipeline for a raw token: parse, algorithm, key, signature and
/// claim checks, with the same report shape the browser builds.
pub fn verify(raw: &str, jwks: &Jwks, expect: &Expectations, now: i64) -> Report {
    match UnverifiedToken::parse(raw) {
        Ok(token) => verify_token(&token, jwks, expect, now),
        Err(err) => parse_failure_report(&err),
    }
}

/// [`verify`] for a token the caller has parsed already and goes on to
/// read (its `sub`, scopes), so it is parsed once.
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
