//! The response, as a pure function of the proxy event.

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{json, Map, Value};

pub const DEFAULT_MESSAGE: &str = "Hello from the protected /book API";

/// The body and headers for any request that reached the backend (API
/// Gateway already ran the authorizer, so there is nothing left to refuse).
pub fn respond(request: &ApiGatewayProxyRequest, message: &str) -> ApiGatewayProxyResponse {
    let body = json!({
        "message": message,
        "book": {
            "isbn": "978-1-7185-0310-6",
            "title": "The Rust Programming Language",
            "authors": ["Steve Klabnik", "Carol Nichols"],
            "year": 2023,
        },
        "authorizer": authorizer_view(&request.request_context.authorizer.fields),
    });
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("content-type", "application/json"),
        // The API is called cross-origin with a bearer token, never with
        // cookies, so `*` is safe and keeps one build for every site URL.
        ("access-control-allow-origin", "*"),
        ("access-control-allow-headers", "Authorization,Content-Type"),
        ("access-control-allow-methods", "GET,OPTIONS"),
        ("cache-control", "no-store"),
    ] {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    ApiGatewayProxyResponse {
        status_code: 200,
        headers,
        multi_value_headers: HeaderMap::new(),
        body: Some(Body::Text(body.to_string())),
        is_base64_encoded: false,
    }
}

/// `requestContext.authorizer` in the shape devstack's `/book` shows:
/// Cognito user-pool authorizers put string claims under `claims`; Lambda
/// authorizers put `principalId` and their flat context at the top level.
pub fn authorizer_view(fields: &std::collections::HashMap<String, Value>) -> Value {
    if let Some(claims) = fields.get("claims").and_then(Value::as_object) {
        let get = |k: &str| claims.get(k).and_then(Value::as_str);
        return json!({
            "kind": "cognito",
            "claims": claims,
            "username": get("cognito:username").or_else(|| get("username")),
            "scopes": get("scope"),
        });
    }
    if let Some(principal) = fields.get("principalId").and_then(Value::as_str) {
        let text = |k: &str| {
            fields
                .get(k)
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        };
        return json!({
            "kind": "lambda",
            "principalId": principal,
            "username": text("username"),
            "scopes": text("scopes"),
        });
    }
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(authorizer: Value) -> ApiGatewayProxyRequest {
        serde_json::from_value(json!({
            "resource": "/lambda/book",
            "path": "/lambda/book",
            "httpMethod": "GET",
            "headers": {"Authorization": "Bearer x"},
            "requestContext": {
                "resourcePath": "/lambda/book",
                "httpMethod": "GET",
                "stage": "prod",
                "authorizer": authorizer,
            },
            "isBase64Encoded": false,
        }))
        .expect("a REST proxy event")
    }

    fn body(response: &ApiGatewayProxyResponse) -> Value {
        match &response.body {
            Some(Body::Text(text)) => serde_json::from_str(text).unwrap(),
            other => panic!("expected a text body, got {other:?}"),
        }
    }

    #[test]
    fn lambda_authorizer_context_is_passed_on() {
        let res = respond(
            &request(
                json!({"principalId": "sub-1", "username": "demo", "scopes": "openid email", "integrationLatency": 12}),
            ),
            "hi",
        );
        assert_eq!(res.status_code, 200);
        assert_eq!(res.headers["access-control-allow-origin"], "*");
        assert_eq!(res.headers["content-type"], "application/json");
        let body = body(&res);
        assert_eq!(body["message"], "hi");
        assert_eq!(
            body["authorizer"],
            json!({"kind": "lambda", "principalId": "sub-1", "username": "demo", "scopes": "openid email"})
        );
    }

    #[test]
    fn cognito_authorizer_claims_are_passed_on() {
        let claims = json!({"sub": "sub-1", "cognito:username": "demo", "token_use": "id", "email_verified": "true"});
        let body = body(&respond(&request(json!({"claims": claims})), "hi"));
        assert_eq!(body["authorizer"]["kind"], "cognito");
        assert_eq!(body["authorizer"]["username"], "demo");
        assert_eq!(body["authorizer"]["claims"], claims);
        assert_eq!(body["book"]["title"], "The Rust Programming Language");
    }

    #[test]
    fn no_authorizer_is_an_empty_object() {
        let event: ApiGatewayProxyRequest = serde_json::from_value(
            json!({"httpMethod": "GET", "requestContext": {"httpMethod": "GET"}}),
        )
        .unwrap();
        assert_eq!(body(&respond(&event, "hi"))["authorizer"], json!({}));
    }
}
