//! Token minting, claim for claim as Cognito issues them (docs/protocol.md, "What each token holds").

use std::borrow::Cow;

use crate::config::seed::{Seed, User};
use crate::ids;
use crate::keys::{KeyPair, KeyStore};
use jwt_compact::alg::{Rsa, RsaPublicKey, RsaSignature};
use jwt_compact::{Algorithm, AlgorithmExt as _, AlgorithmSignature, Claims, Header};
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

/// RS256 for jwt-compact, signed by ring: jwt-compact builds the token
/// (header, claims, encoding) and ring signs it, about four times as fast
/// as the rsa crate jwt-compact's own RS256 signs with (see `keys`), which
/// matters at the user-pool API's sign-in rates (docs/user-pool-api.md).
pub struct RingRs256;

/// An RS256 signature: as many bytes as the key's modulus.
pub struct Rs256Signature(Vec<u8>);

impl AlgorithmSignature for Rs256Signature {
    fn try_from_slice(bytes: &[u8]) -> anyhow::Result<Self> {
        Ok(Rs256Signature(bytes.to_vec()))
    }

    fn as_bytes(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.0)
    }
}

impl Algorithm for RingRs256 {
    type SigningKey = KeyPair;
    type VerifyingKey = RsaPublicKey;
    type Signature = Rs256Signature;

    fn name(&self) -> Cow<'static, str> {
        Cow::Borrowed("RS256")
    }

    fn sign(&self, key: &KeyPair, message: &[u8]) -> Rs256Signature {
        Rs256Signature(key.sign(message))
    }

    /// Verifying is jwt-compact's own RS256: the same algorithm, so a token
    /// this signs verifies there (devstack verifies through cognito-jwt).
    fn verify_signature(
        &self,
        signature: &Rs256Signature,
        key: &RsaPublicKey,
        message: &[u8],
    ) -> bool {
        RsaSignature::try_from_slice(&signature.0)
            .is_ok_and(|signature| Rsa::rs256().verify_signature(&signature, key, message))
    }
}

/// `header.payload.signature` with an RS256 signature from `key`; the
/// header names the key's `kid`.
pub fn sign_jwt(key: &KeyPair, claims: &impl Serialize) -> String {
    let header = Header::empty().with_key_id(key.kid());
    // The claims are devstack's own structs of strings, numbers and lists,
    // which always serialise; `exp` and `iat` are among them, in Cognito's
    // order, so jwt-compact's own time claims stay unset.
    RingRs256
        .token(&header, &Claims::new(claims), key)
        .expect("token claims serialise to JSON")
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use jwt_compact::UntrustedToken;
    use rsa::BigUint;

    fn public_key(key: &KeyPair) -> RsaPublicKey {
        let jwk = key.jwk();
        let part = |name: &str| {
            let text = jwk[name].as_str().unwrap();
            BigUint::from_bytes_be(&URL_SAFE_NO_PAD.decode(text).unwrap())
        };
        RsaPublicKey::new(part("n"), part("e")).unwrap()
    }

    #[test]
    fn ring_signed_tokens_verify_as_rs256_with_the_claims_in_order() {
        let key = KeyPair::generate().unwrap();
        #[derive(Serialize)]
        struct Few {
            sub: &'static str,
            exp: i64,
            iat: i64,
        }
        let raw = sign_jwt(
            &key,
            &Few {
                sub: "u",
                exp: 20,
                iat: 10,
            },
        );
        let token = UntrustedToken::new(&raw).unwrap();
        assert_eq!(token.algorithm(), "RS256");
        assert_eq!(token.header().key_id.as_deref(), Some(key.kid()));
        let public = public_key(&key);
        let verified = Rsa::rs256()
            .validator::<serde_json::Value>(&public)
            .validate(&token)
            .unwrap();
        assert_eq!(verified.claims().custom["sub"], "u");
        let payload = raw.split('.').nth(1).unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.decode(payload).unwrap(),
            br#"{"sub":"u","exp":20,"iat":10}"#
        );
        let other = KeyPair::generate().unwrap();
        let forged = sign_jwt(
            &other,
            &Few {
                sub: "u",
                exp: 20,
                iat: 10,
            },
        );
        assert!(Rsa::rs256()
            .validator::<serde_json::Value>(&public)
            .validate(&UntrustedToken::new(&forged).unwrap())
            .is_err());
    }
}
