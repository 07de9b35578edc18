//! Reading the hosted UI's answer from the `/callback` address: the code in
//! the query (code flow), the tokens in the fragment (implicit), or an IdP
//! error in either (Cognito documents the query even for implicit).

use super::secret::Secret;

#[derive(Debug, PartialEq, Eq)]
pub enum CallbackParams {
    /// `error` and `error_description`, from the query or the fragment.
    IdpError {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
    Code {
        code: Secret,
        state: Option<String>,
    },
    Tokens {
        id_token: Option<Secret>,
        access_token: Secret,
        expires_in: Option<i64>,
        state: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackParseError {
    /// Nothing that looks like a sign-in response.
    Empty,
    /// A parameter given twice: ambiguous, so refused.
    Repeated(String),
    /// A code and tokens at once, or tokens of the wrong type.
    Malformed(String),
}

impl std::fmt::Display for CallbackParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallbackParseError::Empty => f.write_str(
                "this address holds no sign-in response (no code, tokens or error); start sign-in from the home page",
            ),
            CallbackParseError::Repeated(name) => {
                write!(f, "the sign-in response repeats the parameter `{name}`")
            }
            CallbackParseError::Malformed(why) => write!(f, "the sign-in response is malformed: {why}"),
        }
    }
}

/// Parses the query (without `?`) and fragment (without `#`) of the
/// callback address.
pub fn parse_callback(query: &str, fragment: &str) -> Result<CallbackParams, CallbackParseError> {
    let query = params(query)?;
    let fragment = params(fragment)?;
    let get = |name: &str| query.get(name).or_else(|| fragment.get(name)).cloned();

    if let Some(error) = get("error") {
        return Ok(CallbackParams::IdpError {
            error,
            description: get("error_description"),
            state: get("state"),
        });
    }
    if fragment.contains_key("code") {
        // Cognito puts the code in the query only; one in the fragment did
        // not come from it.
        return Err(CallbackParseError::Malformed(
            "it carries a code in the fragment (Cognito sends it in the query)".into(),
        ));
    }
    let code = query.get("code");
    let access_token = fragment.get("access_token");
    match (code, access_token) {
        (Some(_), Some(_)) => Err(CallbackParseError::Malformed(
            "it carries both a code and tokens".into(),
        )),
        (Some(code), None) => Ok(CallbackParams::Code {
            code: Secret::new(code.clone()),
            state: get("state"),
        }),
        (None, Some(access_token)) => {
            if let Some(kind) = fragment.get("token_type") {
                if !kind.eq_ignore_ascii_case("bearer") {
                    return Err(CallbackParseError::Malformed(format!(
                        "token_type is {kind:?}, expected Bearer"
                    )));
                }
            }
            let expires_in = match fragment.get("expires_in") {
                None => None,
                Some(text) => Some(text.parse::<i64>().map_err(|_| {
                    CallbackParseError::Malformed(format!("expires_in {text:?} is not a number"))
                })?),
            };
            Ok(CallbackParams::Tokens {
                id_token: fragment.get("id_token").cloned().map(Secret::new),
                access_token: Secret::new(access_token.clone()),
                expires_in,
                state: get("state"),
            })
        }
        (None, None) if fragment.contains_key("id_token") => Err(CallbackParseError::Malformed(
            "it carries an id_token without an access_token".into(),
        )),
        (None, None) => Err(CallbackParseError::Empty),
    }
}

/// The parameters of a query or fragment, each name once. A list, not a
/// hash map: a callback has a handful, and the app links no hash map of
/// its own for them (hashbrown's code for `String` keys was 2 KB of wasm).
struct Params(Vec<(String, String)>);

impl Params {
    fn get(&self, name: &str) -> Option<&String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

fn params(text: &str) -> Result<Params, CallbackParseError> {
    let mut params = Params(Vec::new());
    for (name, value) in form_urlencoded::parse(text.as_bytes()) {
        if name.is_empty() {
            continue;
        }
        if params.contains_key(&name) {
            return Err(CallbackParseError::Repeated(name.into_owned()));
        }
        params.0.push((name.into_owned(), value.into_owned()));
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_in_the_query() {
        assert_eq!(
            parse_callback("code=abc&state=s1", ""),
            Ok(CallbackParams::Code {
                code: Secret::new("abc"),
                state: Some("s1".into())
            })
        );
    }

    #[test]
    fn a_code_counts_only_in_the_query() {
        // Cognito sends the code in the query, never in the fragment.
        assert!(matches!(
            parse_callback("", "code=abc&state=s1"),
            Err(CallbackParseError::Malformed(_))
        ));
        assert!(matches!(
            parse_callback("state=s1", "code=abc"),
            Err(CallbackParseError::Malformed(_))
        ));
    }

    #[test]
    fn tokens_in_the_fragment() {
        let parsed = parse_callback(
            "",
            "id_token=i.d.t&access_token=a.c.c&token_type=Bearer&expires_in=3600&state=s2",
        );
        assert_eq!(
            parsed,
            Ok(CallbackParams::Tokens {
                id_token: Some(Secret::new("i.d.t")),
                access_token: Secret::new("a.c.c"),
                expires_in: Some(3600),
                state: Some("s2".into()),
            })
        );
    }

    #[test]
    fn token_type_is_case_insensitive_but_must_be_bearer() {
        assert!(parse_callback("", "access_token=a&token_type=bearer&state=s").is_ok());
        assert!(matches!(
            parse_callback("", "access_token=a&token_type=mac&state=s"),
            Err(CallbackParseError::Malformed(_))
        ));
    }

    #[test]
    fn idp_error_in_query_or_fragment() {
        let expected = CallbackParams::IdpError {
            error: "access_denied".into(),
            description: Some("User cancelled login".into()),
            state: Some("s".into()),
        };
        assert_eq!(
            parse_callback(
                "error=access_denied&error_description=User+cancelled+login&state=s",
                ""
            ),
            Ok(expected)
        );
        assert!(matches!(
            parse_callback("", "error=invalid_scope&state=s"),
            Ok(CallbackParams::IdpError { error, description: None, .. }) if error == "invalid_scope"
        ));
    }

    #[test]
    fn error_wins_over_a_code() {
        assert!(matches!(
            parse_callback("code=abc&error=server_error", ""),
            Ok(CallbackParams::IdpError { .. })
        ));
    }

    #[test]
    fn junk_is_refused_with_a_reason() {
        assert_eq!(parse_callback("", ""), Err(CallbackParseError::Empty));
        assert_eq!(
            parse_callback("foo=bar", "baz"),
            Err(CallbackParseError::Empty)
        );
        assert_eq!(
            parse_callback("code=a&code=b", ""),
            Err(CallbackParseError::Repeated("code".into()))
        );
        assert!(matches!(
            parse_callback("code=a", "access_token=t"),
            Err(CallbackParseError::Malformed(_))
        ));
        assert!(matches!(
            parse_callback("", "id_token=only"),
            Err(CallbackParseError::Malformed(_))
        ));
        assert!(matches!(
            parse_callback("", "access_token=t&expires_in=soon"),
            Err(CallbackParseError::Malformed(_))
        ));
        // Percent-garbage decodes leniently rather than panicking.
        assert!(parse_callback("code=%ZZ%&state=%", "").is_ok());
    }

    #[test]
    fn debug_redacts_code_and_tokens() {
        let parsed =
            parse_callback("", "access_token=secret.access&id_token=secret.id&state=s").unwrap();
        let debug = format!("{parsed:?}");
        assert!(!debug.contains("secret"), "{debug}");
    }
}
