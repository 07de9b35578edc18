//! The outcome of every check, named so a UI and a server log agree.
//!
//! A report lists every check, including the ones that passed or did not
//! apply, because the profile page shows the whole list; the sign-in error
//! shows only the first failure's contract word.

use std::fmt;

/// One line of the verification table in the contract (section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckKind {
    Algorithm,
    Key,
    KeySet,
    Signature,
    Issuer,
    Audience,
    TokenUse,
    Subject,
    Expiry,
    NotBefore,
    IssuedAt,
    Nonce,
    AtHash,
}

impl CheckKind {
    /// The word the `auth-error` hook shows for a failure of this check.
    /// End-to-end tests match these strings, so they are the contract's
    /// words exactly and change only with the contract.
    pub fn word(self) -> &'static str {
        match self {
            CheckKind::Algorithm => "algorithm",
            CheckKind::Key => "kid",
            CheckKind::KeySet => "jwks",
            CheckKind::Signature => "signature",
            CheckKind::Issuer => "issuer",
            CheckKind::Audience => "audience",
            CheckKind::TokenUse => "token_use",
            CheckKind::Subject => "sub",
            CheckKind::Expiry => "expired",
            CheckKind::NotBefore => "not yet valid",
            CheckKind::IssuedAt => "iat",
            CheckKind::Nonce => "nonce",
            CheckKind::AtHash => "at_hash",
        }
    }

    /// A label for people reading the report table; free to change.
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Algorithm => "Algorithm",
            CheckKind::Key => "Signing key (kid)",
            CheckKind::KeySet => "Key set (JWKS)",
            CheckKind::Signature => "Signature",
            CheckKind::Issuer => "Issuer",
            CheckKind::Audience => "Audience / client id",
            CheckKind::TokenUse => "Token use",
            CheckKind::Subject => "Subject",
            CheckKind::Expiry => "Expiry",
            CheckKind::NotBefore => "Not before",
            CheckKind::IssuedAt => "Issued at",
            CheckKind::Nonce => "Nonce",
            CheckKind::AtHash => "Access token hash (at_hash)",
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// Each outcome carries the reason for people, e.g.
/// "exp 1700000000 is 120 s in the past (leeway 60 s)". Reasons never
/// contain the raw token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckOutcome {
    Pass(String),
    Fail(String),
    Skipped(String),
}

impl CheckOutcome {
    pub fn reason(&self) -> &str {
        match self {
            CheckOutcome::Pass(r) | CheckOutcome::Fail(r) | CheckOutcome::Skipped(r) => r,
        }
    }

    pub fn is_pass(&self) -> bool {
        matches!(self, CheckOutcome::Pass(_))
    }

    pub fn is_fail(&self) -> bool {
        matches!(self, CheckOutcome::Fail(_))
    }

    pub fn is_skipped(&self) -> bool {
        matches!(self, CheckOutcome::Skipped(_))
    }

    /// A short status for `data-*` attributes and logs.
    pub fn status(&self) -> &'static str {
        match self {
            CheckOutcome::Pass(_) => "pass",
            CheckOutcome::Fail(_) => "fail",
            CheckOutcome::Skipped(_) => "skipped",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub kind: CheckKind,
    pub outcome: CheckOutcome,
}

impl Check {
    pub fn pass(kind: CheckKind, reason: impl Into<String>) -> Check {
        Check {
            kind,
            outcome: CheckOutcome::Pass(reason.into()),
        }
    }

    pub fn fail(kind: CheckKind, reason: impl Into<String>) -> Check {
        Check {
            kind,
            outcome: CheckOutcome::Fail(reason.into()),
        }
    }

    pub fn skipped(kind: CheckKind, reason: impl Into<String>) -> Check {
        Check {
            kind,
            outcome: CheckOutcome::Skipped(reason.into()),
        }
    }
}

impl fmt::Display for Check {
    /// "signature: fail (...)": the contract word first, so a message built
    /// from a failed check names it the way the contract requires.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({})",
            self.kind.word(),
            self.outcome.status(),
            self.outcome.reason()
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    pub fn new() -> Report {
        Report::default()
    }

    /// Fails closed: a report is valid only if nothing failed AND a signature
    /// check positively passed. An empty report, or one where the signature
    /// was skipped or never recorded, is not valid, so forgetting to verify
    /// the signature can never yield a session.
    pub fn is_valid(&self) -> bool {
        !self.checks.iter().any(|c| c.outcome.is_fail())
            && self
                .checks
                .iter()
                .any(|c| c.kind == CheckKind::Signature && c.outcome.is_pass())
    }

    pub fn first_failure(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.outcome.is_fail())
    }

