//! The awsJson1.1 wire format: request members read with their types
//! checked, answers and errors shaped as Cognito sends them (see
//! docs/user-pool-api.md, "Wire format").

use crate::ids;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
const EXPOSE: &str = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";

/// An error as the client libraries read it: `__type` and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpError {
    pub kind: &'static str,
    pub message: String,
}

pub type IdpResult<T> = Result<T, IdpError>;

pub fn err(kind: &'static str, message: impl Into<String>) -> IdpError {
    IdpError {
        kind,
        message: message.into(),
    }
}

pub fn not_authorized(message: impl Into<String>) -> IdpError {
    err("NotAuthorizedException", message)
}

pub fn invalid_parameter(message: impl Into<String>) -> IdpError {
    err("InvalidParameterException", message)
}

pub fn incorrect_credentials() -> IdpError {
    not_authorized("Incorrect username or password.")
}

pub fn user_not_found() -> IdpError {
    err("UserNotFoundException", "User does not exist.")
}

impl IdpError {
    fn status(&self) -> StatusCode {
        if self.kind == "InternalErrorException" {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        }
    }

    pub fn into_response_with(self, request_id: &str) -> Response {
        let body = serde_json::json!({ "__type": self.kind, "message": self.message });
        let mut res = json_response(self.status(), &body, request_id);
        let h = res.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&format!("{}:", self.kind)) {
            h.insert("x-amzn-ErrorType", v);
        }
        let ascii: String = self
            .message
            .chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        if let Ok(v) = HeaderValue::from_str(&ascii) {
            h.insert("x-amzn-ErrorMessage", v);
        }
        res
    }
}

/// The hosted UI's CORS headers, plus the AWS headers browser SDKs read.
pub fn cors(h: &mut HeaderMap) {
    crate::http::cors(h, &[(header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE)]);
}

pub fn json_response(status: StatusCode, body: &Value, request_id: &str) -> Response {
    let mut res = (status, body.to_string()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-RequestId", v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    cors(h);
    res
}

/// `OPTIONS /`: what browser SDKs need before their POST.
pub fn preflight(headers: &HeaderMap) -> Response {
    const BASE: &str = "content-type,x-amz-target,x-amz-user-agent,cache-control,amz-sdk-invocation-id,amz-sdk-request,authorization,x-amz-date,x-amz-security-token";
    // Echo what was asked for, if it is a plain header list.
    let asked = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            v.len() <= 1024
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_, ".contains(&b))
        });
    let allow = match asked {
        Some(a) if !a.trim().is_empty() => format!("{BASE},{a}"),
        _ => BASE.to_string(),
    };
    let mut res = StatusCode::OK.into_response();
    let h = res.headers_mut();
    cors(h);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST"),
    );
    if let Ok(v) = HeaderValue::from_str(&allow) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
    }
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("172800"),
    );
    if let Ok(v) = HeaderValue::from_str(&ids::uuid_v4()) {
        h.insert("x-amzn-RequestId", v);
    }
    res
}

fn lower_first(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_ascii_lowercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// AWS's validation message for a missing required member.
pub fn missing(member: &str) -> IdpError {
    invalid_parameter(format!(
        "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
        lower_first(member)
    ))
}

fn wrong_type(member: &str, expected: &str) -> IdpError {
    err(
        "SerializationException",
        format!("Unexpected value type for member {member}: expected {expected}"),
    )
}

/// A parsed request body: a JSON object whose members are read by name.
pub struct Req {
    obj: Map<String, Value>,
}

impl std::fmt::Debug for Req {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bodies carry passwords and tokens: only the member names.
        f.debug_list().entries(self.obj.keys()).finish()
    }
}

