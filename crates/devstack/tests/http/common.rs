use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use devstack::{DevStackConfig, Handle, KeyStore, ManualClock, Seed};
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const CALLBACK: &str = "http://localhost:8080/callback";
pub const PASSWORD: &str = "Passw0rd!";

/// RSA keygen is slow: once per test binary, shared by every stack.
pub fn keys() -> KeyStore {
    static KEYS: OnceLock<KeyStore> = OnceLock::new();
    KEYS.get_or_init(|| KeyStore::generate().expect("keygen"))
        .clone()
}

pub struct Stack {
    pub handle: Handle,
    pub clock: ManualClock,
    /// A browser: cookie jar, no automatic redirects.
    pub browser: Client,
}

pub fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

pub async fn stack() -> Stack {
    stack_with(|_| {}).await
}

pub async fn stack_with(tweak: impl FnOnce(&mut DevStackConfig)) -> Stack {
    let clock = ManualClock::starting_now();
    let mut cfg = DevStackConfig::from_seed(Seed::builtin());
    cfg.hosted_ui_port = 0;
    cfg.api_port = 0;
    cfg.keys = Some(keys());
    cfg.clock = Some(clock.clock());
    tweak(&mut cfg);
    let handle = devstack::start(cfg).await.expect("stack starts");
    Stack {
        handle,
        clock,
        browser: browser(),
    }
}

pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("no Location on {}", res.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// Query (or fragment) parameters of a redirect target.
pub fn params_of(loc: &str, fragment: bool) -> HashMap<String, String> {
    let url = url::Url::parse(loc).unwrap();
    let part = if fragment {
        url.fragment().unwrap_or("").to_string()
    } else {
        url.query().unwrap_or("").to_string()
    };
    url::form_urlencoded::parse(part.as_bytes())
        .into_owned()
        .collect()
}

pub fn payload(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

pub fn header(jwt: &str) -> Value {
    let part = jwt.split('.').next().unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

pub fn set_cookies(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

pub fn csrf_of(html: &str) -> String {
    let start = html.find("name=\"_csrf\" value=\"").expect("csrf field") + 20;
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

impl Stack {
    pub fn ui(&self, path: &str) -> String {
        format!("{}{path}", self.handle.hosted_ui_url())
    }

    /// Standard code + PKCE authorize parameters, overridable.
    pub fn authorize_query(&self, extra: &[(&str, &str)]) -> String {
        let client_id = self.handle.client_id();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &client_id),
            ("redirect_uri", CALLBACK),
            ("state", "c3RhdGUx"),
            ("scope", "openid email profile books/read"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("nonce", "n-0S6_WzA2Mj"),
        ];
        for (k, v) in extra {
            pairs.retain(|(pk, _)| pk != k);
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        query(&pairs)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.browser.get(self.ui(path)).send().await.unwrap()
    }

    /// GET /login?q, then POST the form; returns the POST response.
    pub async fn login(&self, q: &str, username: &str, password: &str) -> Response {
        let page = self.get(&format!("/login?{q}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let csrf = csrf_of(&page.text().await.unwrap());
        self.browser
            .post(self.ui(&format!("/login?{q}")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Signs `demo` in with code + PKCE and returns the authorization code.
    pub async fn code_for(&self, extra: &[(&str, &str)], username: &str) -> String {
        let q = self.authorize_query(extra);
        let res = self.login(&q, username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::FOUND);
        params_of(&location(&res), false)["code"].clone()
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> Response {
        Client::new()
            .post(self.ui("/oauth2/token"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn exchange(&self, code: &str) -> Response {
        let client_id = self.handle.client_id();
        self.token(&[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .await
    }

    /// Full sign-in: the token endpoint's JSON.
    pub async fn tokens(&self, extra: &[(&str, &str)], username: &str) -> Value {
        let code = self.code_for(extra, username).await;
        let res = self.exchange(&code).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        let client_id = self.handle.client_id();
        self.token(&[
            ("grant_type", "refresh_token"),
            ("client_id", &client_id),
            ("refresh_token", refresh_token),
        ])
        .await
    }

    /// `POST /oauth2/revoke` of a refresh token by this stack's client.
    pub async fn revoke(&self, refresh_token: &str) -> Response {
        let client_id = self.handle.client_id();
        Client::new()
            .post(self.ui("/oauth2/revoke"))
            .form(&[("token", refresh_token), ("client_id", &client_id)])
            .send()
            .await
            .unwrap()
    }

    /// `GET /oauth2/userInfo` with a bearer access token.
    pub async fn userinfo(&self, access_token: &str) -> Response {
        Client::new()
            .get(self.ui("/oauth2/userInfo"))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap()
    }

    pub async fn book(&self, authorization: Option<&str>) -> Response {
        let mut req = Client::new().get(format!("{}/book", self.handle.api_url()));
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        req.send().await.unwrap()
    }
}

pub async fn error_of(res: Response) -> String {
    let v: Value = res.json().await.unwrap();
    v["error"].as_str().unwrap().to_string()
}

impl Stack {
    /// `POST /_devstack/{name}` as the controls page sends it.
    pub async fn control(&self, name: &str, body: Value) -> Response {
        Client::new()
            .post(self.ui(&format!("/_devstack/{name}")))
            .header("X-Devstack-Control", "1")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn control_state(&self) -> Value {
        let res = reqwest::get(self.ui("/_devstack/state")).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    /// `GET {api_url}{base}/book`: `base` is `""` or `/cognito` and the like.
    pub async fn book_at(&self, base: &str, authorization: Option<&str>) -> Response {
        let mut req = Client::new().get(format!("{}{base}/book", self.handle.api_url()));
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        req.send().await.unwrap()
    }
}

pub const SIGV4: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
/// The built-in seed's user pool.
pub const POOL: &str = "us-east-1_DevStack1";

/// A user-pool JSON API answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn error(&self) -> (&str, &str) {
        (
            self.body["__type"].as_str().unwrap_or(""),
            self.body["message"].as_str().unwrap_or(""),
        )
    }
}

pub async fn call_raw(s: &Stack, target: Option<&str>, body: Vec<u8>, signed: bool) -> Answer {
    let mut req = Client::new()
        .post(s.ui("/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .body(body);
    if let Some(t) = target {
        req = req.header("X-Amz-Target", t);
    }
    if signed {
        req = req.header("Authorization", SIGV4);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        body,
    }
}

/// A user-pool JSON API call, signed (with a dummy SigV4 header) where AWS
/// wants it signed.
pub async fn call(s: &Stack, op: &str, body: Value) -> Answer {
    let signed = op.starts_with("Admin") || op == "ListUsers" || op.starts_with("Describe");
    call_raw(
        s,
        Some(&format!("AWSCognitoIdentityProviderService.{op}")),
        body.to_string().into_bytes(),
        signed,
    )
    .await
}

/// InitiateAuth USER_PASSWORD_AUTH with the stack's client.
pub async fn password_auth(s: &Stack, user: &str, password: &str) -> Answer {
    call(
        s,
        "InitiateAuth",
        json!({
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": s.handle.client_id(),
            "AuthParameters": {"USERNAME": user, "PASSWORD": password},
        }),
    )
    .await
}

/// The newest code of `kind` (SIGN_UP, FORGOT_PASSWORD, ...) the outbox
/// holds for `username`: six digits.
pub async fn outbox_code(s: &Stack, username: &str, kind: &str) -> String {
    let v: Value = reqwest::get(s.ui("/_devstack/outbox"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let messages = v["messages"].as_array().unwrap();
    let m = messages
        .iter()
        .rev()
        .find(|m| m["username"] == username && m["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} message for {username}: {messages:?}"));
    let code = m["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    code
}