    /// The contract word to show in `auth-error` when the report is not
    /// valid: the first failure's word, or "signature" when nothing failed
    /// but no signature check passed.
    pub fn failure_word(&self) -> Option<&'static str> {
        if self.is_valid() {
            return None;
        }
        Some(
            self.first_failure()
                .map_or(CheckKind::Signature.word(), |c| c.kind.word()),
        )
    }

    /// Whether the token is good but for its age: the signature verified and
    /// expiry is the only check that failed. Such a token is refused, but a
    /// refresh may replace it (and API Gateway answers it with a message of
    /// its own).
    pub fn only_expired(&self) -> bool {
        only_expired([self])
    }

    /// The first check of this kind, for UIs that lay the table out by kind.
    pub fn get(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }

    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    pub fn extend(&mut self, checks: impl IntoIterator<Item = Check>) {
        self.checks.extend(checks);
    }
}

/// [`Report::only_expired`] over several reports (a session's ID and access
/// token): each is valid or only expired, and at least one is expired.
pub fn only_expired<'a>(reports: impl IntoIterator<Item = &'a Report>) -> bool {
    let mut any_expired = false;
    for report in reports {
        let signature_passed = report
            .checks
            .iter()
            .any(|c| c.kind == CheckKind::Signature && c.outcome.is_pass());
        let mut failures = report.checks.iter().filter(|c| c.outcome.is_fail());
        if !signature_passed || failures.any(|c| c.kind != CheckKind::Expiry) {
            return false;
        }
        any_expired |= report.first_failure().is_some();
    }
    any_expired
}

impl Extend<Check> for Report {
    fn extend<I: IntoIterator<Item = Check>>(&mut self, iter: I) {
        self.checks.extend(iter);
    }
}

impl FromIterator<Check> for Report {
    fn from_iter<I: IntoIterator<Item = Check>>(iter: I) -> Report {
        Report {
            checks: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_contract_words() {
        let all = [
            (CheckKind::Algorithm, "algorithm"),
            (CheckKind::Key, "kid"),
            (CheckKind::KeySet, "jwks"),
            (CheckKind::Signature, "signature"),
            (CheckKind::Issuer, "issuer"),
            (CheckKind::Audience, "audience"),
            (CheckKind::TokenUse, "token_use"),
            (CheckKind::Subject, "sub"),
            (CheckKind::Expiry, "expired"),
            (CheckKind::NotBefore, "not yet valid"),
            (CheckKind::IssuedAt, "iat"),
            (CheckKind::Nonce, "nonce"),
            (CheckKind::AtHash, "at_hash"),
        ];
        for (kind, word) in all {
            assert_eq!(kind.word(), word);
            assert!(!kind.label().is_empty());
        }
    }

    #[test]
    fn empty_report_is_not_valid() {
        let r = Report::new();
        assert!(!r.is_valid());
        assert_eq!(r.failure_word(), Some("signature"));
    }

    #[test]
    fn passing_claims_without_signature_is_not_valid() {
        let mut r = Report::new();
        r.push(Check::pass(CheckKind::Issuer, "ok"));
        r.push(Check::skipped(CheckKind::Signature, "not checked"));
        assert!(!r.is_valid());
        assert_eq!(r.first_failure(), None);
        assert_eq!(r.failure_word(), Some("signature"));
    }

    #[test]
    fn only_expired_needs_a_verified_signature_and_no_other_failure() {
        let verified = Check::pass(CheckKind::Signature, "ok");
        let expired = Check::fail(CheckKind::Expiry, "old");
        let valid: Report = [verified.clone()].into_iter().collect();
        let old: Report = [verified.clone(), expired.clone()].into_iter().collect();
        let unsigned: Report = [Check::skipped(CheckKind::Signature, "no"), expired.clone()]
            .into_iter()
            .collect();
        let also_forged: Report = [verified, expired, Check::fail(CheckKind::Issuer, "x")]
            .into_iter()
            .collect();
        assert!(old.only_expired());
        assert!(!valid.only_expired());
        assert!(!unsigned.only_expired());
        assert!(!also_forged.only_expired());
        assert!(!Report::new().only_expired());
        assert!(only_expired([&valid, &old]));
        assert!(only_expired([&old, &old]));
        assert!(!only_expired([&valid, &valid]));
        assert!(!only_expired([&old, &also_forged]));
        assert!(!only_expired([]));
    }

    #[test]
    fn any_failure_makes_it_invalid() {
        let mut r = Report::new();
        r.push(Check::pass(CheckKind::Signature, "ok"));
        assert!(r.is_valid());
        assert_eq!(r.failure_word(), None);
        r.extend([
            Check::fail(CheckKind::Expiry, "old"),
            Check::fail(CheckKind::Nonce, "x"),
        ]);
        assert!(!r.is_valid());
        assert_eq!(r.first_failure().map(|c| c.kind), Some(CheckKind::Expiry));
        assert_eq!(r.failure_word(), Some("expired"));
        assert_eq!(
            r.get(CheckKind::Nonce).map(|c| c.outcome.status()),
            Some("fail")
        );
    }
}
