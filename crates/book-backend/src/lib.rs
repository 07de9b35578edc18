//! What `GET /book` answers once API Gateway's authorizer let the call
//! through: the body (a message, a book, what the authorizer passed on) and
//! the headers. The Lambda (`src/main.rs`) and devstack's gateway both build
//! their answer here, so the local stand-in cannot drift from the backend.

use serde_json::{json, Map, Value};

pub const DEFAULT_MESSAGE: &str = "Hello from the protected /book API";

/// Headers of every `/book` answer. The API is called cross-origin with a
/// bearer token, never with cookies, so `*` is safe and keeps one build for
/// every site URL.
pub const RESPONSE_HEADERS: [(&str, &str); 5] = [
    ("content-type", "application/json"),
    ("access-control-allow-origin", "*"),
    ("access-control-allow-headers", "Authorization,Content-Type"),
    ("access-control-allow-methods", "GET,OPTIONS"),
    ("cache-control", "no-store"),
];

/// The response body; `authorizer` is [`cognito_authorizer`] or
/// [`lambda_authorizer`] (or `{}` when there was none).
pub fn body(message: &str, authorizer: Value) -> Value {
    json!({
        "message": message,
        "book": {
            "isbn": "978-1-7185-0310-6",
            "title": "The Rust Programming Language",
            "authors": ["Steve Klabnik", "Carol Nichols"],
            "year": 2023,
        },
        "authorizer": authorizer,
    })
}

/// What a COGNITO_USER_POOLS authorizer passes on (`claims`, every value a
/// string), with `kind` `cognito` or `cognito-scopes`.
pub fn cognito_authorizer(kind: &str, claims: &Map<String, Value>) -> Value {
    let get = |k: &str| claims.get(k).and_then(Value::as_str);
    json!({
        "kind": kind,
        "claims": claims,
        "username": get("cognito:username").or_else(|| get("username")),
        "scopes": get("scope"),
    })
}

/// What a Lambda TOKEN authorizer passes on: its `principalId` and its flat
/// `context` (API Gateway hands every context value on as text).
pub fn lambda_authorizer(principal_id: &str, context: &Map<String, Value>) -> Value {
    let text = |k: &str| {
        context
            .get(k)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
    };
    json!({
        "kind": "lambda",
        "principalId": principal_id,
        "username": text("username"),
        "scopes": text("scopes"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_context_values_become_text() {
        let context = json!({"username": "demo", "scopes": "books/read", "n": 3});
        let view = lambda_authorizer("sub-1", context.as_object().unwrap());
        assert_eq!(
            view,
            json!({"kind": "lambda", "principalId": "sub-1", "username": "demo", "scopes": "books/read"})
        );
        let view = lambda_authorizer("sub-1", &Map::new());
        assert_eq!(view["username"], Value::Null);
    }

    #[test]
    fn cognito_username_falls_back_to_username() {
        let claims = json!({"username": "m2m", "scope": "books/read"});
        let view = cognito_authorizer("cognito-scopes", claims.as_object().unwrap());
        assert_eq!(view["kind"], "cognito-scopes");
        assert_eq!(view["username"], "m2m");
        assert_eq!(view["scopes"], "books/read");
        assert_eq!(body("hi", view.clone())["authorizer"], view);
    }
}
