//! What several targets share: one real key set (devstack's RSA keys, made
//! once per fuzzing process), the expectations tokens are checked against,
//! and a signer for structure-aware inputs.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_jwt::{Expectations, Jwks, TokenUse};
use devstack::KeyStore;
use std::sync::OnceLock;

pub const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Fuzz0001";
pub const CLIENT_ID: &str = "fuzzclient123";
pub const NOW: i64 = 1_700_000_000;

/// The words `auth-error` may show (docs/contract.md section 4).
pub const CONTRACT_WORDS: &[&str] = &[
    "state",
    "pkce",
    "algorithm",
    "kid",
    "jwks",
    "signature",
    "issuer",
    "audience",
    "token_use",
    "sub",
    "expired",
    "not yet valid",
    "iat",
    "nonce",
    "at_hash",
    "token endpoint",
];

pub struct Keys {
    pub store: KeyStore,
    pub jwks: Jwks,
}

pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let store = KeyStore::generate().expect("RSA keygen");
        let jwks = Jwks::parse(&store.jwks().to_string()).expect("devstack's JWKS parses");
        Keys { store, jwks }
    })
}

pub fn expectations(token_use: TokenUse, nonce: Option<&'static str>) -> Expectations<'static> {
    Expectations {
        issuer: ISSUER,
        client_id: CLIENT_ID,
        token_use,
        leeway_seconds: 60,
        nonce,
        access_token_for_at_hash: None,
    }
}

/// `header.payload.signature` with `payload` taken verbatim, signed RS256
/// by the ID key whatever the header says (so alg confusion is reachable).
pub fn sign(header: &serde_json::Value, payload: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = keys().store.id_key().sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// A valid ID token for [`ISSUER`] and [`CLIENT_ID`] at [`NOW`].
pub fn good_id_token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let claims = serde_json::json!({
            "sub": "8f1e6a4c-0000-4000-8000-000000000001",
            "iss": ISSUER,
            "aud": CLIENT_ID,
            "token_use": "id",
            "cognito:username": "demo",
            "exp": NOW + 3600,
            "iat": NOW - 10,
            "auth_time": NOW - 10,
        });
        sign(
            &serde_json::json!({"alg": "RS256", "kid": keys().store.id_key().kid()}),
            claims.to_string().as_bytes(),
        )
    })
}
