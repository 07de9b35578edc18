use crate::common::*;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_page_is_a_labelled_form_with_csrf() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let res = s.get(&format!("/login?{q}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let cookies = set_cookies(res.headers());
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("XSRF-TOKEN=") && c.contains("HttpOnly")));
    let html = res.text().await.unwrap();
    assert!(html.contains("<label for=\"username\">"));
    assert!(html.contains("<label for=\"password\">"));
    assert!(html.contains("type=\"password\""));
    assert!(!csrf_of(&html).is_empty());
    // The original authorize query is carried in the form action.
    assert!(html.contains("action=\"/login?response_type=code&amp;client_id="));
    // Bad client on /login: error page, no form.
    let res = s
        .get(&format!(
            "/login?{}",
            s.authorize_query(&[("redirect_uri", "http://x/")])
        ))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csrf_is_required_and_must_match() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let page = s.get(&format!("/login?{q}")).await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let post = |form: Vec<(&'static str, String)>, client: reqwest::Client| {
        let url = s.ui(&format!("/login?{q}"));
        async move { client.post(url).form(&form).send().await.unwrap() }
    };
    let creds = || {
        vec![
            ("username", "demo".to_string()),
            ("password", PASSWORD.to_string()),
        ]
    };
    // Missing field.
    let res = post(creds(), s.browser.clone()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("location").is_none());
    // Wrong field.
    let mut f = creds();
    f.push(("_csrf", "forged".into()));
    let res = post(f, s.browser.clone()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Right field but no cookie (another browser).
    let mut f = creds();
    f.push(("_csrf", csrf.clone()));
    let res = post(f.clone(), browser()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Right field and cookie.
    let res = post(f, s.browser.clone()).await;
    assert_eq!(res.status(), StatusCode::FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_shows_the_form_again() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    for (user, pass) in [("demo", "nope"), ("nobody", PASSWORD), ("demo", "")] {
        let res = s.login(&q, user, pass).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers().get("location").is_none());
        assert!(!set_cookies(res.headers())
            .iter()
            .any(|c| c.starts_with("cognito=")));
        let html = res.text().await.unwrap();
        assert!(html.contains("Incorrect username or password."));
        assert!(html.contains("name=\"_csrf\""));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn successful_login_sets_the_session_and_redirects_with_code_and_state() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let res = s.login(&q, "demo", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let cookie = set_cookies(res.headers())
        .into_iter()
        .find(|c| c.starts_with("cognito="))
        .expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=3600"] {
        assert!(cookie.contains(attr), "{cookie}");
    }
    let loc = location(&res);
    assert!(loc.starts_with(&format!("{CALLBACK}?")));
    let p = params_of(&loc, false);
    assert_eq!(p["state"], "c3RhdGUx");
    assert!(p["code"].len() >= 32);

    // The session skips the form on the next authorize, for any flow.
    let res = s
        .get(&format!(
            "/oauth2/authorize?{}",
            s.authorize_query(&[("state", "two")])
        ))
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let p = params_of(&location(&res), false);
    assert_eq!(p["state"], "two");
    let code = p["code"].clone();
    assert_eq!(s.exchange(&code).await.status(), StatusCode::OK);

    // …for one hour only.
    s.clock.advance(3601);
    let res = s
        .get(&format!("/oauth2/authorize?{}", s.authorize_query(&[])))
        .await;
    assert!(location(&res).starts_with("/login?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_flow_puts_tokens_in_the_fragment() {
    let s = stack().await;
    let q = s.authorize_query(&[
        ("response_type", "token"),
        ("code_challenge", ""),
        ("code_challenge_method", ""),
    ]);
    let res = s.login(&q, "demo", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let loc = location(&res);
    let url = url::Url::parse(&loc).unwrap();
    assert_eq!(url.query(), None);
    let p = params_of(&loc, true);
    assert_eq!(p["token_type"], "Bearer");
    assert_eq!(p["expires_in"], "3600");
    assert_eq!(p["state"], "c3RhdGUx");
    assert!(!p.contains_key("refresh_token"));
    let id = payload(&p["id_token"]);
    assert_eq!(id["at_hash"], devstack::mint::at_hash(&p["access_token"]));
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");

    // No openid → no id_token.
    let q = s.authorize_query(&[("response_type", "token"), ("scope", "books/read")]);
    let res = s.get(&format!("/oauth2/authorize?{q}")).await;
    let p = params_of(&location(&res), true);
    assert!(!p.contains_key("id_token"));
    assert_eq!(payload(&p["access_token"])["scope"], "books/read");
}

fn error_text(html: &str) -> Option<&str> {
    const MARK: &str = "id=\"login-error\">";
    let start = html.find(MARK)? + MARK.len();
    Some(&html[start..start + html[start..].find('<')?])
}

/// Cognito: after 5 failed sign-ins the user is locked out for 1 s, and
/// the lockout doubles with each further failure; during it every attempt,
/// the right password included, is "Password attempts exceeded".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_sign_ins_are_throttled_with_a_growing_lockout() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let attempt = |password: &'static str| {
        let s = &s;
        let q = q.clone();
        async move { s.login(&q, "demo", password).await }
    };
    for _ in 0..5 {
        let res = attempt("wrong").await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap();
        assert_eq!(error_text(&html), Some("Incorrect username or password."));
    }
    let res = attempt(PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK, "locked: no redirect");
    let html = res.text().await.unwrap();
    assert_eq!(error_text(&html), Some("Password attempts exceeded"));
    // The 1 s lockout ends; the sixth failure locks for 2 s.
    s.clock.advance(1);
    let html = attempt("wrong").await.text().await.unwrap();
    assert_eq!(error_text(&html), Some("Incorrect username or password."));
    s.clock.advance(1);
    let html = attempt(PASSWORD).await.text().await.unwrap();
    assert_eq!(error_text(&html), Some("Password attempts exceeded"));
    s.clock.advance(1);
    assert_eq!(attempt(PASSWORD).await.status(), StatusCode::FOUND);
    // Success resets the count: one failure is just a failure again.
    let html = attempt("wrong").await.text().await.unwrap();
    assert_eq!(error_text(&html), Some("Incorrect username or password."));
    assert_eq!(attempt(PASSWORD).await.status(), StatusCode::FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_per_user_and_hides_whether_a_user_exists() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    for _ in 0..5 {
        s.login(&q, "nobody", "wrong").await;
        s.login(&q, "outsider", "wrong").await;
    }
    for user in ["nobody", "outsider"] {
        let html = s.login(&q, user, "wrong").await.text().await.unwrap();
        assert_eq!(
            error_text(&html),
            Some("Password attempts exceeded"),
            "{user}"
        );
    }
    // demo is not locked by the others' failures.
    assert_eq!(
        s.login(&q, "demo", PASSWORD).await.status(),
        StatusCode::FOUND
    );
}
