//! The production response headers of infra/hosting.yaml's response
//! headers policy, with the Content-Security-Policy computed by the very
//! builder `cargo xtask deploy` uses (xtask/src/deploy/csp.rs, compiled in
//! here), for the hosts of the test's config.json.

#[allow(dead_code)]
#[path = "../../xtask/src/deploy/csp.rs"]
mod deploy_csp;

use axum::http::{HeaderName, HeaderValue};
use serde_json::Value;

pub use deploy_csp::Hosts;

/// The CSP `cargo xtask deploy` would set for this build and config.json.
pub fn policy(index_html: &str, app_config: &Value) -> String {
    let url = |key: &str| app_config[key].as_str().map(str::to_owned);
    let hosts = Hosts {
        cognito_domain: url("domain").expect("config.json has a domain"),
        // The app fetches the key set from jwksUri (the issuer by default).
        key_set: url("jwksUri")
            .or_else(|| url("issuer"))
            .expect("config.json has a jwksUri or issuer"),
        api: url("apiUrl"),
    };
    deploy_csp::build(index_html, &hosts).expect("a CSP for the test's hosts")
}

/// The security headers CloudFront adds to every response (minus HSTS,
/// which a browser ignores on http://127.0.0.1 anyway).
pub fn production_headers(policy: &str) -> Vec<(HeaderName, HeaderValue)> {
    vec![
        (
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_str(policy).expect("a CSP is a valid header value"),
        ),
        (
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ),
        (
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ),
        (
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("no-referrer"),
        ),
    ]
}
