//! The hosted UI's sign-up, confirmation and forgot-password pages: after
//! sign-up and the emailed code the user lands signed in on the callback.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::Value;

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn sign_up_confirm_lands_signed_in_on_the_callback() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let login = s.get(&format!("/login?{q}")).await.text().await.unwrap();
    assert!(
        login.contains(&format!("href=\"/signup?{}\"", devstack::http::escape(&q))),
        "{login}"
    );
    assert!(login.contains("Forgot your password?"));

    let page = s.get(&format!("/signup?{q}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    // Mona's sign-up form, posted from the page `html` with `password`.
    let sign_up = |html: String, password: &'static str| {
        let csrf = csrf_of(&html);
        s.browser
            .post(s.ui(&format!("/signup?{q}")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "mona"),
                ("email", "mona@example.com"),
                ("password", password),
            ])
            .send()
    };
    let weak = sign_up(page.text().await.unwrap(), "weak")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        weak.contains("Password did not conform with policy"),
        "{weak}"
    );
    let confirm = sign_up(weak, "Mona-passw0rd")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(confirm.contains("m***@e***.com"), "{confirm}");
    let code = outbox_code(&s, "mona", "SIGN_UP").await;
    let post = |code: String, html: String| {
        let csrf = csrf_of(&html);
        let ticket = field(&html, "ticket");
        s.browser
            .post(s.ui(&format!("/confirm?{q}")))
            .form(&[
                ("_csrf", csrf),
                ("username", "mona".into()),
                ("ticket", ticket),
                ("code", code),
            ])
            .send()
    };
    let wrong = post("000000".into(), confirm.clone()).await.unwrap();
    let wrong_html = if code == "000000" {
        confirm.clone()
    } else {
        let t = wrong.text().await.unwrap();
        assert!(t.contains("Invalid verification code"), "{t}");
        t
    };
    let res = post(code, wrong_html).await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let loc = location(&res);
    assert!(loc.starts_with(CALLBACK), "{loc}");
    let code = params_of(&loc, false)["code"].clone();
    let tokens: Value = s.exchange(&code).await.json().await.unwrap();
    let id = tokens["id_token"].as_str().unwrap();
    assert_eq!(payload(id)["cognito:username"], "mona");
    assert_eq!(payload(id)["email_verified"], true);
    assert_eq!(s.book(Some(id)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn forgot_password_pages_reset_the_password() {
    let s = stack().await;
    let q = s.authorize_query(&[]);
    let page = s
        .get(&format!("/forgotPassword?{q}"))
        .await
        .text()
        .await
        .unwrap();
    let reset = s
        .browser
        .post(s.ui(&format!("/forgotPassword?{q}")))
        .form(&[("_csrf", csrf_of(&page).as_str()), ("username", "demo")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(reset.contains("d***@e***.com"), "{reset}");
    let code = outbox_code(&s, "demo", "FORGOT_PASSWORD").await;
    let res = s
        .browser
        .post(s.ui(&format!("/confirmForgotPassword?{q}")))
        .form(&[
            ("_csrf", csrf_of(&reset).as_str()),
            ("username", "demo"),
            ("code", code.as_str()),
            ("password", "Reset-passw0rd"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert!(location(&res).starts_with("/login?"));
    assert_eq!(
        s.login(&q, "demo", PASSWORD).await.status(),
        StatusCode::OK,
        "old password refused"
    );
    assert_eq!(
        s.login(&q, "demo", "Reset-passw0rd").await.status(),
        StatusCode::FOUND
    );
}

#[tokio::test]
async fn pages_need_a_valid_query_and_csrf() {
    let s = stack().await;
    assert_eq!(
        s.get("/signup?client_id=nope").await.status(),
        StatusCode::BAD_REQUEST
    );
    let q = s.authorize_query(&[]);
    let res = s
        .browser
        .post(s.ui(&format!("/signup?{q}")))
        .form(&[
            ("_csrf", "forged"),
            ("username", "x"),
            ("password", "Xx-passw0rd"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
