//! `GET /oauth2/userInfo`: what its answer means, and the one check that
//! matters: the `sub` must be the ID token's `sub` (OIDC Core 5.3.2), or
//! the attributes may belong to someone else.

use serde_json::Value;

/// What the panel shows after a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserInfo {
    /// The attributes, `sub` first, values as text.
    Accepted(Vec<(String, String)>),
    /// An answer the app refuses to show as the user's.
    Rejected(String),
    /// The endpoint refused, or could not be reached.
    Failed(String),
}

impl UserInfo {
    /// The panel's `data-status`.
    pub fn status(&self) -> &'static str {
        match self {
            UserInfo::Accepted(_) => "ok",
            UserInfo::Rejected(_) => "rejected",
            UserInfo::Failed(_) => "error",
        }
    }
}

/// Reads a userInfo answer: `status` and `body` as received, `id_sub` the
/// verified ID token's `sub`.
pub fn read_answer(status: u16, body: &str, id_sub: &str) -> UserInfo {
    match status {
        200 => {}
        400 => return UserInfo::Failed("HTTP 400 invalid_request: the endpoint found no usable bearer token in the request.".into()),
        401 => return UserInfo::Failed("HTTP 401 invalid_token: the access token is expired, was revoked (sign-out revokes it), or lacks the openid scope.".into()),
        other => return UserInfo::Failed(format!("HTTP {other}: the userInfo endpoint did not answer with the user's attributes.")),
    }
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) else {
        return UserInfo::Rejected(
            "The answer is not a JSON object, so it is not a userInfo response.".into(),
        );
    };
    match map.get("sub").and_then(Value::as_str) {
        None => {
            return UserInfo::Rejected(
                "The answer has no sub, so it cannot be tied to the signed-in user: rejected."
                    .into(),
            )
        }
        Some(sub) if sub != id_sub => {
            return UserInfo::Rejected(format!(
                "The answer's sub ({sub}) differs from the ID token's sub ({id_sub}): these attributes are someone else's, so they are rejected and not shown."
            ))
        }
        Some(_) => {}
    }
    let mut rows: Vec<(String, String)> = map
        .iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect();
    rows.sort_by_key(|(k, _)| (k != "sub", k.clone()));
    UserInfo::Accepted(rows)
}

/// A fetch that failed before any answer: the browser hides why.
pub fn network_failure(endpoint: &str) -> UserInfo {
    UserInfo::Failed(format!(
        "The browser could not read an answer from {endpoint}. Either the domain is unreachable, or the answer (or its CORS preflight: the Authorization header forces one) came without Access-Control-Allow-Origin, so the browser hid it. Cognito does not document CORS for userInfo; the ID token's claims carry the same attributes."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";

    #[test]
    fn the_same_sub_shows_the_attributes_sub_first() {
        let body = format!(r#"{{"email":"d@example.com","sub":"{SUB}","email_verified":"true"}}"#);
        let UserInfo::Accepted(rows) = read_answer(200, &body, SUB) else {
            panic!("accepted")
        };
        assert_eq!(rows[0], ("sub".to_owned(), SUB.to_owned()));
        assert_eq!(rows.len(), 3);
        assert_eq!(read_answer(200, &body, SUB).status(), "ok");
    }

    #[test]
    fn another_sub_is_rejected() {
        let body = r#"{"sub":"00000000-0000-4000-8000-000000000000","email":"x@example.com"}"#;
        let answer = read_answer(200, body, SUB);
        assert_eq!(answer.status(), "rejected");
        let UserInfo::Rejected(text) = answer else {
            unreachable!()
        };
        assert!(text.contains("differs from the ID token's sub"), "{text}");
        assert!(
            !text.contains("x@example.com"),
            "rejected attributes are not shown"
        );
    }

    #[test]
    fn no_sub_or_no_json_is_rejected() {
        assert_eq!(
            read_answer(200, r#"{"email":"x"}"#, SUB).status(),
            "rejected"
        );
        assert_eq!(read_answer(200, "<html>", SUB).status(), "rejected");
        assert_eq!(read_answer(200, "[1]", SUB).status(), "rejected");
    }

    #[test]
    fn error_statuses_are_explained() {
        for (status, word) in [
            (400, "invalid_request"),
            (401, "invalid_token"),
            (500, "HTTP 500"),
        ] {
            let answer = read_answer(status, "", SUB);
            assert_eq!(answer.status(), "error");
            let UserInfo::Failed(text) = answer else {
                unreachable!()
            };
            assert!(text.contains(word), "{text}");
        }
        let UserInfo::Failed(text) = network_failure("https://d/oauth2/userInfo") else {
            unreachable!()
        };
        assert!(text.contains("CORS"));
    }
}
