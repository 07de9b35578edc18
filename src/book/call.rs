//! The `/book` use case: send the chosen token to `GET {api}/book`, time
//! the call, explain the answer, and refresh the session once when the
//! answer says the token expired. `components::book_console` only shows
//! what these return.

use cognito_jwt::UnverifiedToken;
use leptos::prelude::GetUntracked;

use crate::auth::{Auth, AuthState};
use crate::config::Api;
use crate::explain::book::{
    explain, header_rows, CallFacts, Explanation, HeaderRow, HistoryEntry, Outcome, TokenChoice,
};
use crate::trace::curl::command;
use crate::trace::mask::{ACCESS_TOKEN, ID_TOKEN};
use crate::trace::step;
use crate::web::clock::{now, now_ms};
use crate::web::http::get_with_bearer;

/// The token a call sends, and what the explanation needs to know of it.
/// No `Debug`: `raw` is a bearer credential.
pub struct Bearer {
    raw: String,
    expired: bool,
    scopes: Vec<String>,
}

impl Bearer {
    /// `token` is `raw` decoded; `now` in seconds since the epoch.
    pub fn new(raw: &str, token: &UnverifiedToken, now: i64) -> Bearer {
        Bearer {
            raw: raw.to_owned(),
            expired: token.exp().is_some_and(|exp| exp <= now),
            scopes: token.scopes().into_iter().map(str::to_owned).collect(),
        }
    }
}

/// The chosen token of the signed-in session; `None` for "no token" or
/// when nobody is signed in (the call then goes out without one).
pub fn pick_bearer(auth: Auth, choice: TokenChoice) -> Option<Bearer> {
    let AuthState::SignedIn(session) = auth.state.get_untracked() else {
        return None;
    };
    let (raw, token) = match choice {
        TokenChoice::Id => (session.tokens.id_token.expose(), &session.id),
        TokenChoice::Access => (session.tokens.access_token.expose(), &session.access),
        TokenChoice::None => return None,
    };
    Some(Bearer::new(raw, token, now()))
}

/// One finished call, as the console shows it.
#[derive(Clone)]
pub struct LastAnswer {
    /// The called API's `name`.
    pub api: String,
    pub facts: CallFacts,
    pub latency_ms: u32,
    pub headers: Vec<HeaderRow>,
    pub explanation: Explanation,
    /// A `curl` command that repeats the call (from its trace step).
    pub curl: Option<String>,
}

impl LastAnswer {
    /// The call's line in the history.
    pub fn history_entry(&self) -> HistoryEntry {
        HistoryEntry {
            api: self.api.clone(),
            choice: self.facts.choice,
            outcome: self.facts.outcome,
            latency_ms: self.latency_ms,
            title: self.explanation.title.clone(),
        }
    }
}

/// What came back, as far as the page could read it.
pub struct Received {
    pub outcome: Outcome,
    pub body: String,
    pub headers: Vec<HeaderRow>,
}

/// Explains a received answer to a call to `api` that sent `bearer` as `choice`.
pub fn answer(
    api: &Api,
    choice: TokenChoice,
    bearer: Option<Bearer>,
    received: Received,
    latency_ms: u32,
) -> LastAnswer {
    let facts = CallFacts {
        authorizer: api.authorizer,
        method_scopes: api.scopes.clone(),
        choice,
        outcome: received.outcome,
        body: received.body,
        token_expired: bearer.as_ref().is_some_and(|b| b.expired),
        token_scopes: bearer.map(|b| b.scopes).unwrap_or_default(),
    };
    let explanation = explain(&facts);
    LastAnswer {
        api: api.name.clone(),
        facts,
        latency_ms,
        headers: received.headers,
        explanation,
        curl: None,
    }
}

/// Whole milliseconds between two `performance.now()`-style readings;
/// never negative.
pub fn latency_ms(started_ms: f64, ended_ms: f64) -> u32 {
    (ended_ms - started_ms).max(0.0).round() as u32
}

