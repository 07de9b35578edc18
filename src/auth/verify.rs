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

use crate::web::crypto::{start_import, verify_rs256};
use crate::web::http::get_text;

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
        let promise = start_import(&key.to_webcrypto_jwk().to_string())?;
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
        Ok(key) if token.header().alg == "RS256" => match keys.import(key) {
            Ok(imported) => verify_rs256(imported, token.signature(), token.signing_input()).await,
            Err(reason) => Err(reason),
        },
        _ => Err("not checked".to_owned()),
    };
    assemble_report(token, &jwks, expect, now, signature)
}
