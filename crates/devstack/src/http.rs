//! Small HTTP helpers shared by both servers: request logging, form and
//! cookie parsing, HTML pages and CORS headers.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::time::Instant;

/// Request bodies above this are refused (413) before any handler runs.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Where request log lines go: always stderr, and also memory when
/// capturing (tests read them back with [`crate::Handle::log_lines`] to
/// prove no code, token or verifier is ever logged).
#[derive(Debug, Default)]
pub struct RequestLog {
    captured: Option<std::sync::Mutex<Vec<String>>>,
}

/// Captured lines kept at most; older ones are dropped (bounded memory).
const CAPTURE_LIMIT: usize = 10_000;

impl RequestLog {
    pub fn capturing() -> RequestLog {
        RequestLog {
            captured: Some(std::sync::Mutex::new(Vec::new())),
        }
    }

    pub fn line(&self, line: String) {
        eprintln!("{line}");
        if let Some(lines) = &self.captured {
            let mut lines = lines.lock().unwrap_or_else(|e| e.into_inner());
            if lines.len() >= CAPTURE_LIMIT {
                lines.remove(0);
            }
            lines.push(line);
        }
    }

    /// Every captured line (empty when not capturing).
    pub fn lines(&self) -> Vec<String> {
        self.captured
            .as_ref()
            .map(|l| l.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }
}

/// One line per request on stderr. Only the path: query strings carry codes
/// and states, and headers carry tokens, so neither is ever printed.
pub async fn log_requests(
    State((label, log)): State<(&'static str, std::sync::Arc<RequestLog>)>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let started = Instant::now();
    let res = next.run(req).await;
    log.line(format!(
        "[{label}] {method} {path} {} {:.1}ms",
        res.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    ));
    res
}

/// Form or query pairs; the first occurrence of a name wins.
pub fn parse_pairs(input: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for (k, v) in url::form_urlencoded::parse(input.as_bytes()) {
        map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    map
}

/// The first name given more than once. RFC 6749 section 3.1: parameters
/// "MUST NOT be included more than once"; Cognito answers
/// `invalid_request` (docs/protocol.md, "Repeated parameters").
pub fn repeated_name(input: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    url::form_urlencoded::parse(input.as_bytes())
        .map(|(k, _)| k)
        .find(|k| !seen.insert(k.clone()))
        .map(|k| k.into_owned())
}

/// Non-empty value of a parameter (OAuth treats empty as absent).
pub fn param<'a>(map: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    map.get(name).map(String::as_str).filter(|v| !v.is_empty())
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

pub use cognito_jwt::constant_time_eq;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

const CSS: &str = "body{font-family:system-ui,sans-serif;background:#f2f3f3;margin:0;color:#16191f}\
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0003}\
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem;font-weight:600}\
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #879596;border-radius:4px}\
button{margin-top:1.2rem;width:100%;padding:.6rem;background:#ec7211;color:#fff;border:0;border-radius:4px;font-weight:600;cursor:pointer}\
.error{color:#d13212;background:#fde8e8;padding:.5rem;border-radius:4px}.note{color:#545b64;font-size:.85rem}";

/// A complete HTML page. Like the real hosted UI it refuses to be framed.
pub fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let doc = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{}</title><style>{CSS}</style></head><body><main>{body}</main></body></html>",
        escape(title)
    );
    let mut res = (status, doc).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The hosted UI's error page (Cognito's `/error?error=…`): no redirect.
pub fn error_page(status: StatusCode, error: &str, message: &str) -> Response {
    html(
        status,
        "An error was encountered",
        &format!(
            "<h1>An error was encountered with the requested page.</h1>\
<p class=\"error\" role=\"alert\" data-error=\"{}\">{}</p>\
<p class=\"note\">error: <code>{}</code></p>",
            escape(error),
            escape(message),
            escape(error)
        ),
    )
}

/// CORS for endpoints that any page may call with a bearer token or a
/// code, never with cookies: `Access-Control-Allow-Origin: *` plus the
/// given `Access-Control-*` headers (preflight answers name methods and
/// headers). The hosted UI and the gateway write their CORS headers here.
pub fn cors(headers: &mut HeaderMap, extra: &[(header::HeaderName, &'static str)]) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    for (name, value) in extra {
        headers.insert(name.clone(), HeaderValue::from_static(value));
    }
}

/// `302 Location: url` that no cache keeps (it may hold a code or tokens).
pub fn found(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(loc) => {
            let mut res = StatusCode::FOUND.into_response();
            res.headers_mut().insert(header::LOCATION, loc);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(_) => error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Bad redirect URL.",
        ),
    }
}
