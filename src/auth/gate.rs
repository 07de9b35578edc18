//! The one gate a session passes: both reports valid, which requires that
//! nothing failed AND that a signature check positively passed
//! ([`Report::is_valid`]). "No failed check" alone would let a report whose
//! signature was skipped start a session.

use cognito_jwt::{CheckKind, Report};

use super::error::AuthError;

/// `Ok` when both tokens may start a session; otherwise the first failed
/// check (`word: reason (which token)`).
pub fn session_gate(id: &Report, access: &Report) -> Result<(), AuthError> {
    for (report, which) in [(id, "ID token"), (access, "access token")] {
        if report.is_valid() {
            continue;
        }
        return Err(match report.first_failure() {
            Some(check) => AuthError::Check {
                word: check.kind.word(),
                reason: check.outcome.reason().to_owned(),
                token: which,
            },
            None => AuthError::Check {
                word: CheckKind::Signature.word(),
                reason: "no signature check passed".to_owned(),
                token: which,
            },
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
            session_gate(&valid(), &expired).map_err(|e| e.to_string()),
            Err("expired: exp is past (access token)".into())
        );
    }

    #[test]
    fn a_skipped_signature_starts_no_session() {
        let unsigned = report(vec![
            Check::skipped(CheckKind::Signature, "not checked"),
            Check::pass(CheckKind::Issuer, "ok"),
        ]);
        let error = session_gate(&unsigned, &valid()).unwrap_err().to_string();
        assert!(error.starts_with("signature: "), "{error}");
        assert!(error.ends_with("(ID token)"), "{error}");
        assert!(session_gate(&valid(), &Report::new()).is_err());
    }
}
