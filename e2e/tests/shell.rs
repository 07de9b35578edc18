//! The app shell in a real browser: routes render, reloads work, and a
//! broken config.json stops the app on a page that names the key.

use e2e::{dist_dir, Browser, Site};
use serde_json::json;

fn devstack_like_config() -> serde_json::Value {
    json!({
        "clientId": "client",
        "domain": "http://127.0.0.1:9",
        "region": "us-east-1",
        "userPoolId": "us-east-1_Test"
    })
}

async fn site_with(config: Option<String>) -> Site {
    Site::start(&dist_dir(), config).await
}

#[tokio::test]
async fn home_shows_what_the_app_does_and_the_sign_in_controls() {
    let site = site_with(Some(devstack_like_config().to_string())).await;
    let browser = Browser::start().await;
    browser.goto(&site.url("/")).await;

    let login = browser.testid("login").await;
    assert!(login.is_displayed().await.unwrap());
    let options = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=flow] option')].map(o => o.value)",
        )
        .await;
    assert_eq!(options, json!(["code", "implicit"]));
    let selected = browser
        .eval("return document.querySelector('[data-testid=flow]').value")
        .await;
    assert_eq!(selected, json!("code"), "responseType defaults to code");
    let label = browser
        .eval("return document.querySelector('label[for=flow]').textContent")
        .await;
    assert_eq!(label, json!("Flow"), "the select is labelled");
    let text = browser.body_text().await;
    assert!(
        text.contains("hosted UI"),
        "the page says what the app does:\n{text}"
    );
    assert!(
        !browser.has("#loading").await,
        "the loading line is gone after mount"
    );
    let ready = browser
        .eval("return performance.getEntriesByName('app-ready').length")
        .await;
    assert_eq!(ready, json!(1), "the ready mark is set once");
    browser.close().await;
}

#[tokio::test]
async fn response_type_token_preselects_implicit() {
    let mut config = devstack_like_config();
    config["responseType"] = json!("token");
    let site = site_with(Some(config.to_string())).await;
    let browser = Browser::start().await;
    browser.goto(&site.url("/")).await;
    browser.testid("flow").await;
    let selected = browser
        .eval("return document.querySelector('[data-testid=flow]').value")
        .await;
    assert_eq!(selected, json!("implicit"));
    browser.close().await;
}

#[tokio::test]
async fn unknown_route_shows_not_found_with_a_link_home() {
    let site = site_with(Some(devstack_like_config().to_string())).await;
    let browser = Browser::start().await;
    browser.goto(&site.url("/no/such/page")).await;
    let not_found = browser.testid("not-found").await;
    assert!(not_found.text().await.unwrap().contains("Page not found"));
    browser
        .css("[data-testid=not-found] a[href='/']")
        .await
        .click()
        .await
        .unwrap();
    browser.testid("login").await;
    assert_eq!(browser.current_url().await, site.url("/"));
    browser.close().await;
}

#[tokio::test]
async fn nav_links_route_without_a_page_load() {
    let site = site_with(Some(devstack_like_config().to_string())).await;
    let browser = Browser::start().await;
    browser.goto(&site.url("/no/such/page")).await;
    browser.testid("not-found").await;
    browser.eval("window.__same_page = true; return null").await;
    browser.css("nav a[href='/']").await.click().await.unwrap();
    browser.testid("login").await;
    assert_eq!(
        browser.eval("return window.__same_page === true").await,
        json!(true)
    );
    browser.close().await;
}

async fn assert_config_error(config_text: String, key: Option<&str>, needle: &str) {
    let site = site_with(Some(config_text)).await;
    let browser = Browser::start().await;
    browser.goto(&site.url("/")).await;
    let page = browser.testid("config-error").await;
    let text = page.text().await.unwrap();
    assert!(
        text.contains(needle),
        "the error page should say {needle:?}:\n{text}"
    );
    match key {
        Some(key) => {
            let shown = browser.testid_text("config-error-key").await;
            assert_eq!(shown, key);
        }
        None => assert!(!browser.has("[data-testid=config-error-key]").await),
    }
    assert!(
        !browser.has("[data-testid=login]").await,
        "the app does not run on a bad config"
    );
    browser.close().await;
}

#[tokio::test]
async fn missing_client_id_names_the_key() {
    let mut config = devstack_like_config();
    config.as_object_mut().unwrap().remove("clientId");
    assert_config_error(
        config.to_string(),
        Some("clientId"),
        "is required but missing",
    )
    .await;
}

#[tokio::test]
async fn bad_url_names_the_key() {
    let mut config = devstack_like_config();
    config["domain"] = json!("not a url");
    assert_config_error(
        config.to_string(),
        Some("domain"),
        "not a valid absolute URL",
    )
    .await;
}

#[tokio::test]
async fn hostile_url_scheme_names_the_key() {
    let mut config = devstack_like_config();
    config["redirectUri"] = json!("javascript:alert(document.domain)");
    assert_config_error(
        config.to_string(),
        Some("redirectUri"),
        "not a javascript: URL",
    )
    .await;
}

#[tokio::test]
async fn config_that_is_not_json_is_explained() {
    assert_config_error("{\"clientId\": ".to_owned(), None, "not valid JSON").await;
}

#[tokio::test]
async fn missing_config_json_is_explained() {
    let site = site_with(None).await;
    site.remove_config();
    let browser = Browser::start().await;
    browser.goto(&site.url("/")).await;
    let text = browser.testid_text("config-error").await;
    assert!(
        text.contains("/config.json could not be fetched: the server answered 404 Not Found"),
        "the error page says what the server answered:\n{text}"
    );
    assert!(!browser.has("[data-testid=login]").await);
    let console = browser.console_log().await;
    assert!(
        console.iter().all(|line| !line.contains("Uncaught")),
        "the early fetch leaves no unhandled rejection: {console:?}"
    );
    browser.close().await;
}

/// `cargo xtask demo` serves public/config.json next to a devstack on its
/// default ports: the two must describe the same pool, client and URLs.
#[test]
fn public_config_matches_the_devstack_defaults() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/config.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let seed = devstack::Seed::builtin();
    let expected = devstack::app_config_json_with_apis(
        &seed,
        &format!("http://127.0.0.1:{}", devstack::DEFAULT_HOSTED_UI_PORT),
        &format!(
            "http://127.0.0.1:{}/{}",
            devstack::DEFAULT_API_PORT,
            seed.api.stage
        ),
        None,
    );
    assert_eq!(committed, expected);
}
