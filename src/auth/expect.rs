//! What the app expects of its tokens, from the config, and the part of a
//! verification report that depends on the clock.
//!
//! A session's reports are made once, when its tokens arrive (sign-in,
//! refresh, reload). Only `exp`, `nbf` and `iat` change their verdict as
//! time passes; those are re-checked against the clock as the page shows
//! the report, without verifying the signature again.

use cognito_jwt::{time_checks, Expectations, Report, TokenUse, UnverifiedToken};

use crate::config::Config;

/// The expectations for one token of this app's pool and client. `nonce`
/// is checked at sign-in only; `at_hash_of` is the access token an
/// implicit-flow ID token must be bound to.
pub fn expectations<'a>(
    config: &'a Config,
    token_use: TokenUse,
    nonce: Option<&'a str>,
    at_hash_of: Option<&'a str>,
) -> Expectations<'a> {
    Expectations {
        issuer: &config.issuer,
        client_id: &config.client_id,
        token_use,
        leeway_seconds: config.clock_skew_seconds,
        nonce,
        access_token_for_at_hash: at_hash_of,
    }
}

/// Whether every time check passes at `now`: what a page watches to know
/// when a report must be redrawn.
pub fn times_pass(token: &UnverifiedToken, leeway_seconds: i64, now: i64) -> bool {
    time_checks(token, leeway_seconds, now)
        .iter()
        .all(|check| check.outcome.is_pass())
}

/// `report` with its time checks made again at `now`; every other check,
/// the signature's above all, is kept as it was.
pub fn recheck_times(
    report: &Report,
    token: &UnverifiedToken,
    leeway_seconds: i64,
    now: i64,
) -> Report {
    let fresh = time_checks(token, leeway_seconds, now);
    report
        .checks
        .iter()
        .map(|check| {
            fresh
                .iter()
                .find(|new| new.kind == check.kind)
                .unwrap_or(check)
                .clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use cognito_jwt::{Check, CheckKind};
    use serde_json::json;

    fn token(claims: serde_json::Value) -> UnverifiedToken {
        let part = |value: serde_json::Value| URL_SAFE_NO_PAD.encode(value.to_string());
        let raw = format!(
            "{}.{}.c2ln",
            part(json!({"alg": "RS256", "kid": "k"})),
            part(claims)
        );
        UnverifiedToken::parse(&raw).unwrap()
    }

    /// A report as sign-in made it, at `now` = 1000, with a passed signature.
    fn signed_in(token: &UnverifiedToken) -> Report {
        let mut report = Report::new();
        report.push(Check::pass(
            CheckKind::Signature,
            "RS256 signature verified",
        ));
        report.push(Check::pass(CheckKind::Nonce, "nonce matches"));
        report.extend(time_checks(token, 0, 1000));
        report
    }

    #[test]
    fn expectations_come_from_the_config() {
        let config = Config::from_json(
            r#"{"clientId":"abc","domain":"https://p.auth.eu-west-1.amazoncognito.com","region":"eu-west-1","userPoolId":"eu-west-1_AbCdEf123","clockSkewSeconds":7}"#,
            "http://localhost:8080",
        )
        .unwrap();
        let expect = expectations(&config, TokenUse::Id, Some("n"), Some("a.b.c"));
        assert_eq!(expect.issuer, config.issuer);
        assert_eq!(expect.client_id, "abc");
        assert_eq!(expect.token_use, TokenUse::Id);
        assert_eq!(expect.leeway_seconds, 7);
        assert_eq!(expect.nonce, Some("n"));
        assert_eq!(expect.access_token_for_at_hash, Some("a.b.c"));
    }

    #[test]
    fn a_report_turns_invalid_once_the_token_expires() {
        let token = token(json!({"iat": 900, "exp": 1100}));
        let report = signed_in(&token);
        assert!(report.is_valid());
        let later = recheck_times(&report, &token, 0, 1100);
        assert!(!later.is_valid());
        assert_eq!(later.failure_word(), Some(CheckKind::Expiry.word()));
        // Within the leeway it still passes.
        assert!(recheck_times(&report, &token, 60, 1100).is_valid());
    }

    #[test]
    fn only_the_time_checks_change() {
        let token = token(json!({"iat": 900, "exp": 1100}));
        let report = signed_in(&token);
        let later = recheck_times(&report, &token, 0, 1050);
        let kinds = |r: &Report| r.checks.iter().map(|c| c.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&later), kinds(&report), "same lines, same order");
        assert_eq!(
            later.get(CheckKind::Signature),
            report.get(CheckKind::Signature)
        );
        assert_eq!(later.get(CheckKind::Nonce), report.get(CheckKind::Nonce));
        assert_ne!(
            later.get(CheckKind::Expiry),
            report.get(CheckKind::Expiry),
            "the expiry line speaks of the new now"
        );
    }

    #[test]
    fn a_report_without_a_passed_signature_stays_invalid() {
        let token = token(json!({"iat": 900, "exp": 1100}));
        let mut report = Report::new();
        report.push(Check::fail(CheckKind::Signature, "does not match"));
        report.extend(time_checks(&token, 0, 1000));
        assert!(!recheck_times(&report, &token, 0, 1000).is_valid());
    }

    #[test]
    fn the_time_verdict_flips_at_nbf_and_exp() {
        let token = token(json!({"iat": 900, "nbf": 950, "exp": 1100}));
        assert!(!times_pass(&token, 0, 899), "issued in the future");
        assert!(!times_pass(&token, 0, 949), "not yet valid");
        assert!(times_pass(&token, 0, 950));
        assert!(times_pass(&token, 0, 1099));
        assert!(!times_pass(&token, 0, 1100), "expired");
        assert!(times_pass(&token, 10, 1105), "within the leeway");
        assert!(!times_pass(&token, 0, i64::MAX));
    }
}
