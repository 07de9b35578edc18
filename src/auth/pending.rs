//! The secrets of one sign-in round trip (`state`, `nonce`, PKCE verifier),
//! kept in sessionStorage between leaving for the hosted UI and coming back,
//! then consumed: a second use of the same response finds nothing.

use serde::{Deserialize, Serialize};

use super::secret::Secret;
use super::token_client::PreparedExchange;
use crate::config::Flow;
use cognito_jwt::constant_time_eq;

/// Where the pending sign-in is kept (always sessionStorage: per tab).
pub const PENDING_KEY: &str = "cognito-spa.pending";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub flow: Flow,
    pub state: Secret,
    pub nonce: Secret,
    /// Only the code flow has one.
    pub verifier: Option<Secret>,
    /// The page to show after sign-in.
    pub return_to: String,
    /// What index.html may request on /callback before the wasm runs.
    /// `default`: a record from a version without it still completes.
    #[serde(default)]
    pub early: Option<EarlyRequests>,
}

/// The requests that complete this sign-in, prepared as it begins so that
/// index.html can send them as soon as /callback loads (src/web/early.js
/// reads these field names).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyRequests {
    /// The key set's address.
    pub keys: String,
    /// The code exchange (code flow).
    pub token: Option<PreparedExchange>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateError {
    /// No sign-in was started in this tab, or its response was already used.
    NothingPending,
    /// The response carries no `state`.
    Missing,
    /// The response's `state` is not the one this tab sent.
    Mismatch,
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StateError::NothingPending => "state: no sign-in is pending in this tab (the response was already used, or sign-in started elsewhere)",
            StateError::Missing => "state: the response carries no state parameter",
            StateError::Mismatch => "state: the response's state does not match the one this tab sent",
        })
    }
}

/// Checks the returned `state` against the pending sign-in.
pub fn check_state(
    pending: Option<&PendingSignIn>,
    returned: Option<&str>,
) -> Result<(), StateError> {
    let pending = pending.ok_or(StateError::NothingPending)?;
    let returned = returned.ok_or(StateError::Missing)?;
    if constant_time_eq(pending.state.expose(), returned) {
        Ok(())
    } else {
        Err(StateError::Mismatch)
    }
}

/// Where to go after sign-in: only a path of this app (never another
/// origin, never `//host`), and never back to `/callback`.
pub fn safe_return_to(path: &str) -> String {
    let is_local = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
    if is_local && !path.starts_with("/callback") {
        path.to_owned()
    } else {
        "/profile".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> PendingSignIn {
        PendingSignIn {
            flow: Flow::Code,
            state: Secret::new("s-123"),
            nonce: Secret::new("n"),
            verifier: Some(Secret::new("v")),
            return_to: "/profile".into(),
            early: Some(EarlyRequests {
                keys: "https://idp.example/.well-known/jwks.json".into(),
                token: Some(PreparedExchange {
                    url: "https://auth.example/oauth2/token".into(),
                    form: Secret::new("client_id=c&code_verifier=v-secret"),
                }),
            }),
        }
    }

    #[test]
    fn state_must_be_pending_present_and_equal() {
        let p = pending();
        assert_eq!(check_state(Some(&p), Some("s-123")), Ok(()));
        assert_eq!(
            check_state(None, Some("s-123")),
            Err(StateError::NothingPending)
        );
        assert_eq!(check_state(Some(&p), None), Err(StateError::Missing));
        assert_eq!(
            check_state(Some(&p), Some("s-124")),
            Err(StateError::Mismatch)
        );
        assert_eq!(check_state(Some(&p), Some("")), Err(StateError::Mismatch));
    }

    #[test]
    fn state_errors_start_with_the_contract_word() {
        for error in [
            StateError::NothingPending,
            StateError::Missing,
            StateError::Mismatch,
        ] {
            assert!(error.to_string().starts_with("state: "));
        }
    }

    #[test]
    fn return_to_stays_inside_the_app() {
        assert_eq!(safe_return_to("/profile"), "/profile");
        assert_eq!(safe_return_to("/profile?tab=id"), "/profile?tab=id");
        assert_eq!(safe_return_to("//evil.example/x"), "/profile");
        assert_eq!(safe_return_to("https://evil.example"), "/profile");
        assert_eq!(safe_return_to("/\\evil.example"), "/profile");
        assert_eq!(safe_return_to("/callback?code=x"), "/profile");
    }

    #[test]
    fn debug_hides_the_secrets() {
        let debug = format!("{:?}", pending());
        assert!(!debug.contains("s-123"), "{debug}");
        assert!(!debug.contains("v-secret"), "{debug}");
    }

    #[test]
    fn the_early_requests_are_stored_under_the_names_early_js_reads() {
        let stored: serde_json::Value = serde_json::to_value(pending()).unwrap();
        assert_eq!(stored["state"], "s-123");
        let early = &stored["early"];
        assert_eq!(early["keys"], "https://idp.example/.well-known/jwks.json");
        assert_eq!(early["token"]["url"], "https://auth.example/oauth2/token");
        assert_eq!(early["token"]["form"], "client_id=c&code_verifier=v-secret");
        let script = include_str!("../web/early.js");
        for read in [
            &format!("sessionStorage.getItem(\"{PENDING_KEY}\")"),
            "pending.early",
            "pending.state",
            "prepared.keys",
            "prepared.token.url",
            "prepared.token.form",
        ] {
            assert!(script.contains(read), "early.js no longer reads {read}");
        }
    }

    #[test]
    fn a_record_without_early_requests_still_reads() {
        let mut text = serde_json::to_value(pending()).unwrap();
        text.as_object_mut().unwrap().remove("early");
        let read: PendingSignIn = serde_json::from_value(text).unwrap();
        assert_eq!(read.early, None);
        assert_eq!(read.state, Secret::new("s-123"));
    }

    #[test]
    fn round_trips_through_json() {
        let text = serde_json::to_string(&pending()).unwrap();
        assert_eq!(
            serde_json::from_str::<PendingSignIn>(&text).unwrap(),
            pending()
        );
    }
}
