//! The production response headers: infra/hosting.yaml's response headers
//! policy, with the Content-Security-Policy computed by the very builder
//! `cargo xtask deploy` uses, for the hosts of the test's config.json.

use axum::http::{HeaderName, HeaderValue};
use serde_json::Value;
use xtask::deploy::{csp, headers};

pub use csp::Hosts;

/// The CSP `cargo xtask deploy` would set for this build and config.json.
pub fn policy(index_html: &str, app_config: &Value) -> String {
    let url = |key: &str| app_config[key].as_str().map(str::to_owned);
    let hosts = Hosts {
        cognito_domain: url("domain").expect("config.json has a domain"),
        // The app fetches the key set from jwksUri (the issuer by default).
        key_set: url("jwksUri")
            .or_else(|| url("issuer"))
            .expect("config.json has a jwksUri or issuer"),
        // The API's origin: every `apis` entry of a test shares one.
        api: url("apiUrl").or_else(|| app_config["apis"][0]["url"].as_str().map(str::to_owned)),
    };
    csp::build(index_html, &hosts).expect("a CSP for the test's hosts")
}

/// The security headers CloudFront adds to every response (minus HSTS,
/// which a browser ignores on http://127.0.0.1 anyway).
pub fn production_headers(policy: &str) -> Vec<(HeaderName, HeaderValue)> {
    headers::production_headers(headers::HOSTING_TEMPLATE, policy)
        .expect("infra/hosting.yaml's response headers policy")
        .into_iter()
        .map(|(name, value)| {
            (
                HeaderName::try_from(name.to_ascii_lowercase()).expect("a header name"),
                HeaderValue::try_from(value).expect("a header value"),
            )
        })
        .collect()
}
