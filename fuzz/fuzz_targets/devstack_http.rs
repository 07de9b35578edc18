//! devstack's form, query and cookie parsing, then whole requests through
//! the hosted UI and API routers (in-process, no sockets). The first byte
//! picks the endpoint; the rest is `query\nbody` (or a header value).
//! Invariants: no panic, and no `500`: hostile input is a 4xx.
#![no_main]

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Request};
use axum::Router;
use devstack::http::{cookie, param, parse_pairs};
use devstack::state::{KeySet, Shared};
use devstack::{AuthorizerMode, Clock, KeyStore, Seed};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

struct Target {
    runtime: tokio::runtime::Runtime,
    hosted_ui: Router,
    api: Router,
}

fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let keys = KeySet::new(KeyStore::generate().expect("keygen")).expect("key set");
        let shared = Arc::new(
            Shared::new(
                Seed::builtin(),
                Clock::default(),
                keys,
                None,
                AuthorizerMode::Cognito,
                true,
                "http://127.0.0.1:4010".into(),
                "http://127.0.0.1:4011/prod".into(),
            )
            .expect("shared state"),
        );
        Target {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime"),
            hosted_ui: devstack::hosted_ui::router(shared.clone()),
            api: devstack::gateway::router(shared),
        }
    })
}

/// Any bytes as a query string: what a URI may carry verbatim stays,
/// everything else is percent-encoded, so the parser sees every byte.
fn as_query(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'#' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// RSA key generation (and devstack's SRP verifiers) take seconds on a busy
// machine; done before the first input, they count against no input's
// -timeout.
fuzz_target!(init: {
    target();
}, |data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    // The parsers on their own.
    if let Ok(text) = std::str::from_utf8(rest) {
        let pairs = parse_pairs(text);
        for name in pairs.keys() {
            let _ = param(&pairs, name);
        }
    }
    if let Ok(value) = HeaderValue::from_bytes(rest) {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, value);
        let _ = cookie(&headers, "XSRF-TOKEN");
        let _ = cookie(&headers, "cognito");
    }

    // Whole requests.
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
    let (query, body) = (&rest[..split], rest.get(split + 1..).unwrap_or_default());
    let query = as_query(query);
    let form = "application/x-www-form-urlencoded";
    let (router, method, uri, content_type, auth) = match selector % 10 {
        0 => ("ui", "POST", "/oauth2/token".to_owned(), Some(form), None),
        1 => ("ui", "POST", format!("/login?{query}"), Some(form), None),
        2 => (
            "ui",
            "GET",
            format!("/oauth2/authorize?{query}"),
            None,
            None,
        ),
        3 => ("ui", "GET", format!("/logout?{query}"), None, None),
        4 => ("ui", "POST", "/oauth2/revoke".to_owned(), Some(form), None),
        5 => ("ui", "GET", format!("/login?{query}"), None, None),
        6 => ("ui", "GET", format!("/error?{query}"), None, None),
        7 => ("ui", "GET", "/oauth2/userInfo".to_owned(), None, Some(body)),
        8 => ("api", "GET", "/prod/book".to_owned(), None, Some(body)),
        _ => (
            "ui",
            "POST",
            "/oauth2/token".to_owned(),
            Some("application/json"),
            None,
        ),
    };
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(value) = auth {
        match HeaderValue::from_bytes(value) {
            Ok(value) => request = request.header(header::AUTHORIZATION, value),
            Err(_) => return,
        }
    }
    let body = if auth.is_some() {
        Body::empty()
    } else {
        Body::from(body.to_vec())
    };
    let Ok(request) = request.body(body) else {
        return;
    };
    let t = target();
    let router = if router == "ui" {
        t.hosted_ui.clone()
    } else {
        t.api.clone()
    };
    let response = t
        .runtime
        .block_on(router.oneshot(request))
        .expect("routers are infallible");
    assert!(
        !response.status().is_server_error(),
        "{} for {:?}",
        response.status(),
        String::from_utf8_lossy(data)
    );
});
