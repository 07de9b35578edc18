//! config.json validation (`Config::from_json(text, page_origin)`).
//! Invariants: no panic; an accepted config holds only https URLs, or http
//! on a loopback host (javascript:, data: and friends never get through),
//! and a clock skew within 0..=300.
#![no_main]

use cognito_spa::config::Config;
use libfuzzer_sys::fuzz_target;

fn assert_safe_url(key: &str, text: &str) {
    let url =
        url::Url::parse(text).unwrap_or_else(|e| panic!("{key} {text:?} does not parse: {e}"));
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    assert!(
        url.scheme() == "https" || (url.scheme() == "http" && loopback),
        "{key} accepted {text:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for origin in ["http://localhost:8080", "https://app.example.com"] {
        let Ok(config) = Config::from_json(text, origin) else {
            continue;
        };
        assert_safe_url("domain", &config.domain);
        assert_safe_url("issuer", &config.issuer);
        assert_safe_url("jwksUri", &config.jwks_uri);
        assert_safe_url("redirectUri", &config.redirect_uri);
        assert_safe_url("logoutUri", &config.logout_uri);
        for api in &config.apis {
            assert_safe_url("apis", &api.url);
        }
        assert!((0..=300).contains(&config.clock_skew_seconds));
        assert!(!config.client_id.is_empty());
    }
});
