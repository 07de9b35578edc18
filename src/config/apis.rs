//! The APIs the `/book` console calls: `apis` in config.json (each with its
//! authorizer kind, so an answer is explained for exactly that authorizer),
//! or `apiUrl` alone (one API whose authorizer is not known).

use cognito_jwt::json_type;
use serde_json::{Map, Value};

use super::{parse_url, trim_slash, ConfigError};

/// The kind of authorizer in front of an API's `GET /book`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authorizer {
    /// `apiUrl`: the console explains every kind an answer could come from.
    Unknown,
    /// A Cognito user pool authorizer without OAuth scopes on the method: it
    /// takes ID tokens.
    Cognito,
    /// A Cognito user pool authorizer with OAuth scopes on the method: it
    /// takes access tokens that share one of them.
    CognitoScopes,
    /// A Lambda TOKEN authorizer (this project's: access tokens, a policy
    /// per scope).
    Lambda,
}

impl Authorizer {
    const NAMED: [Authorizer; 3] = [
        Authorizer::Cognito,
        Authorizer::CognitoScopes,
        Authorizer::Lambda,
    ];

    /// The `authorizer` value in config.json.
    pub fn config_value(self) -> &'static str {
        match self {
            Authorizer::Unknown => "unknown",
            Authorizer::Cognito => "cognito",
            Authorizer::CognitoScopes => "cognito-scopes",
            Authorizer::Lambda => "lambda",
        }
    }
}

/// One API the console can call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Api {
    /// Unique among `apis`; the `book-api` option value.
    pub name: String,
    /// The stage base URL, without a trailing slash.
    pub url: String,
    pub authorizer: Authorizer,
    /// The method's OAuth scopes (only with [`Authorizer::CognitoScopes`]).
    pub scopes: Vec<String>,
}

impl Api {
    /// `GET` this to call the API.
    pub fn book_url(&self) -> String {
        format!("{}/book", self.url)
    }
}

/// The name the one API of `apiUrl` gets.
pub const API_URL_NAME: &str = "apiUrl";

const ENTRY_KEYS: [&str; 4] = ["name", "url", "authorizer", "scopes"];

/// Reads `apiUrl` and `apis` from the config object: at most one of them.
pub(super) fn from_map(map: &Map<String, Value>) -> Result<Vec<Api>, ConfigError> {
    match (map.get("apiUrl"), map.get("apis")) {
        (Some(_), Some(_)) => Err(ConfigError::at(
            "apiUrl",
            "give either `apiUrl` (one API) or `apis` (several, with their authorizers), not both",
        )),
        (Some(url), None) => Ok(vec![Api {
            name: API_URL_NAME.to_owned(),
            url: url_of("apiUrl", url)?,
            authorizer: Authorizer::Unknown,
            scopes: Vec::new(),
        }]),
        (None, Some(apis)) => apis_of(apis),
        (None, None) => Ok(Vec::new()),
    }
}

fn apis_of(value: &Value) -> Result<Vec<Api>, ConfigError> {
    let Value::Array(entries) = value else {
        return Err(ConfigError::at(
            "apis",
            format!("must be an array of objects, found {}", json_type(value)),
        ));
    };
    if entries.is_empty() {
        return Err(ConfigError::at(
            "apis",
            "must list at least one API (or leave `apis` out)",
        ));
    }
    let mut apis: Vec<Api> = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let api = entry_of(index, entry)?;
        if apis.iter().any(|a| a.name == api.name) {
            return Err(ConfigError::at(
                &format!("apis[{index}].name"),
                format!(
                    "{:?} is already the name of another API; names must be unique",
                    api.name
                ),
            ));
        }
        apis.push(api);
    }
    Ok(apis)
}

fn entry_of(index: usize, entry: &Value) -> Result<Api, ConfigError> {
    let key = |field: &str| format!("apis[{index}].{field}");
    let Value::Object(fields) = entry else {
        return Err(ConfigError::at(
            &format!("apis[{index}]"),
            format!(
                "must be an object {{\"name\", \"url\", \"authorizer\"}}, found {}",
                json_type(entry)
            ),
        ));
    };
    if let Some(unknown) = fields.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())) {
        return Err(ConfigError::at(
            &key(unknown),
            format!("unknown key (known keys: {})", ENTRY_KEYS.join(", ")),
        ));
    }
    let name = required_text(fields, &key("name"), "name")?;
    let url = match fields.get("url") {
        Some(url) => url_of(&key("url"), url)?,
        None => return Err(ConfigError::at(&key("url"), "is required but missing")),
    };
    let authorizer_text = required_text(fields, &key("authorizer"), "authorizer")?;
    let authorizer = Authorizer::NAMED
        .into_iter()
        .find(|a| a.config_value() == authorizer_text)
        .ok_or_else(|| {
            ConfigError::at(
                &key("authorizer"),
                format!(
                    "must be \"cognito\", \"cognito-scopes\" or \"lambda\", got {authorizer_text:?}"
                ),
            )
        })?;
    let scopes = match (authorizer, fields.get("scopes")) {
        (Authorizer::CognitoScopes, Some(scopes)) => scopes_of(&key("scopes"), scopes)?,
        (Authorizer::CognitoScopes, None) => {
            return Err(ConfigError::at(
                &key("scopes"),
                "is required with \"cognito-scopes\": the method's OAuth scopes",
            ))
        }
        (_, Some(_)) => {
            return Err(ConfigError::at(
                &key("scopes"),
                "belongs only to a \"cognito-scopes\" API (the method's OAuth scopes)",
            ))
        }
        (_, None) => Vec::new(),
    };
    Ok(Api {
        name,
        url,
        authorizer,
        scopes,
    })
}

fn required_text(
    fields: &Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<String, ConfigError> {
    match fields.get(field) {
        None => Err(ConfigError::at(key, "is required but missing")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            Err(ConfigError::at(key, "must not be empty"))
        }
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(ConfigError::at(
            key,
            format!("must be a string, found {}", json_type(other)),
        )),
    }
}

fn url_of(key: &str, value: &Value) -> Result<String, ConfigError> {
    match value {
        Value::String(s) if s.trim().is_empty() => Err(ConfigError::at(key, "must not be empty")),
        Value::String(s) => Ok(trim_slash(&parse_url(key, s)?.href)),
        other => Err(ConfigError::at(
            key,
            format!("must be a string, found {}", json_type(other)),
        )),
    }
}

fn scopes_of(key: &str, value: &Value) -> Result<Vec<String>, ConfigError> {
    let Value::Array(items) = value else {
        return Err(ConfigError::at(
            key,
            format!("must be an array of strings, found {}", json_type(value)),
        ));
    };
    let mut scopes = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item {
            Value::String(s) if !s.is_empty() && !s.contains(char::is_whitespace) => {
                scopes.push(s.clone())
            }
            _ => {
                return Err(ConfigError::at(
                    key,
                    format!("item {index} must be a non-empty scope without spaces"),
                ))
            }
        }
    }
    if scopes.is_empty() {
        return Err(ConfigError::at(
            key,
            "must name at least one scope (a method without scopes is \"cognito\")",
        ));
    }
    Ok(scopes)
}