impl Req {
    /// Any content type is accepted (clients differ); the body must be a
    /// JSON object. An empty body counts as `{}`, as on AWS.
    pub fn parse(body: &[u8]) -> IdpResult<Self> {
        if body.iter().all(|b| b.is_ascii_whitespace()) {
            return Ok(Self { obj: Map::new() });
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(obj)) => Ok(Self { obj }),
            Ok(_) => Err(err(
                "SerializationException",
                "Start of structure or map expected",
            )),
            Err(_) => Err(err("SerializationException", "Malformed JSON request body")),
        }
    }

    fn get(&self, member: &str) -> Option<&Value> {
        self.obj.get(member).filter(|v| !v.is_null())
    }

    pub fn opt_str(&self, member: &str) -> IdpResult<Option<String>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(wrong_type(member, "string")),
        }
    }

    pub fn str(&self, member: &str) -> IdpResult<String> {
        self.opt_str(member)?.ok_or_else(|| missing(member))
    }

    pub fn opt_bool(&self, member: &str) -> IdpResult<Option<bool>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(wrong_type(member, "boolean")),
        }
    }

    pub fn opt_int(&self, member: &str) -> IdpResult<Option<i64>> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| wrong_type(member, "integer")),
            Some(_) => Err(wrong_type(member, "integer")),
        }
    }

    /// A `map<string,string>` member (AuthParameters, ChallengeResponses…).
    pub fn map(&self, member: &str) -> IdpResult<Params> {
        match self.get(member) {
            None => Ok(Params::default()),
            Some(Value::Object(m)) => {
                let mut out = BTreeMap::new();
                for (k, v) in m {
                    match v {
                        Value::String(s) => {
                            out.insert(k.clone(), s.clone());
                        }
                        Value::Null => {}
                        _ => return Err(wrong_type(member, "map of strings")),
                    }
                }
                Ok(Params(out))
            }
            Some(_) => Err(wrong_type(member, "map of strings")),
        }
    }

    /// A `[{Name, Value}]` member (UserAttributes).
    pub fn attributes(&self, member: &str) -> IdpResult<Option<Vec<(String, String)>>> {
        let Some(v) = self.get(member) else {
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(wrong_type(member, "list"));
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Value::Object(o) = item else {
                return Err(wrong_type(member, "list of AttributeType"));
            };
            let name = match o.get("Name") {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => return Err(missing(&format!("{member}.member.name"))),
                Some(_) => return Err(wrong_type("Name", "string")),
            };
            let value = match o.get("Value") {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => String::new(),
                Some(_) => return Err(wrong_type("Value", "string")),
            };
            out.push((name, value));
        }
        Ok(Some(out))
    }

    /// A list of strings (AttributesToGet, DesiredDeliveryMediums…).
    pub fn opt_str_list(&self, member: &str) -> IdpResult<Option<Vec<String>>> {
        let Some(v) = self.get(member) else {
            return Ok(None);
        };
        let Value::Array(items) = v else {
            return Err(wrong_type(member, "list"));
        };
        items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => Err(wrong_type(member, "list of strings")),
            })
            .collect::<IdpResult<Vec<_>>>()
            .map(Some)
    }
}

/// String parameters whose values are never shown in Debug output.
#[derive(Default, Clone)]
pub struct Params(pub BTreeMap<String, String>);

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

impl Params {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    pub fn require(&self, key: &str) -> IdpResult<&str> {
        self.get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| invalid_parameter(format!("Missing required parameter {key}")))
    }
}

/// Pattern/length checks AWS runs on a member before anything else.
pub fn check_len(member: &str, value: &str, max: usize, sensitive: bool) -> IdpResult<()> {
    let n = value.chars().count();
    let shown = if sensitive {
        String::new()
    } else {
        format!("Value '{}' ", value.chars().take(64).collect::<String>())
    };
    if n == 0 {
        return Err(invalid_parameter(format!(
            "1 validation error detected: {shown}at '{}' failed to satisfy constraint: Member must have length greater than or equal to 1",
            lower_first(member)
        )));
    }
    if n > max {
        return Err(invalid_parameter(format!(
            "1 validation error detected: {shown}at '{}' failed to satisfy constraint: Member must have length less than or equal to {max}",
            lower_first(member)
        )));
    }
    Ok(())
}

