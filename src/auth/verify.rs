//! Verifying tokens in the browser: the JWKS is fetched (and fetched once
//! more on an unknown `kid`, for key rotation), the RS256 signature is
//! checked by WebCrypto, and cognito-jwt builds the report with the same
//! rules the servers use.

use std::cell::RefCell;
use std::rc::Rc;

use cognito_jwt::{
    assemble_report, key_set_failure_report, parse_failure_report, Expectations, Jwks, KeyError,
    Report, RsaJwk, UnverifiedToken,
};
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::browser::get_text;

/// A key's `kid` and the promise of its WebCrypto import.
type KeyImport = (Option<String>, Promise);

/// The last JWKS fetched, shared by every verification of this page, and
/// the WebCrypto imports of its keys.
#[derive(Clone, Default)]
pub struct KeyCache {
    jwks: Rc<RefCell<Option<Jwks>>>,
    /// `crypto.subtle.importKey` promises by `kid`, for the cached set only:
    /// the ID and access token share a key, and a promise can be awaited by
    /// both verifications at once, so each key is imported once.
    imported: Rc<RefCell<Vec<KeyImport>>>,
}

impl KeyCache {
    /// The cached key set, or a fresh one.
    async fn get(&self, uri: &str, refetch: bool) -> Result<Jwks, String> {
        if !refetch {
            if let Some(jwks) = self.jwks.borrow().as_ref() {
                return Ok(jwks.clone());
            }
        }
        // A refetch must reach the server: a cached copy of the key set
        // would not hold the key the pool just rotated to.
        let (status, text) = get_text(uri, refetch)
            .await
            .map_err(|e| format!("the key set could not be fetched: {e}"))?;
        if status != 200 {
            return Err(format!(
                "the key set could not be fetched: {uri} answered HTTP {status}"
            ));
        }
        let jwks = Jwks::parse(&text)
            .map_err(|e| format!("the key set at {uri} is not a valid JWKS: {e}"))?;
        *self.jwks.borrow_mut() = Some(jwks.clone());
        // Imports of the previous set's keys must not stand in for this one's.
        self.imported.borrow_mut().clear();
        Ok(jwks)
    }

    /// Fetches the key set ahead of need (during the code exchange, so
    /// verification does not wait for it afterwards). A failure is left for
    /// the verification that follows to report.
    pub async fn prefetch(&self, uri: &str) {
        let _ = self.get(uri, false).await;
    }

    /// The WebCrypto import of `key`, started once per key of the cached set.
    fn import(&self, key: &RsaJwk) -> Result<Promise, String> {
        if let Some((_, promise)) = self
            .imported
            .borrow()
            .iter()
            .find(|(kid, _)| *kid == key.kid)
        {
            return Ok(promise.clone());
        }
        let promise = start_import(key)?;
        self.imported
            .borrow_mut()
            .push((key.kid.clone(), promise.clone()));
        Ok(promise)
    }
}

/// A token as parsed for its verification (`None` if it is not a JWT), and
/// the report.
pub struct Verified {
    pub token: Option<UnverifiedToken>,
    pub report: Report,
}

/// Parses `raw` once and verifies it.
pub async fn parse_and_verify(
    raw: &str,
    expect: &Expectations<'_>,
    now: i64,
    keys: &KeyCache,
    jwks_uri: &str,
) -> Verified {
    match UnverifiedToken::parse(raw) {
        Ok(token) => {
            let report = verify_token(&token, expect, now, keys, jwks_uri).await;
            Verified {
                token: Some(token),
                report,
            }
        }
        Err(error) => Verified {
            token: None,
            report: parse_failure_report(&error),
        },
    }
}

/// Verifies one parsed token and returns the full report (never panics,
/// never passes a check that could not run).
pub async fn verify_token(
    token: &UnverifiedToken,
    expect: &Expectations<'_>,
    now: i64,
    keys: &KeyCache,
    jwks_uri: &str,
) -> Report {
    let kid = token.header().kid.clone();
    let mut jwks = match keys.get(jwks_uri, false).await {
        Ok(jwks) => jwks,
        Err(reason) => return key_set_failure_report(token, expect, now, &reason),
    };
    if matches!(jwks.select(kid.as_deref()), Err(KeyError::UnknownKid(_))) {
        // The pool may have rotated its keys since the set was cached.
        jwks = match keys.get(jwks_uri, true).await {
            Ok(jwks) => jwks,
            Err(reason) => return key_set_failure_report(token, expect, now, &reason),
        };
    }
    let signature = match jwks.select(kid.as_deref()) {
        Ok(key) if token.header().alg == "RS256" => webcrypto_verify(keys, key, token).await,
        _ => Err("not checked".to_owned()),
    };
    assemble_report(token, &jwks, expect, now, signature)
}

const RS256: &str = r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#;

/// Starts `crypto.subtle.importKey` for an RSA public key.
fn start_import(key: &RsaJwk) -> Result<Promise, String> {
    let jwk: js_sys::Object = js_sys::JSON::parse(&key.to_webcrypto_jwk().to_string())
        .map_err(|_| "the key could not be read")?
        .unchecked_into();
    let algorithm: js_sys::Object = js_sys::JSON::parse(RS256)
        .map_err(|_| "bad algorithm")?
        .unchecked_into();
    let usages = js_sys::Array::of1(&JsValue::from_str("verify"));
    Ok(subtle()?
        .import_key_with_object("jwk", &jwk, &algorithm, false, &usages)
        .map_err(|_| "WebCrypto could not import the key")?)
}

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    Ok(web_sys::window()
        .ok_or("no window")?
        .crypto()
        .map_err(|_| "WebCrypto is not available")?
        .subtle())
}

/// RSASSA-PKCS1-v1_5 with SHA-256 through `crypto.subtle`.
async fn webcrypto_verify(
    keys: &KeyCache,
    key: &RsaJwk,
    token: &UnverifiedToken,
) -> Result<(), String> {
    let crypto_key: web_sys::CryptoKey = JsFuture::from(keys.import(key)?)
        .await
        .map_err(|_| "WebCrypto refused the key (not a valid RSA public key)")?
        .unchecked_into();
    let verified = subtle()?
        .verify_with_str_and_u8_array_and_u8_array(
            "RSASSA-PKCS1-v1_5",
            &crypto_key,
            token.signature(),
            token.signing_input(),
        )
        .map_err(|_| "WebCrypto could not run the verification")?;
    match JsFuture::from(verified).await.map(|v| v.as_bool()) {
        Ok(Some(true)) => Ok(()),
        Ok(_) => Err("the RS256 signature does not match the token's content".to_owned()),
        Err(_) => Err("WebCrypto failed while verifying the signature".to_owned()),
    }
}
