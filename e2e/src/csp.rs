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

/// infra/hosting.yaml's Permissions-Policy (a test below keeps the two equal).
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=()";

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
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        ),
    ]
}

#[cfg(test)]
mod tests {
    /// The custom headers are typed twice, here and in the template: a
    /// change to one without the other fails here, not in production.
    #[test]
    fn custom_headers_match_the_hosting_template() {
        let template = include_str!("../../infra/hosting.yaml");
        for (name, value) in [
            ("Cross-Origin-Opener-Policy", "same-origin".to_owned()),
            (
                "Permissions-Policy",
                format!("\"{}\"", super::PERMISSIONS_POLICY),
            ),
        ] {
            let entry = format!("- Header: {name}\n");
            let at = template
                .find(&entry)
                .unwrap_or_else(|| panic!("hosting.yaml sets no {name}"));
            let next_line = template[at + entry.len()..].lines().next().unwrap_or("");
            assert_eq!(next_line.trim(), format!("Value: {value}"), "{name}");
        }
    }
}
