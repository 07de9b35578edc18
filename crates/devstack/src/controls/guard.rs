//! Only a person at this machine (the `/_devstack` page, curl, a test) may
//! change devstack's state; a page on another site the same browser has
//! open must not. A cross-site page can send a GET, a plain form post and
//! any `text/plain` body without asking, so a control takes none of these:
//!
//! - the body is JSON (`Content-Type: application/json`) and the request
//!   carries `X-Devstack-Control: 1`: neither can be sent cross-origin
//!   without a CORS preflight, and the preflight gets no allow headers;
//! - `Sec-Fetch-Site`, when the browser sends it, is `same-origin` or
//!   `none` (typed or scripted by the user, not by another site);
//! - `Origin`, when present, is the origin the request was sent to;
//! - `Host` is a loopback name, so a site that rebinds its DNS name to
//!   127.0.0.1 is refused too.

use axum::http::{header, HeaderMap};

/// The header every control request carries.
pub const CONTROL_HEADER: &str = "x-devstack-control";

/// Why a request may not read the controls' state, or `None` when it may:
/// only the [`refusal`] checks of `Host`, as reading changes nothing.
pub fn read_refusal(headers: &HeaderMap) -> Option<&'static str> {
    match headers.get(header::HOST).and_then(|v| v.to_str().ok()) {
        None => Some("the Host header is missing"),
        Some(host) if !is_loopback_host(host) => {
            Some("Host is not a loopback address (127.0.0.1, localhost or [::1])")
        }
        Some(_) => None,
    }
}

/// Why a request may not change state, or `None` when it may.
pub fn refusal(headers: &HeaderMap) -> Option<&'static str> {
    if let Some(reason) = read_refusal(headers) {
        return Some(reason);
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST.as_str()).unwrap_or_default();
    if let Some(site) = text("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return Some("Sec-Fetch-Site says the request comes from another site");
        }
    }
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        if origin != format!("http://{host}") {
            return Some("Origin is not this page's origin");
        }
    }
    if text(CONTROL_HEADER) != Some("1") {
        return Some("the X-Devstack-Control: 1 header is missing");
    }
    let json = text(header::CONTENT_TYPE.as_str())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Some("the body must be JSON (Content-Type: application/json)");
    }
    None
}

fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    const OK: [(&str, &str); 3] = [
        ("host", "127.0.0.1:4010"),
        ("content-type", "application/json"),
        ("x-devstack-control", "1"),
    ];

    #[test]
    fn the_page_and_curl_may_change_state() {
        assert_eq!(refusal(&headers(&OK)), None);
        let mut page = OK.to_vec();
        page.extend([
            ("origin", "http://127.0.0.1:4010"),
            ("sec-fetch-site", "same-origin"),
        ]);
        assert_eq!(refusal(&headers(&page)), None);
    }

    #[test]
    fn other_sites_and_simple_requests_may_not() {
        let with = |extra: (&'static str, &'static str)| {
            let mut h = headers(&OK);
            h.insert(extra.0, extra.1.parse().unwrap());
            refusal(&h)
        };
        assert!(with(("origin", "https://evil.example")).is_some());
        assert!(with(("origin", "http://127.0.0.1:4011")).is_some());
        assert!(with(("sec-fetch-site", "cross-site")).is_some());
        assert!(with(("sec-fetch-site", "same-site")).is_some());
        assert!(with(("content-type", "text/plain")).is_some());
        assert!(with(("x-devstack-control", "0")).is_some());
        assert!(with(("host", "evil.example:4010")).is_some());
        assert!(with(("host", "127.0.0.1.evil.example")).is_some());
        assert!(refusal(&headers(&OK[..2])).is_some());
        assert_eq!(with(("host", "localhost:4010")), None);
        assert_eq!(with(("host", "[::1]:4010")), None);
    }
}
