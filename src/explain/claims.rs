//! Every claim of a token, rendered for people: times as dates with a
//! relative time, scopes and groups as lists, booleans as yes/no, known
//! strings as text and anything else as JSON. What each claim Cognito
//! puts in its tokens means is data, fetched when first needed
//! (`public/explain.json`, [`super::texts`]).

use serde_json::{Map, Value};

use super::time::claim_relative;

/// How one claim's value is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Seconds since the epoch; the page adds the local date.
    Time {
        epoch: i64,
        relative: String,
    },
    List(Vec<String>),
    /// "yes" or "no"; `from_string` when the value was the string "true"
    /// or "false" (as Cognito's userInfo sends `email_verified`).
    Bool {
        value: bool,
        from_string: bool,
    },
    Text(String),
    /// Compact JSON, for unknown claims and values of an unexpected type.
    Json(String),
}

impl Shown {
    /// The kind, for the row's `data-kind` and the CSS.
    pub fn kind(&self) -> &'static str {
        match self {
            Shown::Time { .. } => "time",
            Shown::List(_) => "list",
            Shown::Bool { .. } => "bool",
            Shown::Text(_) => "text",
            Shown::Json(_) => "json",
        }
    }
}

/// One row of the claims table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimRow {
    pub name: String,
    pub shown: Shown,
}

const TIMES: &[&str] = &["exp", "iat", "nbf", "auth_time", "updated_at"];
const BOOLS: &[&str] = &["email_verified", "phone_number_verified"];
/// Lists: arrays of strings, or (`scope`) one space-separated string.
const LISTS: &[&str] = &["scope", "cognito:groups", "cognito:roles", "amr"];

/// The claims Cognito puts in its tokens (docs/protocol.md, "What each
/// token holds"), besides `custom:` attributes; what each means is data
/// (`public/explain.json`, see [`super::texts`]).
pub const KNOWN: &[&str] = &[
    "sub",
    "iss",
    "aud",
    "client_id",
    "token_use",
    "exp",
    "iat",
    "nbf",
    "auth_time",
    "jti",
    "origin_jti",
    "event_id",
    "scope",
    "version",
    "cognito:username",
    "username",
    "cognito:groups",
    "cognito:roles",
    "cognito:preferred_role",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "name",
    "given_name",
    "family_name",
    "nonce",
    "at_hash",
    "identities",
    "device_key",
    "updated_at",
];

/// Whether this is a claim the app knows (one of [`KNOWN`], or `custom:`).
pub fn known(name: &str) -> bool {
    KNOWN.contains(&name) || name.starts_with("custom:")
}

/// How one claim is shown, given `now` for relative times.
pub fn show(name: &str, value: &Value, now: i64) -> Shown {
    if TIMES.contains(&name) {
        if let Some(epoch) = value.as_i64().or_else(|| value.as_f64().map(|f| f as i64)) {
            return Shown::Time {
                epoch,
                relative: claim_relative(name, epoch, now),
            };
        }
    }
    if BOOLS.contains(&name) {
        match value {
            Value::Bool(b) => {
                return Shown::Bool {
                    value: *b,
                    from_string: false,
                }
            }
            Value::String(s) if s == "true" || s == "false" => {
                return Shown::Bool {
                    value: s == "true",
                    from_string: true,
                }
            }
            _ => {}
        }
    }
    if LISTS.contains(&name) {
        match value {
            Value::String(s) => {
                return Shown::List(s.split_whitespace().map(str::to_owned).collect())
            }
            Value::Array(items) if items.iter().all(Value::is_string) => {
                return Shown::List(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                )
            }
            _ => {}
        }
    }
    match value {
        Value::String(s) if known(name) => Shown::Text(s.clone()),
        Value::Number(n) if known(name) => Shown::Text(n.to_string()),
        other => Shown::Json(other.to_string()),
    }
}

/// Every claim, in name order (serde_json keeps objects sorted).
pub fn rows(claims: &Map<String, Value>, now: i64) -> Vec<ClaimRow> {
    claims
        .iter()
        .map(|(name, value)| ClaimRow {
            name: name.clone(),
            shown: show(name, value, now),
        })
        .collect()
}

