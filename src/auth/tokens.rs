//! The token set of a session, and the token endpoint's answers.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::AuthError;
use super::secret::Secret;
use crate::config::Flow;

/// The tokens of one signed-in session. `Debug` shows no token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSet {
    pub id_token: Secret,
    pub access_token: Secret,
    /// Code flow only; implicit sign-in gets none.
    pub refresh_token: Option<Secret>,
    /// How the session began.
    pub flow: Flow,
}

/// A 200 from `POST /oauth2/token`.
#[derive(Debug)]
pub struct TokenResponse {
    pub access_token: Secret,
    pub id_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    pub token_type: Option<String>,
    pub expires_in: Option<i64>,
}

/// A 4xx from the token endpoint: Cognito's `{"error": "..."}`.
#[derive(Debug)]
pub struct TokenErrorResponse {
    pub error: String,
    pub error_description: Option<String>,
}

// Both answers are read through `serde_json::Value`, whose code the wasm
// has anyway: a derived `Deserialize` costs it about a kilobyte per struct.
// The rules are the derive's: an optional member may be absent or null, any
// other type is an error.

fn object(body: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(body).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// `Some(None)` absent or null, `Some(Some(text))` a string, `None` otherwise.
fn optional_text(map: &Map<String, Value>, name: &str) -> Option<Option<String>> {
    match map.get(name) {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) => Some(Some(text.clone())),
        Some(_) => None,
    }
}

impl TokenResponse {
    pub fn parse(body: &str) -> Option<TokenResponse> {
        let map = object(body)?;
        let secret = |name| optional_text(&map, name).map(|t| t.map(Secret::new));
        Some(TokenResponse {
            access_token: secret("access_token")??,
            id_token: secret("id_token")?,
            refresh_token: secret("refresh_token")?,
            token_type: optional_text(&map, "token_type")?,
            expires_in: match map.get("expires_in") {
                None | Some(Value::Null) => None,
                Some(number) => Some(number.as_i64()?),
            },
        })
    }
}

impl TokenErrorResponse {
    pub fn parse(body: &str) -> Option<TokenErrorResponse> {
        let map = object(body)?;
        Some(TokenErrorResponse {
            error: optional_text(&map, "error")??,
            error_description: optional_text(&map, "error_description")?,
        })
    }
}

/// The OAuth endpoint an error answer came from; its name starts the
/// `auth-error` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Token,
    Revocation,
}

impl Endpoint {
    fn name(self) -> &'static str {
        match self {
            Endpoint::Token => "token endpoint",
            Endpoint::Revocation => "revocation endpoint",
        }
    }
}

/// The `auth-error` text for an error answer of `endpoint`: Cognito's
/// `error` (with its description), and a hint for the usual causes.
pub fn endpoint_error(endpoint: Endpoint, status: u16, body: &str) -> String {
    let name = endpoint.name();
    match TokenErrorResponse::parse(body) {
        Some(error) => {
            let hint = match error.error.as_str() {
                "invalid_grant" => " (the code or refresh token was already used, expired or revoked, or the PKCE verifier does not match its challenge)",
                "invalid_client" => " (check clientId: it must be a public app client of this pool)",
                "unauthorized_client" => " (this grant is not enabled on the app client)",
                _ => "",
            };
            let description = error
                .error_description
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            format!("{name}: {}{description}{hint}", error.error)
        }
        None => format!("{name}: HTTP {status} without a Cognito error body"),
    }
}

/// The ID token of a usable token endpoint answer, or why the answer is not
/// usable; the text starts with the contract's word for it.
pub fn check_token_response(response: &TokenResponse) -> Result<Secret, AuthError> {
    if let Some(kind) = &response.token_type {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::NotBearer(kind.clone()));
        }
    }
    response.id_token.clone().ok_or(AuthError::NoIdToken)
}

/// A refreshed session must be the same user: the new ID token's `sub`
/// equals the session's. A pool never changes it, so a different one means
/// the answer belongs to someone else's session.
pub fn same_user(session_sub: Option<&str>, refreshed_sub: Option<&str>) -> Result<(), AuthError> {
    match (session_sub, refreshed_sub) {
        (Some(before), Some(after)) if !before.is_empty() && before == after => Ok(()),
        _ => Err(AuthError::OtherUser),
    }
}