/// Sends `GET {api}/book` with `bearer` (or without a token) and explains the answer.
pub async fn call_book(api: &Api, choice: TokenChoice, bearer: Option<Bearer>) -> LastAnswer {
    let placeholder = match choice {
        TokenChoice::Id => ID_TOKEN,
        _ => ACCESS_TOKEN,
    };
    let sent = bearer.as_ref().map(|b| (b.raw.as_str(), placeholder));
    let started = now_ms();
    let url = api.book_url();
    let (step_id, reply) = get_with_bearer(&url, sent, "book").await;
    let latency = latency_ms(started, now_ms());
    let received = match reply {
        Ok(reply) => Received {
            outcome: Outcome::Status(reply.status),
            headers: header_rows(|name| reply.header(name)),
            body: reply.body,
        },
        Err(()) => Received {
            outcome: Outcome::NetworkError,
            body: String::new(),
            headers: Vec::new(),
        },
    };
    LastAnswer {
        curl: step(step_id).as_ref().and_then(command),
        ..answer(api, choice, bearer, received, latency)
    }
}

/// What the one refresh after an expired-token 401 did.
#[derive(Clone)]
pub enum AfterExpiry {
    Refreshing,
    /// The new access token's `exp`, when it has one.
    Refreshed(Option<i64>),
    Failed(String),
}

/// Refreshes the session once; the user decides whether to call again.
pub async fn refresh_after_expiry(auth: Auth) -> AfterExpiry {
    match auth.refresh().await {
        Ok(outcome) => AfterExpiry::Refreshed(outcome.access_expires_at),
        Err(error) => AfterExpiry::Failed(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use serde_json::json;

    use crate::config::Authorizer;

    fn token(claims: serde_json::Value) -> (String, UnverifiedToken) {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"k"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        let raw = format!("{header}.{payload}.c2ln");
        let parsed = UnverifiedToken::parse(&raw).expect("a well-formed token");
        (raw, parsed)
    }

    fn lambda_api() -> Api {
        Api {
            name: "lambda".into(),
            url: "http://127.0.0.1:4011/prod/lambda".into(),
            authorizer: Authorizer::Lambda,
            scopes: vec![],
        }
    }

    fn received(status: u16, body: &str) -> Received {
        Received {
            outcome: Outcome::Status(status),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    #[test]
    fn a_bearer_knows_whether_it_expired_and_its_scopes() {
        let (raw, parsed) = token(json!({"exp": 100, "scope": "openid email"}));
        let before = Bearer::new(&raw, &parsed, 99);
        assert!(!before.expired);
        assert_eq!(before.scopes, ["openid", "email"]);
        assert_eq!(before.raw, raw);
        assert!(Bearer::new(&raw, &parsed, 100).expired);
    }

    #[test]
    fn a_token_without_exp_is_not_called_expired() {
        let (raw, parsed) = token(json!({"sub": "u"}));
        let bearer = Bearer::new(&raw, &parsed, i64::MAX);
        assert!(!bearer.expired);
        assert!(bearer.scopes.is_empty());
    }

    #[test]
    fn an_expired_bearer_makes_a_401_an_expiry_to_refresh() {
        let (raw, parsed) = token(json!({"exp": 100, "scope": "email"}));
        let bearer = Bearer::new(&raw, &parsed, 200);
        let body = r#"{"message":"Unauthorized"}"#;
        let last = answer(
            &lambda_api(),
            TokenChoice::Access,
            Some(bearer),
            received(401, body),
            12,
        );
        assert!(last.facts.token_expired);
        assert_eq!(last.facts.token_scopes, ["email"]);
        assert_eq!(
            last.facts.authorizer,
            Authorizer::Lambda,
            "explained for the API called"
        );
        assert!(last.explanation.expired);

        let without = answer(
            &lambda_api(),
            TokenChoice::None,
            None,
            received(401, body),
            12,
        );
        assert!(!without.facts.token_expired);
        assert!(!without.explanation.expired);
    }

    #[test]
    fn the_history_entry_repeats_the_answer() {
        let last = answer(
            &lambda_api(),
            TokenChoice::Id,
            None,
            received(200, "[]"),
            34,
        );
        let entry = last.history_entry();
        assert_eq!(entry.api, "lambda");
        assert_eq!(entry.choice, TokenChoice::Id);
        assert_eq!(entry.outcome, Outcome::Status(200));
        assert_eq!(entry.latency_ms, 34);
        assert_eq!(entry.title, last.explanation.title);
    }

    #[test]
    fn latency_is_rounded_and_never_negative() {
        assert_eq!(latency_ms(10.0, 22.6), 13);
        assert_eq!(latency_ms(10.0, 9.0), 0);
    }
}
