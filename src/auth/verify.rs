//! Verifying tokens in the browser: the JWKS is fetched (and fetched once
//! more on an unknown `kid`, for key rotation, as often as cognito-jwt's
//! `RefetchPolicy` allows), the RS256 signature is checked by WebCrypto, and
//! cognito-jwt builds the report with the same rules the servers use.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use cognito_jwt::{
    assemble_report, key_set_failure_report, parse_failure_report, Expectations, Jwks, ParseError,
    RefetchPolicy, Report, RsaJwk, UnverifiedToken,
};
use js_sys::Promise;

use crate::trace::{self, Row};
use crate::web::crypto::{start_import, verify_rs256};
use crate::web::early;
use crate::web::http::{early_answer, get_text};

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
    /// Refetches on an unknown `kid` are rate-limited: anyone can write a
    /// `kid`, and forged ones must not make the page hammer the key set.
    refetches: Rc<Cell<RefetchPolicy>>,
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
        // The first fetch on /callback may be the one index.html sent early.
        let early = match refetch {
            false => early_answer(early::KEYS, "jwks", "GET", uri, Vec::new()).await,
            true => None,
        };
        let fetched = match early {
            Some(answer) => answer,
            None => get_text(uri, refetch, Some("jwks")).await,
        };
        let (status, text) =
            fetched.map_err(|e| format!("the key set could not be fetched: {e}"))?;
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

    /// The key set to verify tokens naming `kids` with: the cached one, or
    /// one fetched again if it lacks one of them and the policy allows it
    /// at `now`. Asked once for all tokens of a sign-in, so a rotation
    /// fetches the set once, not once per token.
    async fn for_kids(&self, uri: &str, kids: &[Option<&str>], now: i64) -> Result<Jwks, String> {
        let jwks = self.get(uri, false).await?;
        let unknown = kids
            .iter()
            .any(|kid| RefetchPolicy::wants_refetch(&jwks, *kid));
        if unknown && self.try_refetch(now) {
            // The pool may have rotated its keys since the set was cached.
            return self.get(uri, true).await;
        }
        Ok(jwks)
    }

    fn try_refetch(&self, now: i64) -> bool {
        let mut policy = self.refetches.get();
        let allowed = policy.try_fetch(now);
        self.refetches.set(policy);
        allowed
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

/// Parses the ID and access token once each and verifies both at once,
/// with one key set for the two (see [`KeyCache::for_kids`]).
pub async fn parse_and_verify_pair(
    (id_raw, id_expect): (&str, &Expectations<'_>),
    (access_raw, access_expect): (&str, &Expectations<'_>),
    now: i64,
    keys: &KeyCache,
    jwks_uri: &str,
) -> (Verified, Verified) {
    let (id, access) = (
        UnverifiedToken::parse(id_raw),
        UnverifiedToken::parse(access_raw),
    );
    let kids: Vec<Option<&str>> = [&id, &access]
        .into_iter()
        .flatten()
        .map(|token| token.header().kid.as_deref())
        .collect();
    let jwks = keys.for_kids(jwks_uri, &kids, now).await;
    let (id, access) = futures::join!(
        verify_parsed(id, id_expect, now, keys, &jwks),
        verify_parsed(access, access_expect, now, keys, &jwks),
    );
    record_verification(&id.report, &access.report);
    (id, access)
}

/// The verification's own trace step: every check of both tokens, `ok`
/// only if all of them passed.
fn record_verification(id: &Report, access: &Report) {
    let rows = [('i', id), ('a', access)]
        .into_iter()
        .flat_map(|(tag, report)| {
            report.checks.iter().map(move |check| {
                let outcome = &check.outcome;
                let text = format!("{}: {}", outcome.status(), outcome.reason());
                Row::new(tag, check.kind.word(), &text)
            })
        })
        .collect();
    let status = if id.is_valid() && access.is_valid() {
        "ok"
    } else {
        "failed"
    };
    trace::record("verify", status, "", "", rows);
}

async fn verify_parsed(
    parsed: Result<UnverifiedToken, ParseError>,
    expect: &Expectations<'_>,
    now: i64,
    keys: &KeyCache,
    jwks: &Result<Jwks, String>,
) -> Verified {
    match parsed {
        Ok(token) => Verified {
            report: verify_with(&token, expect, now, keys, jwks).await,
            token: Some(token),
        },
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
    let kid = token.header().kid.as_deref();
    let jwks = keys.for_kids(jwks_uri, &[kid], now).await;
    verify_with(token, expect, now, keys, &jwks).await
}

/// Verifies `token` against a key set already fetched (or its failure).
async fn verify_with(
    token: &UnverifiedToken,
    expect: &Expectations<'_>,
    now: i64,
    keys: &KeyCache,
    jwks: &Result<Jwks, String>,
) -> Report {
    let jwks = match jwks {
        Ok(jwks) => jwks,
        Err(reason) => return key_set_failure_report(token, expect, now, reason),
    };
    let signature = match jwks.select(token.header().kid.as_deref()) {
        Ok(key) if token.header().alg == "RS256" => match keys.import(key) {
            Ok(imported) => verify_rs256(imported, token.signature(), token.signing_input()).await,
            Err(reason) => Err(reason),
        },
        _ => Err("not checked".to_owned()),
    };
    assemble_report(token, jwks, expect, now, signature)
}
