//! Builds the one report shape both verifiers produce.
//!
//! The browser verifies the signature with WebCrypto (asynchronously) and
//! servers natively (see `native`), but both must list the same checks in the
//! same order and fail the same way, so the assembling lives here and only
//! the signature outcome is passed in.

use crate::jwks::Jwks;
use crate::report::{Check, CheckKind, Report};
use crate::rules::{check_claims, Expectations};
use crate::token::{ParseError, UnverifiedToken};

/// Every check in report order, for reports where a step could not run.
const ORDER: [CheckKind; 13] = [
    CheckKind::Algorithm,
    CheckKind::KeySet,
    CheckKind::Key,
    CheckKind::Signature,
    CheckKind::Issuer,
    CheckKind::Audience,
    CheckKind::TokenUse,
    CheckKind::Subject,
    CheckKind::Expiry,
    CheckKind::NotBefore,
    CheckKind::IssuedAt,
    CheckKind::Nonce,
    CheckKind::AtHash,
];

/// The full report for a parsed token: Algorithm, KeySet, Key, Signature,
/// then the claim checks.
///
/// `signature` is the caller's verification of `token.signature()` over
/// `token.signing_input()` with the key `jwks.select(token.header().kid)`
/// returned: `Ok(())` only if RS256 verification succeeded, `Err(reason)`
/// otherwise (reason without token text). It is ignored, and the signature
/// line is `Skipped`, when the algorithm is refused or no key was selected,
/// so the first failure names the real cause; the report is then invalid
/// anyway, because no signature check passed.
pub fn assemble_report(
    token: &UnverifiedToken,
    jwks: &Jwks,
    expect: &Expectations,
    now: i64,
    signature: Result<(), String>,
) -> Report {
    let mut claims = check_claims(token, expect, now).into_iter();
    let mut report = Report::new();
    let algorithm = claims
        .next()
        .unwrap_or_else(|| Check::fail(CheckKind::Algorithm, "not checked"));
    let alg_ok = algorithm.outcome.is_pass();
    report.push(algorithm);
    report.push(Check::pass(
        CheckKind::KeySet,
        format!("key set holds {} RS256 signing key(s)", jwks.len()),
    ));
    let key = jwks.select(token.header().kid.as_deref());
    let signature_check = match (&key, alg_ok) {
        (_, false) => Check::skipped(
            CheckKind::Signature,
            "not checked: the algorithm is refused",
        ),
        (Err(_), true) => {
            Check::skipped(CheckKind::Signature, "not checked: no key to check it with")
        }
        (Ok(k), true) => match signature {
            Ok(()) => Check::pass(
                CheckKind::Signature,
                format!(
                    "RS256 signature verified with key {}",
                    kid_text(k.kid.as_deref())
                ),
            ),
            Err(reason) => Check::fail(CheckKind::Signature, reason),
        },
    };
    report.push(match key {
        Ok(k) => Check::pass(
            CheckKind::Key,
            format!("found key {}", kid_text(k.kid.as_deref())),
        ),
        Err(e) => Check::fail(CheckKind::Key, e.to_string()),
    });
    report.push(signature_check);
    report.extend(claims);
    report
}

/// The report for a string that is not a JWT at all. The contract counts an
/// unparsable token as a failed check; it is recorded on Signature (nothing
/// was verified), and every other line is present as Skipped so the table
/// keeps its shape.
pub fn parse_failure_report(err: &ParseError) -> Report {
    ORDER
        .iter()
        .map(|&kind| match kind {
            CheckKind::Signature => {
                Check::fail(kind, format!("token is not a well-formed JWT: {err}"))
            }
            _ => Check::skipped(kind, "not checked: the token could not be parsed"),
        })
        .collect()
}

/// The report when the key set could not be fetched or parsed: the JWKS
/// line fails with `reason`, key and signature are not checked, and the
/// claim checks still run so the page can show them.
pub fn key_set_failure_report(
    token: &UnverifiedToken,
    expect: &Expectations,
    now: i64,
    reason: &str,
) -> Report {
    let mut claims = check_claims(token, expect, now).into_iter();
    let mut report = Report::new();
    report.extend(claims.next());
    report.push(Check::fail(CheckKind::KeySet, reason));
    report.push(Check::skipped(CheckKind::Key, "not checked: no key set"));
    report.push(Check::skipped(
        CheckKind::Signature,
        "not checked: no key set",
    ));
    report.extend(claims);
    report
}

fn kid_text(kid: Option<&str>) -> String {
    kid.map_or_else(
        || "(the only key, no kid)".to_owned(),
        |k| format!("kid \"{k}\""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::TokenUse;

    fn expect() -> Expectations<'static> {
        Expectations {
            issuer: "iss",
            client_id: "c",
            token_use: TokenUse::Id,
            leeway_seconds: 0,
            nonce: None,
            access_token_for_at_hash: None,
        }
    }

    // {"alg":"RS256"} . {"iss":"iss"} . "sig"
    const RAW: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJpc3MifQ.c2ln";

    #[test]
    fn key_set_failure_names_jwks_and_keeps_the_claim_lines() {
        let token = UnverifiedToken::parse(RAW).unwrap();
        let r = key_set_failure_report(&token, &expect(), 0, "GET jwks.json: 503");
        assert_eq!(r.checks.iter().map(|c| c.kind).collect::<Vec<_>>(), ORDER);
        assert_eq!(r.failure_word(), Some("jwks"));
        assert!(r.get(CheckKind::Issuer).unwrap().outcome.is_pass());
    }

    #[test]
    fn an_ok_signature_counts_only_with_a_selected_key() {
        let token = UnverifiedToken::parse(RAW).unwrap();
        let r = assemble_report(&token, &Jwks::default(), &expect(), 0, Ok(()));
        assert_eq!(r.checks.iter().map(|c| c.kind).collect::<Vec<_>>(), ORDER);
        assert!(r.get(CheckKind::Signature).unwrap().outcome.is_skipped());
        assert_eq!(r.failure_word(), Some("kid"));
    }

    #[test]
    fn parse_failure_has_every_line_and_fails_signature() {
        let err = UnverifiedToken::parse("a.b").unwrap_err();
        let r = parse_failure_report(&err);
        assert_eq!(r.checks.len(), ORDER.len());
        assert_eq!(r.failure_word(), Some("signature"));
    }
}
