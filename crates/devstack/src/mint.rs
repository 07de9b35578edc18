//! Token minting, claim for claim as Cognito issues them (protocol page §2).

use crate::config::seed::{Seed, User};
use crate::ids;
use crate::keys::{KeyPair, KeyStore};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

/// What a sign-in established; carried through codes and refresh tokens so
/// refreshed tokens keep `auth_time` and `origin_jti`.
#[derive(Debug, Clone)]
pub struct Grant {
    pub username: String,
    pub scopes: Vec<String>,
    pub auth_time: i64,
    pub origin_jti: String,
    pub nonce: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Minted {
    pub access_token: String,
    pub id_token: Option<String>,
    pub expires_in: i64,
}

// Field order follows real Cognito tokens, which makes side-by-side teaching
// comparisons easier.
#[derive(Serialize)]
struct IdClaims<'a> {
    sub: &'a str,
    #[serde(
        rename = "cognito:groups",
        skip_serializing_if = "<[String]>::is_empty"
    )]
    groups: &'a [String],
    email_verified: bool,
    iss: &'a str,
    #[serde(rename = "cognito:username")]
    username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    origin_jti: &'a str,
    aud: &'a str,
    event_id: &'a str,
    token_use: &'static str,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family_name: Option<&'a str>,
    exp: i64,
    iat: i64,
    jti: String,
    email: &'a str,
    at_hash: String,
}

#[derive(Serialize)]
struct AccessClaims<'a> {
    sub: &'a str,
    #[serde(
        rename = "cognito:groups",
        skip_serializing_if = "<[String]>::is_empty"
    )]
    groups: &'a [String],
    iss: &'a str,
    version: u8,
    client_id: &'a str,
    origin_jti: &'a str,
    event_id: &'a str,
    token_use: &'static str,
    scope: String,
    auth_time: i64,
    exp: i64,
    iat: i64,
    jti: String,
    username: &'a str,
}

/// OIDC at_hash: the one the verifiers check against.
pub use cognito_jwt::at_hash;

/// `header.payload.signature` with an RS256 signature from `key`.
pub fn sign_jwt(key: &KeyPair, claims: &impl Serialize) -> String {
    let header = serde_json::json!({ "kid": key.kid(), "alg": "RS256" });
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default())
    );
    let sig = URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()));
    format!("{input}.{sig}")
}

/// Mints the access token, and the ID token when `openid` was granted.
pub fn mint(seed: &Seed, keys: &KeyStore, user: &User, grant: &Grant, now: i64) -> Minted {
    let issuer = seed.issuer();
    let client_id = seed.client.client_id.as_str();
    let event_id = ids::uuid_v4();
    let access = AccessClaims {
        sub: &user.sub,
        groups: &user.groups,
        iss: &issuer,
        version: 2,
        client_id,
        origin_jti: &grant.origin_jti,
        event_id: &event_id,
        token_use: "access",
        scope: grant.scopes.join(" "),
        auth_time: grant.auth_time,
        exp: now + seed.tokens.access_seconds,
        iat: now,
        jti: ids::uuid_v4(),
        username: &user.username,
    };
    let access_token = sign_jwt(keys.access_key(), &access);
    let id_token = grant.scopes.iter().any(|s| s == "openid").then(|| {
        let id = IdClaims {
            sub: &user.sub,
            groups: &user.groups,
            email_verified: user.email_verified,
            iss: &issuer,
            username: &user.username,
            nonce: grant.nonce.as_deref(),
            origin_jti: &grant.origin_jti,
            aud: client_id,
            event_id: &event_id,
            token_use: "id",
            auth_time: grant.auth_time,
            name: user.name.as_deref(),
            given_name: user.given_name.as_deref(),
            family_name: user.family_name.as_deref(),
            exp: now + seed.tokens.id_seconds,
            iat: now,
            jti: ids::uuid_v4(),
            email: &user.email,
            at_hash: at_hash(&access_token),
        };
        sign_jwt(keys.id_key(), &id)
    });
    Minted {
        access_token,
        id_token,
        expires_in: seed.tokens.access_seconds,
    }
}
