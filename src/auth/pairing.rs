//! Pairs the hosted UI's answer with the sign-in this tab started: the
//! `state` must match the pending one, and the answer must be of the flow
//! that sign-in chose. Only then does anything in the answer count, the
//! IdP's error text included: a link to `/callback?error=…` from anywhere
//! must not put its words in this trusted page.

use super::callback::CallbackParams;
use super::error::AuthError;
use super::pending::{check_state, PendingSignIn, StateError};
use super::secret::Secret;
use crate::config::Flow;

/// An answer that belongs to this tab's pending sign-in.
#[derive(Debug)]
pub enum Paired {
    /// Code flow: the code and the verifier to redeem it with.
    Code {
        code: Secret,
        verifier: Secret,
        pending: PendingSignIn,
    },
    /// Implicit flow: the tokens from the fragment.
    Tokens {
        id_token: Secret,
        access_token: Secret,
        pending: PendingSignIn,
    },
}

/// The answer paired with `pending`, or why it does not pair.
pub fn pair(params: CallbackParams, pending: Option<PendingSignIn>) -> Result<Paired, AuthError> {
    match params {
        CallbackParams::IdpError {
            error,
            description,
            state,
        } => {
            // Only an answer to this tab's sign-in may show the IdP's words.
            if check_state(pending.as_ref(), state.as_deref()).is_err() {
                return Err(AuthError::ForeignIdpError);
            }
            Err(AuthError::Idp { error, description })
        }
        CallbackParams::Code { code, state } => {
            let pending = claim(pending, state.as_deref())?;
            match (&pending.verifier, pending.flow) {
                (Some(verifier), Flow::Code) => Ok(Paired::Code {
                    code,
                    verifier: verifier.clone(),
                    pending,
                }),
                _ => Err(AuthError::CodeForImplicit),
            }
        }
        CallbackParams::Tokens {
            id_token,
            access_token,
            state,
            ..
        } => {
            let pending = claim(pending, state.as_deref())?;
            if pending.flow != Flow::Implicit {
                return Err(AuthError::TokensForCode);
            }
            let id_token = id_token.ok_or(AuthError::NoIdTokenInFragment)?;
            Ok(Paired::Tokens {
                id_token,
                access_token,
                pending,
            })
        }
    }
}

/// The pending sign-in this answer belongs to, if its `state` matches.
fn claim(pending: Option<PendingSignIn>, state: Option<&str>) -> Result<PendingSignIn, AuthError> {
    check_state(pending.as_ref(), state)?;
    pending.ok_or(AuthError::State(StateError::NothingPending))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::callback::parse_callback;

    fn pending(flow: &str) -> PendingSignIn {
        PendingSignIn {
            flow: Flow::from_select_value(flow).unwrap(),
            state: Secret::new("s-123"),
            nonce: Secret::new("n"),
            verifier: (flow == "code").then(|| Secret::new("v")),
            return_to: "/profile".into(),
            early: None,
        }
    }

    fn pair_text(query: &str, pending: Option<PendingSignIn>) -> Result<Paired, String> {
        pair(parse_callback(query, "").unwrap(), pending).map_err(|e| e.to_string())
    }

    const SPOOF: &str =
        "error=access_denied&error_description=Call+%2B1-555-0100+to+restore+your+account";

    #[test]
    fn an_idp_error_of_this_tabs_sign_in_shows_its_words() {
        let error = pair_text(&format!("{SPOOF}&state=s-123"), Some(pending("code"))).unwrap_err();
        assert!(error.starts_with("access_denied: "), "{error}");
        assert!(error.contains("restore your account"), "{error}");
    }

    #[test]
    fn an_idp_error_without_a_matching_state_shows_a_fixed_message() {
        for (query, pending) in [
            (format!("{SPOOF}&state=forged"), Some(pending("code"))),
            (SPOOF.to_owned(), Some(pending("code"))),
            (format!("{SPOOF}&state=s-123"), None),
        ] {
            let error = pair_text(&query, pending).unwrap_err();
            assert!(error.starts_with("state: "), "{error}");
            assert!(!error.contains("restore your account"), "{error}");
            assert!(!error.contains("access_denied"), "{error}");
        }
    }

    #[test]
    fn a_code_pairs_only_with_a_code_sign_in() {
        assert!(matches!(
            pair_text("code=c&state=s-123", Some(pending("code"))),
            Ok(Paired::Code { .. })
        ));
        let error = pair_text("code=c&state=s-123", Some(pending("implicit"))).unwrap_err();
        assert!(error.starts_with("state: "), "{error}");
        let error = pair_text("code=c&state=other", Some(pending("code"))).unwrap_err();
        assert!(error.starts_with("state: "), "{error}");
    }

    #[test]
    fn tokens_pair_only_with_an_implicit_sign_in() {
        let fragment = "id_token=i&access_token=a&state=s-123";
        assert!(matches!(
            pair(
                parse_callback("", fragment).unwrap(),
                Some(pending("implicit"))
            ),
            Ok(Paired::Tokens { .. })
        ));
        let error = pair(parse_callback("", fragment).unwrap(), Some(pending("code")))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("state: "), "{error}");
    }
}
