//! What the trace keeps of a secret (docs/contract.md, section 6): the
//! code, the PKCE verifier, `state` and `nonce` show their first 4
//! characters; a JWT shows its header and payload, not its signature; a
//! refresh token is never shown. Everything is masked before it is stored.

use serde_json::Value;

/// The placeholder a replayed request puts for a secret, by its name.
pub const ID_TOKEN: &str = "ID_TOKEN";
pub const ACCESS_TOKEN: &str = "ACCESS_TOKEN";
pub const REFRESH_TOKEN: &str = "REFRESH_TOKEN";
pub const CODE: &str = "CODE";
pub const CODE_VERIFIER: &str = "CODE_VERIFIER";

/// The shown form of parameter (or JSON member) `name`, and the
/// placeholder a replay uses for it, if it is a secret to replay.
pub fn param(name: &str, value: &str) -> (String, Option<&'static str>) {
    match name {
        "code" => (first_four(value), Some(CODE)),
        "code_verifier" => (first_four(value), Some(CODE_VERIFIER)),
        "state" | "nonce" => (first_four(value), None),
        // `token` is what /oauth2/revoke is sent: the refresh token.
        "refresh_token" | "token" => (NEVER_SHOWN.to_owned(), Some(REFRESH_TOKEN)),
        "id_token" => (jwt(value), Some(ID_TOKEN)),
        "access_token" => (jwt(value), Some(ACCESS_TOKEN)),
        _ => (value.to_owned(), None),
    }
}

pub const NEVER_SHOWN: &str = "[a refresh token is never shown]";

pub fn first_four(value: &str) -> String {
    let head: String = value.chars().take(4).collect();
    format!("{head}…")
}

/// `header.payload.` and no signature; anything that is not three
/// dot-separated parts shows only its first 4 characters.
pub fn jwt(value: &str) -> String {
    let parts: Vec<&str> = value.split('.').collect();
    match parts[..] {
        [header, payload, _] => format!("{header}.{payload}.[signature hidden]"),
        _ => first_four(value),
    }
}

/// An answer's body: each member of a JSON object masked by its name
/// (a token response's tokens), pretty-printed; other text as it came.
pub fn body(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut map)) => {
            for (name, value) in map.iter_mut() {
                if let Value::String(text) = value {
                    *text = param(name, text).0;
                }
            }
            serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default()
        }
        Ok(other) => serde_json::to_string_pretty(&other).unwrap_or_default(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlLXNlY3JldA";

    #[test]
    fn one_time_secrets_show_their_first_four_characters() {
        for name in ["code", "code_verifier", "state", "nonce"] {
            assert_eq!(param(name, "abcdefghijkl").0, "abcd…", "{name}");
        }
        assert_eq!(param("code", "ab").0, "ab…");
        assert_eq!(param("code", "x").1, Some(CODE));
        assert_eq!(param("code_verifier", "x").1, Some(CODE_VERIFIER));
        assert_eq!(param("state", "x").1, None);
    }

    #[test]
    fn a_jwt_keeps_header_and_payload_and_loses_its_signature() {
        let (shown, replay) = param("id_token", JWT);
        assert_eq!(
            shown,
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.[signature hidden]"
        );
        assert!(!shown.contains("c2lnbmF0dXJl"));
        assert_eq!(replay, Some(ID_TOKEN));
        assert_eq!(param("access_token", JWT).1, Some(ACCESS_TOKEN));
        assert_eq!(jwt("opaque-token-value"), "opaq…");
    }

    #[test]
    fn a_refresh_token_is_never_shown() {
        for name in ["refresh_token", "token"] {
            let (shown, replay) = param(name, "eyJjdHkiOiJKV1QiLCJlbmMiOiJB.x.y.z.w");
            assert_eq!(shown, NEVER_SHOWN);
            assert_eq!(replay, Some(REFRESH_TOKEN));
        }
    }

    #[test]
    fn other_parameters_show_as_they_are() {
        assert_eq!(
            param("scope", "openid email"),
            ("openid email".into(), None)
        );
    }

    #[test]
    fn a_token_response_body_is_masked_member_by_member() {
        let body = body(&format!(
            r#"{{"id_token":"{JWT}","access_token":"{JWT}","refresh_token":"secret-refresh","expires_in":3600,"token_type":"Bearer"}}"#
        ));
        assert!(!body.contains(JWT), "{body}");
        assert!(!body.contains("secret-refresh"), "{body}");
        assert!(body.contains("[signature hidden]"), "{body}");
        assert!(body.contains("\"expires_in\": 3600"), "{body}");
        assert_eq!(super::body("not json"), "not json");
    }
}