/// `ClientId`: `[\w+]+`, at most 128.
pub fn check_client_id(value: &str) -> IdpResult<()> {
    check_len("ClientId", value, 128, false)?;
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
    {
        return Err(invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
            value.chars().take(64).collect::<String>()
        )));
    }
    Ok(())
}

/// `UserPoolId`: `[\w-]+_[0-9a-zA-Z]+`, at most 55.
pub fn check_pool_id(value: &str) -> IdpResult<()> {
    check_len("UserPoolId", value, 55, false)?;
    let ok = value.split_once('_').is_some_and(|(region, name)| {
        !region.is_empty()
            && region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !ok {
        return Err(invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
            value.chars().take(64).collect::<String>()
        )));
    }
    Ok(())
}

/// Admin operations are SigV4-signed on AWS. There is no IAM here, so any
/// well-formed signature passes: an `Authorization` header of the form
/// `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/cognito-idp/aws4_request,
/// SignedHeaders=<list>, Signature=<64 hex>`.
pub fn check_sigv4(headers: &HeaderMap) -> IdpResult<()> {
    let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(err(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let incomplete = || {
        err(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256).",
        )
    };
    let rest = auth
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or_else(incomplete)?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else {
            return Err(incomplete());
        };
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => return Err(incomplete()),
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(incomplete());
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let scope_ok = scope.len() == 5
        && !scope[0].is_empty()
        && scope[1].len() == 8
        && scope[1].bytes().all(|b| b.is_ascii_digit())
        && !scope[2].is_empty()
        && scope[3] == "cognito-idp"
        && scope[4] == "aws4_request";
    let sig_ok = signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit());
    if !scope_ok || !sig_ok || signed.is_empty() {
        return Err(incomplete());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_typed() {
        let r =
            Req::parse(br#"{"A":"x","B":1,"C":{"k":"v"},"D":[{"Name":"n","Value":"v"}],"E":null}"#)
                .unwrap();
        assert_eq!(r.str("A").unwrap(), "x");
        assert_eq!(r.str("B").unwrap_err().kind, "SerializationException");
        assert_eq!(r.opt_int("B").unwrap(), Some(1));
        assert_eq!(r.map("C").unwrap().get("k"), Some("v"));
        assert_eq!(r.map("A").unwrap_err().kind, "SerializationException");
        assert_eq!(r.attributes("D").unwrap().unwrap()[0].1, "v");
        let e = r.str("E").unwrap_err();
        assert_eq!(e.kind, "InvalidParameterException");
        assert!(e.message.contains("at 'e'"), "{}", e.message);
        assert_eq!(
            Req::parse(b"[1]").unwrap_err().kind,
            "SerializationException"
        );
        assert_eq!(Req::parse(b"{").unwrap_err().kind, "SerializationException");
        let deep = "[".repeat(100_000);
        assert_eq!(
            Req::parse(deep.as_bytes()).unwrap_err().kind,
            "SerializationException"
        );
        assert!(Req::parse(b"").is_ok());
    }

    #[test]
    fn sigv4_shape() {
        let mut h = HeaderMap::new();
        assert_eq!(
            check_sigv4(&h).unwrap_err().kind,
            "MissingAuthenticationTokenException"
        );
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(
            check_sigv4(&h).unwrap_err().kind,
            "IncompleteSignatureException"
        );
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("AWS4-HMAC-SHA256 Credential=AKID/20261201/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        assert!(check_sigv4(&h).is_ok());
    }

    #[test]
    fn client_id_pattern() {
        assert!(check_client_id("7devstack0local0client0abc").is_ok());
        let e = check_client_id("bad id").unwrap_err();
        assert!(e.message.contains("[\\w+]+"), "{}", e.message);
        assert!(check_client_id("").is_err());
    }
}
