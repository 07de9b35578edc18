//! What an answer of `GET {api}/book` means, in words, from what the page
//! can know: the API's authorizer (when config.json's `apis` names it), the
//! token it sent, the status (or a network error) and the body. Follows
//! docs/protocol.md, "What API Gateway answers the browser".

use serde_json::Value;

use crate::config::Authorizer;
use crate::explain::tone::Tone;

/// Which token the call sent (the `book-token` select).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenChoice {
    Id,
    Access,
    None,
}

impl TokenChoice {
    pub const ALL: [TokenChoice; 3] = [TokenChoice::Id, TokenChoice::Access, TokenChoice::None];

    pub fn value(self) -> &'static str {
        match self {
            TokenChoice::Id => "id",
            TokenChoice::Access => "access",
            TokenChoice::None => "none",
        }
    }

    pub fn from_value(value: &str) -> Option<TokenChoice> {
        TokenChoice::ALL.into_iter().find(|c| c.value() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            TokenChoice::Id => "ID token",
            TokenChoice::Access => "access token",
            TokenChoice::None => "no token",
        }
    }
}

/// What came back: an HTTP status, or nothing the page could read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    NetworkError,
}

impl Outcome {
    /// The `book-status` text.
    pub fn label(self) -> String {
        match self {
            Outcome::Status(code) => code.to_string(),
            Outcome::NetworkError => "network-error".to_owned(),
        }
    }
}

/// Everything the explanation depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFacts {
    /// The called API's authorizer; `Unknown` for `apiUrl`.
    pub authorizer: Authorizer,
    /// The method's OAuth scopes (a `cognito-scopes` API).
    pub method_scopes: Vec<String>,
    pub choice: TokenChoice,
    pub outcome: Outcome,
    pub body: String,
    /// The sent token's `exp` is in the past (by the browser's clock).
    pub token_expired: bool,
    /// The sent token's scopes (empty for an ID token or no token).
    pub token_scopes: Vec<String>,
}

/// The console's explanation of one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub tone: Tone,
    pub title: String,
    pub details: Vec<String>,
    /// A 401 for an expired token: refresh the session once, then retry.
    pub expired: bool,
}

/// One line on what the API's authorizer takes, under the console's select.
pub fn authorizer_summary(authorizer: Authorizer, method_scopes: &[String]) -> String {
    match authorizer {
        Authorizer::Unknown => "Which token passes depends on the API's authorizer; with `apis` in config.json, the console explains each answer for exactly that authorizer.".into(),
        Authorizer::Cognito => "Authorizer: Cognito user pool, no OAuth scopes on the method: it takes the ID token.".into(),
        Authorizer::CognitoScopes => format!(
            "Authorizer: Cognito user pool with the method scopes {}: it takes an access token that carries one of them.",
            method_scopes.join(", ")
        ),
        Authorizer::Lambda => "Authorizer: Lambda TOKEN (crates/authorizer): it takes the access token, and its policy allows methods per scope (by default, books/read allows GET /book).".into(),
    }
}

const EXPIRED_MESSAGE: &str = "The incoming token has expired";

