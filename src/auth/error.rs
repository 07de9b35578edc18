//! Why a sign-in, refresh or sign-out did not go through.
//!
//! `Display` writes the `auth-error` text of docs/contract.md: it starts
//! with the contract's word for the failed check (`state`, `signature`,
//! `token endpoint`, …). No variant holds a token, code or verifier, so
//! neither `Display` nor `Debug` can show one; the texts a variant holds
//! are Cognito's error answers, check reasons and browser errors.

use std::fmt;

use super::callback::CallbackParseError;
use super::pending::StateError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// The callback address is not a sign-in response.
    Callback(CallbackParseError),
    /// The answer's `state` does not pair it with this tab's sign-in.
    State(StateError),
    /// An IdP error answer to this tab's sign-in: Cognito's `error` and
    /// `error_description`.
    Idp {
        error: String,
        description: Option<String>,
    },
    /// An IdP error answer to no sign-in of this tab: anyone could have
    /// written its text, so none of it is kept.
    ForeignIdpError,
    /// A code came back to an implicit sign-in.
    CodeForImplicit,
    /// Tokens came back in the fragment to a code sign-in.
    TokensForCode,
    /// The implicit answer carries no ID token.
    NoIdTokenInFragment,
    /// The token endpoint could not be reached (the browser's reason).
    TokenEndpointUnreachable(String),
    /// The revocation endpoint could not be reached (the browser's reason).
    RevocationUnreachable(String),
    /// An OAuth endpoint refused: its name, Cognito's error and a hint.
    Refused(String),
    /// A 200 from the token endpoint that is not a token response.
    NotATokenResponse,
    /// A token response whose `token_type` is not Bearer.
    NotBearer(String),
    /// A token response without an ID token.
    NoIdToken,
    /// A token failed a check: the check's word, its reason and which token.
    Check {
        word: &'static str,
        reason: String,
        token: &'static str,
    },
    /// A token that is not a JWT at all (`token` names which one).
    NotAJwt { token: &'static str },
    /// A refresh answered with another user's tokens.
    OtherUser,
    /// Sign-out began while a sign-in completed.
    SignOutBegan,
    /// Refresh without a session.
    NotSignedIn,
    /// Refresh while one runs already.
    RefreshRunning,
    /// The session ended while the refresh ran.
    SessionEnded,
    /// Refresh of an implicit sign-in, which has no refresh token.
    NoRefreshToken,
    /// The browser could not give randomness or storage.
    Browser(String),
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthError::Callback(error) => write!(f, "callback: {error}"),
            AuthError::State(error) => write!(f, "{error}"),
            AuthError::Idp { error, description } => write!(
                f,
                "{error}: {}",
                description
                    .as_deref()
                    .unwrap_or("the hosted UI reported an error")
            ),
            AuthError::ForeignIdpError => f.write_str(
                "state: this error answer belongs to no sign-in of this tab, so its text is not shown",
            ),
            AuthError::CodeForImplicit => {
                f.write_str("state: a code arrived, but this tab started an implicit sign-in")
            }
            AuthError::TokensForCode => f.write_str(
                "state: tokens arrived in the fragment, but this tab started a code sign-in",
            ),
            AuthError::NoIdTokenInFragment => f.write_str(
                "token endpoint: the response has no id_token (is `openid` among the requested scopes?)",
            ),
            AuthError::TokenEndpointUnreachable(reason) => write!(f, "token endpoint: {reason}"),
            AuthError::RevocationUnreachable(reason) => f.write_str(reason),
            AuthError::Refused(text) => f.write_str(text),
            AuthError::NotATokenResponse => f.write_str(
                "token endpoint: the answer is not the expected JSON (access_token, id_token, ...)",
            ),
            AuthError::NotBearer(kind) => {
                write!(f, "token endpoint: token_type is {kind:?}, expected Bearer")
            }
            AuthError::NoIdToken => f.write_str(
                "token endpoint: the answer has no id_token (is `openid` among the app client's allowed scopes?)",
            ),
            AuthError::Check {
                word,
                reason,
                token,
            } => write!(f, "{word}: {reason} ({token})"),
            AuthError::NotAJwt { token } => {
                write!(f, "signature: the {token} is not a well-formed JWT")
            }
            AuthError::OtherUser => f.write_str("sub: the refreshed ID token is another user's"),
            AuthError::SignOutBegan => f.write_str("state: sign-out began meanwhile"),
            AuthError::NotSignedIn => f.write_str("not signed in"),
            AuthError::RefreshRunning => f.write_str("a refresh is already running"),
            AuthError::SessionEnded => f.write_str("the session ended while the refresh ran"),
            AuthError::NoRefreshToken => {
                f.write_str("this session has no refresh token (implicit sign-in)")
            }
            AuthError::Browser(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for AuthError {}

impl From<StateError> for AuthError {
    fn from(error: StateError) -> Self {
        AuthError::State(error)
    }
}

impl From<CallbackParseError> for AuthError {
    fn from(error: CallbackParseError) -> Self {
        AuthError::Callback(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_starts_with_its_contract_word() {
        let cases = [
            (AuthError::State(StateError::Mismatch), "state: "),
            (AuthError::ForeignIdpError, "state: "),
            (AuthError::CodeForImplicit, "state: "),
            (AuthError::NotATokenResponse, "token endpoint: "),
            (
                AuthError::NotBearer("mac".into()),
                "token endpoint: token_type is \"mac\"",
            ),
            (
                AuthError::NotAJwt { token: "ID token" },
                "signature: the ID token",
            ),
            (AuthError::OtherUser, "sub: "),
            (
                AuthError::Callback(CallbackParseError::Empty),
                "callback: this address",
            ),
        ];
        for (error, start) in cases {
            assert!(error.to_string().starts_with(start), "{error}");
        }
    }

    #[test]
    fn an_idp_error_without_description_says_so() {
        let error = |description: Option<&str>| AuthError::Idp {
            error: "access_denied".into(),
            description: description.map(str::to_owned),
        };
        assert_eq!(
            error(None).to_string(),
            "access_denied: the hosted UI reported an error"
        );
        assert_eq!(
            error(Some("User is disabled.")).to_string(),
            "access_denied: User is disabled."
        );
    }

    #[test]
    fn a_failed_check_names_the_token() {
        let error = AuthError::Check {
            word: "expired",
            reason: "exp is past".into(),
            token: "access token",
        };
        assert_eq!(error.to_string(), "expired: exp is past (access token)");
    }
}
