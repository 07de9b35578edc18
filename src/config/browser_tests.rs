//! The URL rules again, in headless Chromium: there the browser's own URL
//! parser does the parsing, so these prove it agrees with the native one.

use serde_json::json;
use wasm_bindgen_test::*;

use super::{Config, ConfigError};

wasm_bindgen_test_configure!(run_in_browser);

fn check(key: &str, value: &str) -> Result<Config, ConfigError> {
    let mut config = json!({
        "clientId": "abc123",
        "domain": "https://myprefix.auth.eu-west-1.amazoncognito.com",
        "region": "eu-west-1",
        "userPoolId": "eu-west-1_AbCdEf123"
    });
    config[key] = json!(value);
    Config::from_json(&config.to_string(), "http://localhost:8080")
}

fn refused(key: &str, value: &str, needle: &str) {
    let error = check(key, value).expect_err(value);
    assert_eq!(error.key.as_deref(), Some(key));
    assert!(error.problem.contains(needle), "{error}");
}

#[wasm_bindgen_test]
fn valid_urls_are_normalised_like_natively() {
    let config = check("domain", "http://127.0.0.1:4010/").unwrap();
    assert_eq!(config.domain, "http://127.0.0.1:4010");
    let config = check("apiUrl", "https://API.example.com/prod/").unwrap();
    assert_eq!(config.apis[0].url, "https://api.example.com/prod");
    assert!(check("domain", "http://[::1]:8080").is_ok());
    assert!(check("domain", "http://localhost").is_ok());
}

#[wasm_bindgen_test]
fn bad_and_hostile_urls_are_refused_by_the_browser_parser() {
    refused("domain", "not a url", "not a valid absolute URL");
    refused(
        "redirectUri",
        "javascript:alert(1)",
        "not a javascript: URL",
    );
    refused("logoutUri", "data:text/html,hi", "not a data: URL");
    refused(
        "jwksUri",
        "http://evil.example/jwks.json",
        "must use https:",
    );
    refused("domain", "https://d.example.com/login", "bare origin");
    refused("domain", "https://d.example.com/#x", "bare origin");
}