/// API Gateway's `message` (or Lambda-authorizer `Message`) in a body.
fn gateway_message(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    value
        .get("message")
        .or_else(|| value.get("Message"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Whether an answer says the token expired: the gateway's message, or a
/// 401 for a token whose `exp` has passed.
pub fn is_expired(facts: &CallFacts) -> bool {
    facts.outcome == Outcome::Status(401)
        && facts.choice != TokenChoice::None
        && (facts.token_expired
            || gateway_message(&facts.body).is_some_and(|m| m == EXPIRED_MESSAGE))
}

pub fn explain(facts: &CallFacts) -> Explanation {
    match facts.outcome {
        Outcome::NetworkError => network_error(facts),
        Outcome::Status(200..=299) => success(facts),
        Outcome::Status(401) => unauthorized(facts),
        Outcome::Status(403) => forbidden(facts),
        Outcome::Status(code @ 500..=599) => server_error(code, facts),
        Outcome::Status(code) => Explanation {
            tone: Tone::Warn,
            title: format!("HTTP {code}: an answer this console does not expect from GET /book"),
            details: vec![
                "API Gateway authorizers answer 401, 403 or 500; this status came from somewhere else (the backend, a proxy, or a wrong apiUrl).".into(),
            ],
            expired: false,
        },
    }
}

fn success(facts: &CallFacts) -> Explanation {
    let mut details = vec![format!(
        "The authorizer accepted the {} and API Gateway ran the backend.",
        facts.choice.label()
    )];
    let authorizer = serde_json::from_str::<Value>(&facts.body)
        .ok()
        .and_then(|v| v.get("authorizer").cloned());
    if let Some(Value::Object(passed)) = authorizer {
        let text = |k: &str| passed.get(k).and_then(Value::as_str).map(str::to_owned);
        match text("kind").as_deref() {
            Some("lambda") => details.push(format!(
                "The Lambda authorizer allowed the call and passed on principalId {} and its context (username {}, scopes {}); the backend reads them as strings in requestContext.authorizer.",
                text("principalId").unwrap_or_else(|| "?".into()),
                text("username").unwrap_or_else(|| "?".into()),
                text("scopes").unwrap_or_else(|| "none".into()),
            )),
            Some(kind) => {
                let claims = passed
                    .get("claims")
                    .and_then(Value::as_object)
                    .map(|c| c.len())
                    .unwrap_or(0);
                let scoped = if kind == "cognito-scopes" {
                    " with method scopes"
                } else {
                    ""
                };
                details.push(format!(
                    "The Cognito user pool authorizer{scoped} verified the token and passed on its {claims} claims, every one as a string, in requestContext.authorizer.claims (user {}).",
                    text("username").unwrap_or_else(|| "?".into()),
                ));
            }
            None => {}
        }
    }
    if facts.choice == TokenChoice::None {
        details
            .push("No token was sent, yet the call passed: this method has no authorizer.".into());
    }
    Explanation {
        tone: Tone::Ok,
        title: "200 OK: the API accepted the call".into(),
        details,
        expired: false,
    }
}

fn unauthorized(facts: &CallFacts) -> Explanation {
    let refused = |title: &str, details: Vec<String>| Explanation {
        tone: Tone::Bad,
        title: title.to_owned(),
        details,
        expired: false,
    };
    if facts.choice == TokenChoice::None {
        return refused(
            "401 Unauthorized: no token",
            vec![
                "No Authorization header was sent. Every authorizer refuses that with 401 {\"message\":\"Unauthorized\"} (a Lambda TOKEN authorizer is not even invoked).".into(),
                "Choose the ID or access token and call again.".into(),
            ],
        );
    }
    if is_expired(facts) {
        return Explanation {
            tone: Tone::Warn,
            title: "401 Unauthorized: the token has expired".into(),
            details: vec![
                format!(
                    "The {} is past its exp, so the authorizer refused it{}.",
                    facts.choice.label(),
                    if gateway_message(&facts.body).as_deref() == Some(EXPIRED_MESSAGE) {
                        " with \"The incoming token has expired\""
                    } else {
                        ""
                    }
                ),
                "Tokens live 5 minutes to a day (an hour by default). The app refreshes them with the refresh token; after a refresh, call again.".into(),
            ],
            expired: true,
        };
    }
    let details = match facts.authorizer {
        Authorizer::Unknown => unknown_authorizer_refused(facts.choice),
        Authorizer::Cognito => cognito_refused(facts.choice),
        Authorizer::CognitoScopes => scoped_cognito_refused(facts),
        Authorizer::Lambda => lambda_refused(facts.choice),
    };
    refused(
        &format!(
            "401 Unauthorized: the authorizer refused the {}",
            facts.choice.label()
        ),
        details,
    )
}

/// `apiUrl`: the authorizer is not known, so name what each kind would mean.
fn unknown_authorizer_refused(choice: TokenChoice) -> Vec<String> {
    match choice {
        TokenChoice::Access => vec![
            "Under a Cognito user pool authorizer with no OAuth scopes on the method, API Gateway treats the token as an ID token: an access token has no aud, so it is refused with 401. Send the ID token, or add scopes to the method.".into(),
            "With method scopes, the access token must share one of them; with a Lambda authorizer, the token failed the Lambda's checks.".into(),
        ],
        TokenChoice::Id => vec![
            "Under a Cognito authorizer with OAuth scopes on the method, only an access token passes: an ID token has no scope claim. A Lambda authorizer that expects access tokens refuses it too. Send the access token.".into(),
            "Otherwise the token is not one this authorizer accepts: another user pool or app client, a bad signature, or a garbled header.".into(),
        ],
        TokenChoice::None => Vec::new(),
    }
}

/// What a token from elsewhere looks like to any authorizer.
const FOREIGN_TOKEN: &str = "it comes from another user pool or app client, its signature does not verify (tampered, or signed with a key the pool no longer publishes), or the header is garbled";

fn cognito_refused(choice: TokenChoice) -> Vec<String> {
    match choice {
        TokenChoice::Access => vec![
            "This API's Cognito user pool authorizer has no OAuth scopes on the method, so API Gateway treats the token as an ID token: an access token has no aud claim, and is refused.".into(),
            "Send the ID token, or call an API whose method has OAuth scopes (those take access tokens).".into(),
        ],
        TokenChoice::Id => vec![format!(
            "This API's Cognito user pool authorizer takes ID tokens of its pool, yet refused this one: {FOREIGN_TOKEN}."
        )],
        TokenChoice::None => Vec::new(),
    }
}

fn scoped_cognito_refused(facts: &CallFacts) -> Vec<String> {
    let wanted = facts.method_scopes.join(", ");
    match facts.choice {
        TokenChoice::Id => vec![
            format!("This method has OAuth scopes ({wanted}), so API Gateway takes only an access token that carries one of them; an ID token has no scope claim, and is refused."),
            "Send the access token.".into(),
        ],
        TokenChoice::Access => {
            let shared = facts
                .token_scopes
                .iter()
                .find(|s| facts.method_scopes.contains(s));
            match shared {
                Some(scope) => vec![format!(
                    "The access token carries {scope}, which this method asks for, yet it was refused: {FOREIGN_TOKEN}."
                )],
                None => vec![
                    format!(
                        "This method asks for one of the scopes {wanted}; the access token carries {}.",
                        scopes_or_none(&facts.token_scopes)
                    ),
                    "Cognito answers a missing scope with 401, not 403. To fix: add the scope to config.json's scopes (it must be allowed on the app client) and sign in again.".into(),
                ],
            }
        }
        TokenChoice::None => Vec::new(),
    }
}

fn lambda_refused(choice: TokenChoice) -> Vec<String> {
    match choice {
        TokenChoice::Id => vec![
            "This API's Lambda TOKEN authorizer (crates/authorizer) takes access tokens only: the ID token's token_use is id, so the Lambda answered Unauthorized, which API Gateway turns into this 401.".into(),
            "Send the access token.".into(),
        ],
        TokenChoice::Access => vec![format!(
            "The Lambda authorizer verified the access token and found it invalid, so it answered Unauthorized: {FOREIGN_TOKEN}."
        )],
        TokenChoice::None => Vec::new(),
    }
}

fn scopes_or_none(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "no scopes".to_owned()
    } else {
        format!("the scopes {}", scopes.join(", "))
    }
}

fn forbidden(facts: &CallFacts) -> Explanation {
    let message = gateway_message(&facts.body).unwrap_or_default();
    if message == "Missing Authentication Token" {
        return Explanation {
            tone: Tone::Bad,
            title: "403 Missing Authentication Token: no such route".into(),
            details: vec!["Despite the words, this is API Gateway's answer for a path or method it does not have: check the API URL in config.json (apiUrl, or url in apis: the stage base, e.g. ending in /prod) and the route.".into()],
            expired: false,
        };
    }
    if matches!(
        facts.authorizer,
        Authorizer::Cognito | Authorizer::CognitoScopes
    ) {
        return Explanation {
            tone: Tone::Bad,
            title: "403 Forbidden: not from the authorizer".into(),
            details: vec![
                "A Cognito user pool authorizer refuses a token with 401, never 403, so this answer came from elsewhere in API Gateway: a resource policy, an AWS WAF rule, or an API key requirement on the method.".into(),
            ],
            expired: false,
        };
    }
    let mut details = Vec::new();
    if message.contains("explicit deny") {
        details.push("The Lambda authorizer verified the token, then returned a policy with Effect Deny for this method: the token lacks the scope its policy asks for (in this demo, books/read allows GET /book).".into());
    } else {
        details.push("The authorizer's policy has no statement allowing this method (or a cached policy from another route was reused).".into());
    }
    details.push(if facts.token_scopes.is_empty() {
        format!("The {} carries no scopes.", facts.choice.label())
    } else {
        format!(
            "The {} carries the scopes: {}.",
            facts.choice.label(),
            facts.token_scopes.join(", ")
        )
    });
    details.push("To fix: sign in with the missing scope in config.json's scopes (and allowed on the app client), or change the authorizer's policy.".into());
    Explanation {
        tone: Tone::Bad,
        title: "403 Forbidden: the authorizer denied access".into(),
        details,
        expired: false,
    }
}

fn server_error(code: u16, facts: &CallFacts) -> Explanation {
    let message = gateway_message(&facts.body);
    let details = if code == 500 && message.is_none() {
        vec![
            "A 500 with {\"message\": null} is API Gateway's AuthorizerConfigurationException: the Lambda authorizer threw, timed out, or returned an invalid policy (null policy, nested context). Check its logs and its permission to be invoked.".into(),
        ]
    } else {
        vec![format!(
            "HTTP {code}: the authorizer or backend is misconfigured or failing (an authorizer error gives 500 AuthorizerConfigurationException; 502 a backend that returned a malformed answer; 504 a timeout). The request itself may be fine.",
        )]
    };
    Explanation {
        tone: Tone::Bad,
        title: format!("{code}: a server-side failure"),
        details,
        expired: false,
    }
}

fn network_error(facts: &CallFacts) -> Explanation {
    let _ = facts;
    Explanation {
        tone: Tone::Bad,
        title: "network-error: the browser hid the answer".into(),
        details: vec![
            "Most often this is API Gateway's own 401 or 403 (from the authorizer) sent without CORS headers: gateway-generated 4xx and 5xx carry no Access-Control-Allow-Origin by default, so the browser refuses to show the page the status and reports a network error. The network tab of the developer tools shows the real status.".into(),
            "Fix: add DEFAULT_4XX and DEFAULT_5XX gateway responses with the headers gatewayresponse.header.Access-Control-Allow-Origin and Access-Control-Allow-Headers, then redeploy the stage.".into(),
            "Other causes: apiUrl points to a host that is down or unreachable, or the OPTIONS preflight has an authorizer (preflights carry no Authorization header).".into(),
        ],
        expired: false,
    }
}

/// One response header the console shows, and whether the page could read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderRow {
    pub name: &'static str,
    pub value: Option<String>,
    pub note: &'static str,
}

/// The headers worth seeing; cross-origin, a page reads only CORS-safelisted
/// ones (content-type...) and those in Access-Control-Expose-Headers.
pub const SHOWN_HEADERS: [&str; 4] = [
    "content-type",
    "x-amzn-ErrorType",
    "x-amzn-RequestId",
    "access-control-allow-origin",
];

pub fn header_rows(read: impl Fn(&str) -> Option<String>) -> Vec<HeaderRow> {
    SHOWN_HEADERS
        .iter()
        .map(|&name| {
            let value = read(name);
            let note = match (name, value.is_some()) {
                (_, true) => "",
                ("content-type", false) => "not sent",
                ("access-control-allow-origin", false) => "hidden from scripts, but it was there: without it the browser would not have shown this answer at all",
                (_, false) => "not readable: the API does not list it in Access-Control-Expose-Headers (or did not send it)",
            };
            HeaderRow { name, value, note }
        })
        .collect()
}

/// JSON pretty-printed; anything else as received.
pub fn pretty_body(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_else(|_| body.to_owned()),
        Err(_) => body.to_owned(),
    }
}

