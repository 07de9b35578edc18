//! The demo user's sign-in through devstack's hosted UI, as a browser does
//! it (the `/login` page, its CSRF field, the form post): shared by the test
//! binaries that need a real authorization code.

/// The callback registered on the built-in seed's app client.
pub const CALLBACK: &str = "http://localhost:8080/callback";
/// RFC 7636's example PKCE pair: the verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The value of the hidden `_csrf` field of a hosted-UI page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// A fresh authorization code (code + PKCE with [`CHALLENGE`]) for demo /
/// Passw0rd! from the hosted UI at `ui`.
pub async fn demo_code(ui: &str, client_id: &str) -> String {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", CALLBACK),
            ("state", "c3RhdGUx"),
            ("scope", "openid email profile"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    let login = format!("{ui}/login?{query}");
    let page = browser.get(&login).send().await.unwrap();
    let csrf = csrf_of(&page.text().await.unwrap());
    let res = browser
        .post(&login)
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "demo"),
            ("password", "Passw0rd!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302, "the hosted UI signs demo in");
    let location = url::Url::parse(res.headers()["location"].to_str().unwrap()).unwrap();
    location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .expect("a code in the redirect")
        .1
        .into_owned()
}
