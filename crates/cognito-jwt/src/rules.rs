//! The claim rules of contract section 4, which need no key and so run the
//! same in the browser and on servers.

use std::fmt;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::b64;
use crate::report::{Check, CheckKind};
use crate::token::{json_type, numeric_date, UnverifiedToken};

/// Cognito's two JWT kinds; each is checked against different claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    /// The `token_use` claim value Cognito puts in this kind of token.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

impl fmt::Display for TokenUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the relying party expects of one token.
#[derive(Clone, Copy)]
pub struct Expectations<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub token_use: TokenUse,
    /// Clock skew allowed on `exp`, `nbf` and `iat`; negative counts as 0.
    pub leeway_seconds: i64,
    /// The nonce sent to /authorize; `None` skips the nonce check.
    pub nonce: Option<&'a str>,
    /// The access token issued with this ID token (implicit flow); `None`
    /// skips the at_hash check.
    pub access_token_for_at_hash: Option<&'a str>,
}

/// Redacts the access token, a bearer credential, from logs.
impl fmt::Debug for Expectations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectations")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("token_use", &self.token_use)
            .field("leeway_seconds", &self.leeway_seconds)
            .field("nonce", &self.nonce)
            .field(
                "access_token_for_at_hash",
                &self.access_token_for_at_hash.map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Runs every claim rule and returns one check per rule, in contract order
/// (Algorithm, Issuer, Audience, TokenUse, Subject, Expiry, NotBefore,
/// IssuedAt, Nonce, AtHash). All rules run even after a failure so a report
/// can show every line; rules that do not apply are `Skipped` with a reason.
///
/// This does NOT verify the signature: claims are only meaningful once the
/// caller adds a passing Signature check (see [`crate::assemble_report`]).
pub fn check_claims(token: &UnverifiedToken, expect: &Expectations, now: i64) -> Vec<Check> {
    let leeway = expect.leeway_seconds.max(0);
    vec![
        algorithm(token),
        issuer(token, expect),
        audience(token, expect),
        token_use(token, expect),
        subject(token, expect),
        expiry(token, now, leeway),
        not_before(token, now, leeway),
        issued_at(token, now, leeway),
        nonce(token, expect),
        at_hash_check(token, expect),
    ]
}

/// The checks whose verdict changes as time passes (Expiry, NotBefore,
/// IssuedAt), as [`check_claims`] makes them: what a page re-checks against
/// the clock without verifying the signature again.
pub fn time_checks(token: &UnverifiedToken, leeway_seconds: i64, now: i64) -> [Check; 3] {
    let leeway = leeway_seconds.max(0);
    [
        expiry(token, now, leeway),
        not_before(token, now, leeway),
        issued_at(token, now, leeway),
    ]
}

/// OIDC Core 3.2.2.9: base64url of the left half of SHA-256 over the access
/// token's ASCII, which binds an implicit-flow ID token to its access token.
pub fn at_hash(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    b64::encode(&digest[..16])
}

/// Exactly "RS256": Cognito signs nothing else, and accepting any other
/// value (notably "none" or HS256 keyed with the public key) is the classic
/// JWT forgery. Case matters: "rs256" is not RS256.
fn algorithm(token: &UnverifiedToken) -> Check {
    let alg = &token.header().alg;
    if alg == "RS256" {
        Check::pass(CheckKind::Algorithm, "alg is RS256")
    } else {
        Check::fail(
            CheckKind::Algorithm,
            format!("expected alg RS256, got {}", shown(alg)),
        )
    }
}

fn issuer(token: &UnverifiedToken, expect: &Expectations) -> Check {
    let kind = CheckKind::Issuer;
    match token.claims().get("iss") {
        Some(Value::String(iss)) if iss == expect.issuer => {
            Check::pass(kind, format!("iss is {}", shown(iss)))
        }
        Some(Value::String(iss)) => Check::fail(
            kind,
            format!("expected iss {}, got {}", shown(expect.issuer), shown(iss)),
        ),
        other => Check::fail(
            kind,
            format!(
                "expected iss {}, got {}",
                shown(expect.issuer),
                absent_or(other)
            ),
        ),
    }
}

/// ID tokens name the client in `aud`, a string equal to the client id
/// (contract section 4; Cognito never issues an array, and aws-jwt-verify
/// refuses one). Cognito access tokens have no `aud` and name the client in
/// `client_id`; an `aud` they carry anyway must at least be a string, as
/// aws-jwt-verify requires of every token.
fn audience(token: &UnverifiedToken, expect: &Expectations) -> Check {
    let kind = CheckKind::Audience;
    let want = expect.client_id;
    match expect.token_use {
        TokenUse::Id => match token.claims().get("aud") {
            Some(Value::String(aud)) if aud == want => {
                Check::pass(kind, format!("aud is {}", shown(aud)))
            }
            Some(Value::String(aud)) => Check::fail(
                kind,
                format!("expected aud {}, got {}", shown(want), shown(aud)),
            ),
            other => Check::fail(
                kind,
                format!("expected aud {}, got {}", shown(want), absent_or(other)),
            ),
        },
        TokenUse::Access => match (token.claims().get("client_id"), token.claims().get("aud")) {
            (_, Some(aud)) if !aud.is_string() => Check::fail(
                kind,
                format!("expected no aud or a string aud, got {}", json_type(aud)),
            ),
            (Some(Value::String(id)), _) if id == want => {
                Check::pass(kind, format!("client_id is {}", shown(id)))
            }
            (Some(Value::String(id)), _) => Check::fail(
                kind,
                format!("expected client_id {}, got {}", shown(want), shown(id)),
            ),
            (other, _) => Check::fail(
                kind,
                format!(
                    "expected client_id {}, got {}",
                    shown(want),
                    absent_or(other)
                ),
            ),
        },
    }
}

/// Claims Cognito always sends as strings, when present. aws-jwt-verify
/// refuses a token where one has another JSON type, and so must we: a
/// `scope` array read as "no scopes" would turn an invalid token into a
/// valid one that is merely forbidden.
const STRING_CLAIMS: [&str; 3] = ["jti", "origin_jti", "scope"];

/// The first claim of [`STRING_CLAIMS`] that is present with another type.
fn wrongly_typed_claim(token: &UnverifiedToken) -> Option<String> {
    STRING_CLAIMS.iter().find_map(|name| {
        let value = token.claims().get(*name)?;
        (!value.is_string())
            .then(|| format!("expected {name} to be a string, got {}", json_type(value)))
    })
}

/// Stops an access token being accepted where an ID token is required (and
/// vice versa); the two are signed by the same issuer. It also checks that
/// the token is shaped like a Cognito token of that use (see
/// [`STRING_CLAIMS`]), the one line of the contract's table such a flaw
/// fits.
fn token_use(token: &UnverifiedToken, expect: &Expectations) -> Check {
    let kind = CheckKind::TokenUse;
    let want = expect.token_use.as_str();
    match token.claims().get("token_use") {
        Some(Value::String(u)) if u == want => match wrongly_typed_claim(token) {
            None => Check::pass(kind, format!("token_use is {want}")),
            Some(why) => Check::fail(kind, format!("a Cognito {want} token, but {why}")),
        },
        Some(Value::String(u)) => {
            Check::fail(kind, format!("expected token_use {want}, got {}", shown(u)))
        }
        other => Check::fail(
            kind,
            format!("expected token_use {want}, got {}", absent_or(other)),
        ),
    }
}

fn subject(token: &UnverifiedToken, expect: &Expectations) -> Check {
    let kind = CheckKind::Subject;
    if expect.token_use == TokenUse::Access {
        return Check::skipped(kind, "sub is required of ID tokens only");
    }
    match token.claims().get("sub") {
        Some(Value::String(sub)) if !sub.is_empty() => {
            Check::pass(kind, format!("sub is {}", shown(sub)))
        }
        Some(Value::String(_)) => {
            Check::fail(kind, "expected a non-empty sub, got an empty string")
        }
        other => Check::fail(
            kind,
            format!("expected a non-empty sub, got {}", absent_or(other)),
        ),
    }
}

fn expiry(token: &UnverifiedToken, now: i64, leeway: i64) -> Check {
    let kind = CheckKind::Expiry;
    let exp = match time_claim(token, "exp", f64::floor) {
        Ok(exp) => exp,
        Err(why) => return Check::fail(kind, why),
    };
    if now < exp.saturating_add(leeway) {
        let reason = if now < exp {
            format!(
                "exp {exp} is {} s from now (leeway {leeway} s)",
                exp.saturating_sub(now)
            )
        } else {
            format!(
                "exp {exp} is {} s in the past, within the leeway of {leeway} s",
                now.saturating_sub(exp)
            )
        };
        Check::pass(kind, reason)
    } else {
        Check::fail(
            kind,
            format!(
                "exp {exp} is {} s in the past (leeway {leeway} s)",
                now.saturating_sub(exp)
            ),
        )
    }
}

fn not_before(token: &UnverifiedToken, now: i64, leeway: i64) -> Check {
    let kind = CheckKind::NotBefore;
    if !token.claims().contains_key("nbf") {
        return Check::pass(kind, "no nbf claim");
    }
    let nbf = match time_claim(token, "nbf", f64::ceil) {
        Ok(nbf) => nbf,
        Err(why) => return Check::fail(kind, why),
    };
    if now >= nbf.saturating_sub(leeway) {
        Check::pass(
            kind,
            format!("nbf {nbf} is not after now {now} (leeway {leeway} s)"),
        )
    } else {
        Check::fail(
            kind,
            format!(
                "nbf {nbf} is {} s in the future (leeway {leeway} s)",
                nbf.saturating_sub(now)
            ),
        )
    }
}

/// A token "issued" in the future means a wrong clock or a forged token.
fn issued_at(token: &UnverifiedToken, now: i64, leeway: i64) -> Check {
    let kind = CheckKind::IssuedAt;
    let iat = match time_claim(token, "iat", f64::ceil) {
        Ok(iat) => iat,
        Err(why) => return Check::fail(kind, why),
    };
    if iat <= now.saturating_add(leeway) {
        Check::pass(
            kind,
            format!("iat {iat} is not after now {now} (leeway {leeway} s)"),
        )
    } else {
        Check::fail(
            kind,
            format!(
                "iat {iat} is {} s in the future (leeway {leeway} s)",
                iat.saturating_sub(now)
            ),
        )
    }
}

/// Binds the ID token to this sign-in attempt, so a token captured from
/// another attempt cannot be replayed into ours.
fn nonce(token: &UnverifiedToken, expect: &Expectations) -> Check {
    let kind = CheckKind::Nonce;
    if expect.token_use == TokenUse::Access {
        return Check::skipped(kind, "nonce applies to ID tokens only");
    }
    let Some(want) = expect.nonce else {
        return Check::skipped(kind, "no nonce was sent, so none is expected");
    };
    match token.claims().get("nonce") {
        Some(Value::String(n)) if n == want => Check::pass(kind, "nonce matches the one sent"),
        Some(Value::String(_)) => Check::fail(
            kind,
            "expected the nonce sent with the request, got a different one",
        ),
        other => Check::fail(
            kind,
            format!(
                "expected the nonce sent with the request, got {}",
                absent_or(other)
            ),
        ),
    }
}

fn at_hash_check(token: &UnverifiedToken, expect: &Expectations) -> Check {
    let kind = CheckKind::AtHash;
    if expect.token_use == TokenUse::Access {
        return Check::skipped(kind, "at_hash applies to ID tokens only");
    }
    let Some(access_token) = expect.access_token_for_at_hash else {
        return Check::skipped(kind, "no access token to bind (not the implicit flow)");
    };
    let want = at_hash(access_token);
    match token.claims().get("at_hash") {
        Some(Value::String(h)) if *h == want => {
            Check::pass(kind, "at_hash matches the access token")
        }
        Some(Value::String(h)) => Check::fail(
            kind,
            format!(
                "expected at_hash {want} (from the access token), got {}",
                shown(h)
            ),
        ),
        other => Check::fail(
            kind,
            format!("expected at_hash {want}, got {}", absent_or(other)),
        ),
    }
}

/// A NumericDate claim, or a reason saying what was wrong with it.
fn time_claim(token: &UnverifiedToken, name: &str, round: fn(f64) -> f64) -> Result<i64, String> {
    match token.claims().get(name) {
        None => Err(format!("expected a numeric {name} claim, found none")),
        Some(v @ Value::Number(_)) => numeric_date(v, round).ok_or_else(|| {
            format!("expected {name} in seconds since 1970, got an out-of-range number")
        }),
        Some(other) => Err(format!(
            "expected a numeric {name} claim, got {}",
            json_type(other)
        )),
    }
}

fn absent_or(v: Option<&Value>) -> String {
    match v {
        None => "no such claim".to_owned(),
        Some(v) => json_type(v).to_owned(),
    }
}

/// Quotes a claim value for a reason, cut short: reasons are shown to people
/// and a claim can be kilobytes long.
fn shown(s: &str) -> String {
    const MAX_CHARS: usize = 80;
    match s.char_indices().nth(MAX_CHARS) {
        None => format!("\"{s}\""),
        Some((cut, _)) => format!("\"{}…\"", &s[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_published_oidc_vector() {
        // OpenID Connect Core 1.0, Appendix A.3 (response_type=id_token token).
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }

    #[test]
    fn at_hash_by_hand() {
        let token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
        let digest = Sha256::digest(token.as_bytes());
        let mut left = [0u8; 16];
        left.copy_from_slice(&digest[..16]);
        use base64::Engine as _;
        let want = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(left);
        assert_eq!(at_hash(token), want);
        assert_eq!(want.len(), 22);
    }

    #[test]
    fn shown_cuts_long_values_on_char_boundaries() {
        assert_eq!(shown("abc"), "\"abc\"");
        let long = "é".repeat(200);
        let s = shown(&long);
        assert!(s.ends_with("…\"") && s.chars().count() == 83, "{s}");
    }

    #[test]
    fn expectations_debug_redacts_the_access_token() {
        let e = Expectations {
            issuer: "i",
            client_id: "c",
            token_use: TokenUse::Id,
            leeway_seconds: 0,
            nonce: None,
            access_token_for_at_hash: Some("SECRET-ACCESS-TOKEN"),
        };
        assert!(!format!("{e:?}").contains("SECRET"));
    }
}