/// One line of the call history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The called API's `name`.
    pub api: String,
    pub choice: TokenChoice,
    pub outcome: Outcome,
    pub latency_ms: u32,
    pub title: String,
}

pub const HISTORY_LEN: usize = 5;

/// The newest first, at most [`HISTORY_LEN`].
pub fn push_history(history: &mut Vec<HistoryEntry>, entry: HistoryEntry) {
    history.insert(0, entry);
    history.truncate(HISTORY_LEN);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(choice: TokenChoice, outcome: Outcome, body: &str) -> CallFacts {
        CallFacts {
            authorizer: Authorizer::Unknown,
            method_scopes: vec![],
            choice,
            outcome,
            body: body.into(),
            token_expired: false,
            token_scopes: vec![],
        }
    }

    fn behind(authorizer: Authorizer, choice: TokenChoice, status: u16, body: &str) -> CallFacts {
        let mut f = facts(choice, Outcome::Status(status), body);
        f.authorizer = authorizer;
        if authorizer == Authorizer::CognitoScopes {
            f.method_scopes = vec!["books/read".into()];
        }
        f
    }

    #[test]
    fn a_401_behind_a_cognito_authorizer_without_scopes_says_send_the_id_token() {
        let e = explain(&behind(
            Authorizer::Cognito,
            TokenChoice::Access,
            401,
            UNAUTHORIZED,
        ));
        let all = e.details.join(" ");
        assert!(
            all.contains("This API's Cognito user pool authorizer has no OAuth scopes"),
            "{all}"
        );
        assert!(all.contains("Send the ID token"), "{all}");
        assert!(
            !all.contains("Lambda"),
            "only this authorizer is explained: {all}"
        );
        let e = explain(&behind(
            Authorizer::Cognito,
            TokenChoice::Id,
            401,
            UNAUTHORIZED,
        ));
        assert!(e.details.join(" ").contains("another user pool"));
    }

    #[test]
    fn a_401_behind_method_scopes_names_the_scopes_it_wanted() {
        let e = explain(&behind(
            Authorizer::CognitoScopes,
            TokenChoice::Id,
            401,
            UNAUTHORIZED,
        ));
        let all = e.details.join(" ");
        assert!(all.contains("OAuth scopes (books/read)"), "{all}");
        assert!(all.contains("Send the access token"), "{all}");

        let mut without = behind(
            Authorizer::CognitoScopes,
            TokenChoice::Access,
            401,
            UNAUTHORIZED,
        );
        without.token_scopes = vec!["openid".into(), "email".into()];
        let all = explain(&without).details.join(" ");
        assert!(
            all.contains("asks for one of the scopes books/read"),
            "{all}"
        );
        assert!(all.contains("carries the scopes openid, email"), "{all}");

        let mut with = without.clone();
        with.token_scopes.push("books/read".into());
        let all = explain(&with).details.join(" ");
        assert!(
            all.contains("carries books/read, which this method asks for"),
            "{all}"
        );
    }

    #[test]
    fn a_401_behind_the_lambda_authorizer_says_it_takes_access_tokens() {
        let e = explain(&behind(
            Authorizer::Lambda,
            TokenChoice::Id,
            401,
            UNAUTHORIZED,
        ));
        let all = e.details.join(" ");
        assert!(all.contains("takes access tokens only"), "{all}");
        assert!(!all.contains("Cognito user pool authorizer"), "{all}");
        let e = explain(&behind(
            Authorizer::Lambda,
            TokenChoice::Access,
            401,
            UNAUTHORIZED,
        ));
        assert!(e.details[0].contains("found it invalid"));
    }

    #[test]
    fn a_403_behind_a_cognito_authorizer_is_not_the_authorizer() {
        let e = explain(&behind(
            Authorizer::CognitoScopes,
            TokenChoice::Access,
            403,
            DENY,
        ));
        assert!(e.title.contains("not from the authorizer"), "{}", e.title);
        // The Lambda's explicit deny keeps its explanation.
        let e = explain(&behind(Authorizer::Lambda, TokenChoice::Access, 403, DENY));
        assert!(e.details[0].contains("Effect Deny"));
        // And a wrong route is a wrong route behind any authorizer.
        let route = r#"{"message":"Missing Authentication Token"}"#;
        let e = explain(&behind(Authorizer::Cognito, TokenChoice::Id, 403, route));
        assert!(e.title.contains("no such route"));
    }

    const UNAUTHORIZED: &str = r#"{"message":"Unauthorized"}"#;
    const DENY: &str =
        r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#;

    #[test]
    fn choices_round_trip_through_the_select_values() {
        for choice in TokenChoice::ALL {
            assert_eq!(TokenChoice::from_value(choice.value()), Some(choice));
        }
        assert_eq!(TokenChoice::from_value("refresh"), None);
        assert_eq!(Outcome::Status(403).label(), "403");
        assert_eq!(Outcome::NetworkError.label(), "network-error");
    }

    #[test]
    fn a_200_says_what_the_cognito_authorizer_passed_on() {
        let body = r#"{"message":"hi","authorizer":{"kind":"cognito","claims":{"sub":"u","aud":"c"},"username":"demo"}}"#;
        let e = explain(&facts(TokenChoice::Id, Outcome::Status(200), body));
        assert_eq!(e.tone, Tone::Ok);
        assert!(e.title.starts_with("200"));
        let all = e.details.join(" ");
        assert!(all.contains("accepted the ID token"), "{all}");
        assert!(all.contains("2 claims"), "{all}");
        assert!(all.contains("user demo"), "{all}");
    }

    #[test]
    fn a_200_says_what_the_lambda_authorizer_passed_on() {
        let body = r#"{"authorizer":{"kind":"lambda","principalId":"sub-1","username":"demo","scopes":"openid email"}}"#;
        let e = explain(&facts(TokenChoice::Access, Outcome::Status(200), body));
        let all = e.details.join(" ");
        assert!(all.contains("principalId sub-1"), "{all}");
        assert!(all.contains("openid email"), "{all}");
        let scoped = r#"{"authorizer":{"kind":"cognito-scopes","claims":{}}}"#;
        let e = explain(&facts(TokenChoice::Access, Outcome::Status(200), scoped));
        assert!(e.details.join(" ").contains("with method scopes"));
        // A body that is not JSON still gets the headline.
        let e = explain(&facts(TokenChoice::None, Outcome::Status(200), "ok"));
        assert!(e.details.join(" ").contains("no authorizer"));
    }

    #[test]
    fn a_401_without_a_token_says_no_header_was_sent() {
        let e = explain(&facts(
            TokenChoice::None,
            Outcome::Status(401),
            UNAUTHORIZED,
        ));
        assert!(e.title.contains("no token"));
        assert!(!e.expired);
    }

    #[test]
    fn a_401_for_an_access_token_explains_the_cognito_authorizer_without_scopes() {
        let e = explain(&facts(
            TokenChoice::Access,
            Outcome::Status(401),
            UNAUTHORIZED,
        ));
        assert_eq!(e.tone, Tone::Bad);
        assert!(e.title.contains("access token"));
        assert!(e.details[0].contains("no aud"), "{:?}", e.details);
    }

    #[test]
    fn a_401_for_an_id_token_explains_method_scopes() {
        let e = explain(&facts(TokenChoice::Id, Outcome::Status(401), UNAUTHORIZED));
        assert!(e.details[0].contains("no scope claim"), "{:?}", e.details);
    }

    #[test]
    fn an_expired_token_is_recognised_by_message_or_by_exp() {
        let by_message = facts(
            TokenChoice::Id,
            Outcome::Status(401),
            r#"{"message":"The incoming token has expired"}"#,
        );
        let e = explain(&by_message);
        assert!(e.expired);
        assert!(e.title.contains("expired"));
        assert!(e.details[0].contains("The incoming token has expired"));
        let mut by_exp = facts(TokenChoice::Access, Outcome::Status(401), UNAUTHORIZED);
        by_exp.token_expired = true;
        assert!(explain(&by_exp).expired);
        // Not for a 403, nor without a token.
        let mut denied = by_exp.clone();
        denied.outcome = Outcome::Status(403);
        assert!(!is_expired(&denied));
        let mut none = by_message;
        none.choice = TokenChoice::None;
        assert!(!is_expired(&none));
    }

    #[test]
    fn a_403_explicit_deny_names_the_missing_scope_and_the_tokens_scopes() {
        let mut f = facts(TokenChoice::Access, Outcome::Status(403), DENY);
        f.token_scopes = vec!["openid".into(), "books/read".into()];
        let e = explain(&f);
        assert!(e.title.starts_with("403"));
        let all = e.details.join(" ");
        assert!(all.contains("Effect Deny"), "{all}");
        assert!(all.contains("openid, books/read"), "{all}");
        let no_scopes = explain(&facts(
            TokenChoice::Id,
            Outcome::Status(403),
            r#"{"Message":"User is not authorized to access this resource"}"#,
        ));
        assert!(no_scopes.details[0].contains("no statement"));
        assert!(no_scopes.details[1].contains("no scopes"));
    }

    #[test]
    fn a_403_missing_authentication_token_is_a_wrong_route() {
        let e = explain(&facts(
            TokenChoice::Id,
            Outcome::Status(403),
            r#"{"message":"Missing Authentication Token"}"#,
        ));
        assert!(e.title.contains("no such route"));
        assert!(e.details[0].contains("apiUrl"));
    }

    #[test]
    fn a_network_error_explains_gateway_responses_without_cors() {
        let e = explain(&facts(TokenChoice::Access, Outcome::NetworkError, ""));
        assert!(e.title.starts_with("network-error"));
        let all = e.details.join(" ");
        assert!(all.contains("without CORS headers"), "{all}");
        assert!(all.contains("DEFAULT_4XX and DEFAULT_5XX"), "{all}");
    }

    #[test]
    fn server_errors_point_at_the_authorizer_configuration() {
        let e = explain(&facts(
            TokenChoice::Access,
            Outcome::Status(500),
            r#"{"message":null}"#,
        ));
        assert!(e.details[0].contains("AuthorizerConfigurationException"));
        let e = explain(&facts(
            TokenChoice::Access,
            Outcome::Status(502),
            "Bad gateway",
        ));
        assert!(e.title.starts_with("502"));
        assert!(e.details[0].contains("misconfigured"));
    }

    #[test]
    fn other_statuses_are_named() {
        let e = explain(&facts(TokenChoice::Id, Outcome::Status(404), ""));
        assert_eq!(e.tone, Tone::Warn);
        assert!(e.title.contains("404"));
    }

    #[test]
    fn headers_say_which_ones_a_page_cannot_read() {
        let rows = header_rows(|name| (name == "content-type").then(|| "application/json".into()));
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].value.as_deref(), Some("application/json"));
        assert_eq!(rows[0].note, "");
        assert!(rows[1].note.contains("Access-Control-Expose-Headers"));
        assert!(rows[3].note.contains("hidden from scripts"));
        let none = header_rows(|_| None);
        assert_eq!(none[0].note, "not sent");
    }

    #[test]
    fn bodies_are_pretty_when_json() {
        assert_eq!(pretty_body(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_body("plain"), "plain");
        assert_eq!(pretty_body(""), "");
    }

    #[test]
    fn history_keeps_the_last_five_newest_first() {
        let mut history = Vec::new();
        for i in 0..7 {
            push_history(
                &mut history,
                HistoryEntry {
                    api: "apiUrl".into(),
                    choice: TokenChoice::Id,
                    outcome: Outcome::Status(200),
                    latency_ms: i,
                    title: String::new(),
                },
            );
        }
        assert_eq!(history.len(), HISTORY_LEN);
        assert_eq!(history[0].latency_ms, 6);
        assert_eq!(history[4].latency_ms, 2);
    }
}