impl TokenSet {
    /// The set after a refresh (a usable answer: see
    /// [`check_token_response`]): new ID and access tokens, and the new
    /// refresh token only when the pool rotates them (without rotation
    /// Cognito sends none, and the old one stays valid).
    pub fn refreshed(&self, response: TokenResponse) -> Result<TokenSet, AuthError> {
        // The same checks as at sign-in: Bearer, and an ID token.
        let id_token = check_token_response(&response)?;
        Ok(TokenSet {
            id_token,
            access_token: response.access_token,
            refresh_token: response
                .refresh_token
                .or_else(|| self.refresh_token.clone()),
            flow: self.flow,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> TokenSet {
        TokenSet {
            id_token: Secret::new("id-1"),
            access_token: Secret::new("access-1"),
            refresh_token: Some(Secret::new("refresh-1")),
            flow: Flow::Code,
        }
    }

    fn response(json: &str) -> TokenResponse {
        TokenResponse::parse(json).unwrap()
    }

    #[test]
    fn answers_parse_like_the_json_they_are() {
        let full = response(
            r#"{"access_token":"a","id_token":"i","refresh_token":"r","token_type":"Bearer","expires_in":3600}"#,
        );
        assert_eq!(full.refresh_token.unwrap().expose(), "r");
        assert_eq!(full.expires_in, Some(3600));
        let sparse = response(r#"{"access_token":"a","id_token":null}"#);
        assert!(sparse.id_token.is_none() && sparse.expires_in.is_none());
        for bad in [
            "",
            "[]",
            r#"{"id_token":"i"}"#,
            r#"{"access_token":7}"#,
            r#"{"access_token":"a","expires_in":"soon"}"#,
            r#"{"access_token":"a","refresh_token":{}}"#,
        ] {
            assert!(TokenResponse::parse(bad).is_none(), "{bad}");
        }
        let error = TokenErrorResponse::parse(r#"{"error":"invalid_grant"}"#).unwrap();
        assert_eq!(error.error, "invalid_grant");
        assert!(error.error_description.is_none());
        assert!(TokenErrorResponse::parse(r#"{"message":"Unauthorized"}"#).is_none());
    }

    #[test]
    fn refresh_without_rotation_keeps_the_old_refresh_token() {
        let new = set()
            .refreshed(response(r#"{"access_token":"access-2","id_token":"id-2","token_type":"Bearer","expires_in":3600}"#))
            .unwrap();
        assert_eq!(new.access_token.expose(), "access-2");
        assert_eq!(new.id_token.expose(), "id-2");
        assert_eq!(new.refresh_token.unwrap().expose(), "refresh-1");
    }

    #[test]
    fn refresh_with_rotation_takes_the_new_refresh_token() {
        let new = set()
            .refreshed(response(
                r#"{"access_token":"a2","id_token":"i2","refresh_token":"refresh-2"}"#,
            ))
            .unwrap();
        assert_eq!(new.refresh_token.unwrap().expose(), "refresh-2");
    }

    #[test]
    fn refresh_without_id_token_is_refused() {
        assert!(set()
            .refreshed(response(r#"{"access_token":"a2"}"#))
            .is_err());
    }

    #[test]
    fn refresh_with_another_token_type_is_refused() {
        let error = set()
            .refreshed(response(
                r#"{"access_token":"a2","id_token":"i2","token_type":"mac"}"#,
            ))
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("token endpoint: token_type"), "{error}");
        assert!(set()
            .refreshed(response(
                r#"{"access_token":"a2","id_token":"i2","token_type":"bearer"}"#
            ))
            .is_ok());
    }

    #[test]
    fn a_refreshed_session_is_the_same_user() {
        assert_eq!(same_user(Some("u-1"), Some("u-1")), Ok(()));
        for (before, after) in [
            (Some("u-1"), Some("u-2")),
            (Some("u-1"), None),
            (None, Some("u-1")),
            (None, None),
            (Some(""), Some("")),
        ] {
            let error = same_user(before, after).unwrap_err().to_string();
            assert!(error.starts_with("sub: "), "{error}");
        }
    }

    #[test]
    fn token_response_checks() {
        assert!(check_token_response(&response(
            r#"{"access_token":"a","id_token":"i","token_type":"Bearer"}"#
        ))
        .is_ok());
        let no_id = check_token_response(&response(r#"{"access_token":"a"}"#)).unwrap_err();
        assert!(no_id.to_string().starts_with("token endpoint"));
        let wrong_type = check_token_response(&response(
            r#"{"access_token":"a","id_token":"i","token_type":"mac"}"#,
        ));
        assert!(wrong_type.unwrap_err().to_string().contains("token_type"));
    }

    #[test]
    fn a_stored_set_reads_back_and_a_corrupt_flow_is_an_error() {
        let stored = serde_json::to_string(&set()).unwrap();
        assert!(stored.contains(r#""flow":"code""#), "{stored}");
        let back: TokenSet = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, set());
        let corrupt = stored.replace(r#""flow":"code""#, r#""flow":"kode""#);
        let error = serde_json::from_str::<TokenSet>(&corrupt).unwrap_err();
        assert!(
            error.to_string().contains("neither code nor implicit"),
            "{error}"
        );
        let implicit = stored.replace(r#""flow":"code""#, r#""flow":"implicit""#);
        assert_eq!(
            serde_json::from_str::<TokenSet>(&implicit).unwrap().flow,
            Flow::Implicit
        );
    }

    #[test]
    fn endpoint_errors_name_the_endpoint_the_error_and_a_hint() {
        let text = endpoint_error(
            Endpoint::Token,
            400,
            r#"{"error":"invalid_grant","error_description":"Invalid code"}"#,
        );
        assert!(
            text.starts_with("token endpoint: invalid_grant: Invalid code ("),
            "{text}"
        );
        assert!(text.contains("PKCE verifier"), "{text}");
        let client = endpoint_error(Endpoint::Token, 400, r#"{"error":"invalid_client"}"#);
        assert!(
            client.starts_with("token endpoint: invalid_client (check clientId"),
            "{client}"
        );
        let grant = endpoint_error(Endpoint::Token, 400, r#"{"error":"unauthorized_client"}"#);
        assert!(
            grant.ends_with("(this grant is not enabled on the app client)"),
            "{grant}"
        );
        assert_eq!(
            endpoint_error(Endpoint::Token, 400, r#"{"error":"slow_down"}"#),
            "token endpoint: slow_down"
        );
        assert_eq!(
            endpoint_error(Endpoint::Revocation, 503, "<html>busy</html>"),
            "revocation endpoint: HTTP 503 without a Cognito error body"
        );
        let revoke = endpoint_error(
            Endpoint::Revocation,
            400,
            r#"{"error":"unsupported_token_type","error_description":"token endpoint said no"}"#,
        );
        assert_eq!(
            revoke,
            "revocation endpoint: unsupported_token_type: token endpoint said no"
        );
    }

    #[test]
    fn debug_shows_no_token() {
        let debug = format!("{:?}", set());
        assert!(
            !debug.contains("id-1") && !debug.contains("access-1") && !debug.contains("refresh-1"),
            "{debug}"
        );
    }
}
