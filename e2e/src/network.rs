//! Holds the page's own `fetch` calls, so a test can put a request in
//! flight and decide when its answer arrives (a slow token endpoint, a
//! revoke that hangs). Installed per page: a navigation or reload removes
//! it. The app calls `window.fetch`, which the hook replaces.

use crate::Browser;

/// Wraps `window.fetch` once per page; `rule` is added for URLs holding `path`.
const HOOK: &str = r#"
const [path, hang] = arguments;
if (!window.__e2eFetch) {
  window.__e2eFetch = window.fetch;
  window.__e2eRules = {};
  window.fetch = function (input, init) {
    const url = String((input && input.url) || input);
    const rule = Object.values(window.__e2eRules).find((r) => url.includes(r.path));
    if (!rule) return window.__e2eFetch.call(window, input, init);
    rule.calls += 1;
    const answer = rule.hang ? new Promise(() => {}) : window.__e2eFetch.call(window, input, init);
    if (rule.released) return answer;
    return new Promise((resolve, reject) =>
      rule.waiting.push(() => answer.then(resolve, reject)));
  };
}
window.__e2eRules[path] = { path, hang, released: false, calls: 0, waiting: [] };
return null;
"#;

/// Requests to URLs containing `path` go out at once, but their answers
/// reach the app only after [`release`].
pub async fn hold_answers(browser: &Browser, path: &str) {
    install(browser, path, false).await;
}

/// Requests to URLs containing `path` never get an answer.
pub async fn hang(browser: &Browser, path: &str) {
    install(browser, path, true).await;
}

async fn install(browser: &Browser, path: &str, hang: bool) {
    browser
        .client
        .execute(HOOK, vec![path.into(), hang.into()])
        .await
        .expect("install the fetch hook");
}

/// Lets every held answer for `path` through, and later ones at once.
pub async fn release(browser: &Browser, path: &str) {
    browser
        .client
        .execute(
            "const r = window.__e2eRules[arguments[0]]; r.released = true; r.waiting.splice(0).forEach((go) => go()); return null",
            vec![path.into()],
        )
        .await
        .expect("release held answers");
}

/// How many requests the page sent to URLs containing `path` since the
/// hook was installed.
pub async fn calls(browser: &Browser, path: &str) -> u64 {
    browser
        .client
        .execute(
            "const r = window.__e2eRules && window.__e2eRules[arguments[0]]; return r ? r.calls : 0",
            vec![path.into()],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

/// Waits until the page has sent `count` requests to `path`.
pub async fn wait_for_calls(browser: &Browser, path: &str, count: u64) {
    let deadline = std::time::Instant::now() + crate::browser::WAIT;
    while calls(browser, path).await < count {
        assert!(
            std::time::Instant::now() < deadline,
            "the page sent fewer than {count} requests to {path}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
