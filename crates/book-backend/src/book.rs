//! The response, as a pure function of the proxy event.

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use aws_lambda_events::http::header::{HeaderMap, HeaderName, HeaderValue};
use book_backend::{body, cognito_authorizer, lambda_authorizer, RESPONSE_HEADERS};
use serde_json::{Map, Value};

/// The body and headers for any request that reached the backend (API
/// Gateway already ran the authorizer, so there is nothing left to refuse).
pub fn respond(request: &ApiGatewayProxyRequest, message: &str) -> ApiGatewayProxyResponse {
    let authorizer = authorizer_view(
        request.resource.as_deref().unwrap_or_default(),
        &request.request_context.authorizer.fields,
    );
    let mut headers = HeaderMap::new();
    for (name, value) in RESPONSE_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    ApiGatewayProxyResponse {
        status_code: 200,
        headers,
        multi_value_headers: HeaderMap::new(),
        body: Some(Body::Text(body(message, authorizer).to_string())),
        is_base64_encoded: false,
    }
}

/// `requestContext.authorizer` in the shape devstack's `/book` shows:
/// Cognito user-pool authorizers put string claims under `claims` (the
/// resource path tells the scoped one, `/cognito-scopes/book` in
/// infra/backend.yaml, from the other); Lambda authorizers put
/// `principalId` and their flat context at the top level.
pub fn authorizer_view(resource: &str, fields: &std::collections::HashMap<String, Value>) -> Value {
    if let Some(claims) = fields.get("claims").and_then(Value::as_object) {
        let kind = if resource.starts_with("/cognito-scopes/") {
            "cognito-scopes"
        } else {
            "cognito"
        };
        return cognito_authorizer(kind, claims);
    }
    if let Some(principal) = fields.get("principalId").and_then(Value::as_str) {
        let context: Map<String, Value> =
            fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        return lambda_authorizer(principal, &context);
    }
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(authorizer: Value) -> ApiGatewayProxyRequest {
        request_on("/lambda/book", authorizer)
    }

    fn request_on(resource: &str, authorizer: Value) -> ApiGatewayProxyRequest {
        serde_json::from_value(json!({
            "resource": resource,
            "path": resource,
            "httpMethod": "GET",
            "headers": {"Authorization": "Bearer x"},
            "requestContext": {
                "resourcePath": resource,
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
        let scoped = respond(
            &request_on("/cognito-scopes/book", json!({"claims": claims})),
            "hi",
        );
        assert_eq!(self::body(&scoped)["authorizer"]["kind"], "cognito-scopes");
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
