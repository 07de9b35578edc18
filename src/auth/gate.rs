//! The one gate a session passes: both reports valid, which requires that
//! nothing failed AND that a signature check positively passed
//! ([`Report::is_valid`]). "No failed check" alone would let a report whose
//! signature was skipped start a session.

use cognito_jwt::{CheckKind, Report};

/// `Ok` when both tokens may start a session; otherwise the `auth-error`
/// text: `word: reason (which token)`.
pub fn session_gate(id: &Report, access: &Report) -> Result<(), String> {
    for (report, which) in [(id, "ID token"), (access, "access token")] {
        if report.is_valid() {
            continue;
        }
        return Err(match report.first_failure() {
            Some(check) => format!(
                "{}: {} ({which})",
                check.kind.word(),
                check.outcome.reason()
            ),
            None => format!(
                "{}: no signature check passed ({which})",
                CheckKind::Signature.word()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_jwt::Check;

    fn report(checks: Vec<Check>) -> Report {
        checks.into_iter().collect()
    }

    fn valid() -> Report {
        report(vec![
            Check::pass(CheckKind::Signature, "ok"),
            Check::pass(CheckKind::Issuer, "ok"),
        ])
    }

    #[test]
    fn two_valid_reports_pass() {
        assert_eq!(session_gate(&valid(), &valid()), Ok(()));
    }

    #[test]
    fn a_failed_check_is_named_with_its_word_and_token() {
        let expired = report(vec![
            Check::pass(CheckKind::Signature, "ok"),
            Check::fail(CheckKind::Expiry, "exp is past"),
        ]);
        assert_eq!(
            session_gate(&valid(), &expired),
            Err("expired: exp is past (access token)".into())
        );
    }

    #[test]
    fn a_skipped_signature_starts_no_session() {
        let unsigned = report(vec![
            Check::skipped(CheckKind::Signature, "not checked"),
            Check::pass(CheckKind::Issuer, "ok"),
        ]);
        let error = session_gate(&unsigned, &valid()).unwrap_err();
        assert!(error.starts_with("signature: "), "{error}");
        assert!(error.ends_with("(ID token)"), "{error}");
        assert!(session_gate(&valid(), &Report::new()).is_err());
    }
}