/// Yes/no for people, with a note when the value came as a string.
pub fn yes_no(value: bool, from_string: bool) -> String {
    let word = if value { "yes" } else { "no" };
    if from_string {
        format!("{word} (sent as the string \"{value}\")")
    } else {
        word.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn times_get_an_epoch_and_relative_words() {
        assert_eq!(
            show("exp", &json!(NOW + 42 * 60), NOW),
            Shown::Time {
                epoch: NOW + 2520,
                relative: "expires in 42 min".into()
            }
        );
        assert_eq!(
            show("iat", &json!(NOW - 180), NOW),
            Shown::Time {
                epoch: NOW - 180,
                relative: "issued 3 min ago".into()
            }
        );
        assert!(matches!(
            show("auth_time", &json!(NOW - 60), NOW),
            Shown::Time { .. }
        ));
        assert!(matches!(show("nbf", &json!(NOW), NOW), Shown::Time { .. }));
        // A time claim that is not a number is shown as it is.
        assert_eq!(show("exp", &json!("soon"), NOW), Shown::Text("soon".into()));
    }

    #[test]
    fn scope_string_and_group_arrays_are_lists() {
        assert_eq!(
            show("scope", &json!("openid email books/read"), NOW),
            Shown::List(vec!["openid".into(), "email".into(), "books/read".into()])
        );
        assert_eq!(
            show("cognito:groups", &json!(["readers", "admins"]), NOW),
            Shown::List(vec!["readers".into(), "admins".into()])
        );
        assert_eq!(show("scope", &json!(""), NOW), Shown::List(vec![]));
        // A list claim with non-strings in it is JSON, not a guess.
        assert_eq!(
            show("cognito:groups", &json!([1, 2]), NOW),
            Shown::Json("[1,2]".into())
        );
    }

    #[test]
    fn booleans_are_yes_or_no_even_as_strings() {
        assert_eq!(
            show("email_verified", &json!(true), NOW),
            Shown::Bool {
                value: true,
                from_string: false
            }
        );
        assert_eq!(
            show("email_verified", &json!("false"), NOW),
            Shown::Bool {
                value: false,
                from_string: true
            }
        );
        assert_eq!(yes_no(true, false), "yes");
        assert_eq!(yes_no(false, true), "no (sent as the string \"false\")");
    }

    #[test]
    fn known_strings_are_text_and_unknown_claims_json() {
        assert_eq!(
            show("cognito:username", &json!("demo"), NOW),
            Shown::Text("demo".into())
        );
        assert_eq!(show("version", &json!(2), NOW), Shown::Text("2".into()));
        assert_eq!(
            show("custom:team", &json!("blue"), NOW),
            Shown::Text("blue".into())
        );
        assert_eq!(
            show("something", &json!("x"), NOW),
            Shown::Json("\"x\"".into())
        );
        assert_eq!(
            show("identities", &json!([{"providerName": "Google"}]), NOW),
            Shown::Json(r#"[{"providerName":"Google"}]"#.into())
        );
        assert_eq!(show("weird", &json!(null), NOW), Shown::Json("null".into()));
    }

    #[test]
    fn rows_list_every_claim_in_name_order() {
        let claims = json!({"sub": "u1", "token_use": "id", "zzz": 1});
        let rows = rows(claims.as_object().unwrap(), NOW);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["sub", "token_use", "zzz"]);
        assert_eq!(rows[0].shown, Shown::Text("u1".into()));
        assert_eq!(rows[2].shown.kind(), "json");
    }

    #[test]
    fn every_kind_has_a_name() {
        let kinds: Vec<_> = [
            show("exp", &json!(1), NOW),
            show("scope", &json!("a"), NOW),
            show("email_verified", &json!(true), NOW),
            show("sub", &json!("u"), NOW),
            show("x", &json!({}), NOW),
        ]
        .iter()
        .map(Shown::kind)
        .collect();
        assert_eq!(kinds, ["time", "list", "bool", "text", "json"]);
    }
}
