//! Signs in at devstack's hosted UI outside the browser, to get the exact
//! answer (code or tokens) the browser would have been sent, so attack tests
//! can alter it before handing it to the app.

use reqwest::redirect::Policy;

/// Logs in at the hosted UI login page `login_url` (the address the browser
/// shows after clicking `login`, carrying the app's own `state`, `nonce`
/// and PKCE challenge) and returns where the hosted UI redirects: the app's
/// callback address with the code or tokens.
pub async fn answer_for(login_url: &str, user: &str, password: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .expect("http client");
    let page = client
        .get(login_url)
        .send()
        .await
        .expect("GET the login page")
        .text()
        .await
        .expect("login page text");
    let csrf = hidden_value(&page, "_csrf").expect("the login form has a CSRF token");
    let query = login_url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let origin: String = login_url.split('/').take(3).collect::<Vec<_>>().join("/");
    let response = client
        .post(format!("{origin}/login?{query}"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", user),
            ("password", password),
        ])
        .send()
        .await
        .expect("POST the login form");
    assert!(
        response.status().is_redirection(),
        "the login should redirect, got {}",
        response.status()
    );
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_owned()
}

fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Replaces one parameter's value in a query string or fragment.
pub fn replace_param(params: &str, name: &str, value: &str) -> String {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(params.as_bytes())
        .map(|(k, v)| {
            let v = if k == name {
                value.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// One parameter's value from a query string or fragment.
pub fn param(params: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(params.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A JWT with one byte of its signature changed.
pub fn tamper_signature(jwt: &str) -> String {
    let (signed, signature) = jwt.rsplit_once('.').expect("a JWT");
    let mut chars: Vec<char> = signature.chars().collect();
    chars[0] = if chars[0] == 'A' { 'B' } else { 'A' };
    format!("{signed}.{}", chars.into_iter().collect::<String>())
}
