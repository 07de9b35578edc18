//! Signing out: stop the refresh timer, forget the stored session, revoke
//! the refresh token (for at most [`REVOKE_LIMIT_MS`]), then leave for the
//! hosted UI's `/logout`, which ends its session cookie too. In that order:
//! a refresh that answers during the revoke must find nothing to write back
//! to, and a revoke that hangs must not keep the tokens.

use leptos::task::spawn_local;

use super::error::AuthError;
use super::lifecycle::Lifecycle;
use super::notice::{Notice, NoticeKind};
use super::session::{Auth, SESSION_KEY};
use super::token_client::revoke;
use super::urls::logout_url;
use crate::trace;
use crate::web::page::navigate_away;
use crate::web::storage;
use crate::web::timers::within;

/// Sign-out waits this long for `/oauth2/revoke`, then leaves anyway: the
/// tokens are gone from storage already, and a hung request must not keep
/// the user from reaching `/logout`.
const REVOKE_LIMIT_MS: i32 = 4_000;

/// How the revocation went: none was needed (no refresh token), it ran out
/// of time, or it answered.
enum Revocation {
    NotNeeded,
    TimedOut,
    Answered(Result<(), AuthError>),
}

impl Auth {
    /// Signs out (see the module comment for the order); once per page.
    pub fn sign_out(&self) {
        if self.signing_out() {
            return;
        }
        let refresh_token = self
            .session()
            .and_then(|session| session.tokens.refresh_token.clone());
        self.update_lifecycle(Lifecycle::begin_sign_out);
        // The trace starts anew, and keeps only this sign-out's steps.
        trace::start_new(true);
        self.cancel_refresh();
        if let Some(area) = self.area() {
            storage::remove(area, SESSION_KEY);
        }
        let config = self.config();
        spawn_local(async move {
            let revocation = match refresh_token {
                Some(token) => match within(REVOKE_LIMIT_MS, revoke(&config, &token)).await {
                    Some(answer) => Revocation::Answered(answer),
                    None => {
                        trace::unanswered(
                            "No answer within 4 s: sign-out went on to the hosted UI's /logout without it.",
                        );
                        Revocation::TimedOut
                    }
                },
                None => Revocation::NotNeeded,
            };
            signed_out_notice(revocation).keep();
            let logout = logout_url(&config);
            trace::navigation("logout", &logout);
            navigate_away(&logout);
        });
    }
}

/// What the next page tells the user about the sign-out.
fn signed_out_notice(revocation: Revocation) -> Notice {
    match revocation {
        Revocation::NotNeeded => Notice::new(NoticeKind::Ok, "You are signed out."),
        Revocation::Answered(Ok(())) => Notice::new(
            NoticeKind::Ok,
            "You are signed out. The refresh token was revoked.",
        ),
        Revocation::Answered(Err(error)) => Notice::new(
            NoticeKind::Warn,
            format!("You are signed out, but revoking the refresh token failed ({error}); it stays valid until it expires."),
        ),
        Revocation::TimedOut => Notice::new(
            NoticeKind::Warn,
            "You are signed out, but the revocation endpoint did not answer in time; the refresh token may stay valid until it expires.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_revoked_or_absent_refresh_token_is_a_clean_sign_out() {
        assert_eq!(
            signed_out_notice(Revocation::NotNeeded).kind,
            NoticeKind::Ok
        );
        let revoked = signed_out_notice(Revocation::Answered(Ok(())));
        assert_eq!(revoked.kind, NoticeKind::Ok);
        assert!(revoked.text.contains("was revoked"), "{}", revoked.text);
        let late = signed_out_notice(Revocation::TimedOut);
        assert_eq!(late.kind, NoticeKind::Warn);
        assert!(
            late.text.contains("did not answer in time"),
            "{}",
            late.text
        );
    }

    #[test]
    fn a_failed_revocation_says_why_and_that_the_token_lives_on() {
        let failed = signed_out_notice(Revocation::Answered(Err(AuthError::Refused(
            "revocation endpoint: HTTP 500 without a Cognito error body".into(),
        ))));
        assert_eq!(failed.kind, NoticeKind::Warn);
        assert_eq!(
            failed.text,
            "You are signed out, but revoking the refresh token failed (revocation endpoint: HTTP 500 without a Cognito error body); it stays valid until it expires."
        );
    }
}
