//! The local outbox: where the "emails" with codes go. Each message is one
//! log line (naming the user and the kind, never the code), and the list is
//! served at `GET /_devstack/outbox` (JSON, newest last) and
//! `GET /_devstack/outbox.html`.

use crate::http::{self, escape};
use crate::state::Shared;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::sync::Arc;

/// Messages kept (older ones are dropped).
pub const OUTBOX_LIMIT: usize = 1000;

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub username: String,
    pub destination: String,
    pub kind: &'static str,
    pub code: String,
    pub sent_at: i64,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("username", &self.username)
            .field("kind", &self.kind)
            .field("code", &"<redacted>")
            .finish()
    }
}

/// `j***@e***.com`, as Cognito shows a destination.
pub fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    let tld = domain.rfind('.').map_or("", |i| &domain[i..]);
    format!("{}***@{}***{tld}", first(local), first(domain))
}

pub fn send(shared: &Shared, outbox: &mut Vec<Message>, message: Message) {
    shared.log.line(format!(
        "[outbox] {} code for user {} to {}",
        message.kind,
        message.username,
        mask_email(&message.destination)
    ));
    if outbox.len() >= OUTBOX_LIMIT {
        outbox.remove(0);
    }
    outbox.push(message);
}

pub async fn json(State(shared): State<Arc<Shared>>) -> Response {
    let messages = shared.idp.lock().outbox.clone();
    let mut res = axum::Json(serde_json::json!({ "messages": messages })).into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

pub async fn html(State(shared): State<Arc<Shared>>) -> Response {
    let messages = shared.idp.lock().outbox.clone();
    let rows: String = messages
        .iter()
        .rev()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code class=\"code\">{}</code></td><td>{}</td></tr>",
                escape(&m.username),
                escape(&m.destination),
                m.kind,
                escape(&m.code),
                crate::srp::format_timestamp(m.sent_at)
            )
        })
        .collect();
    let body = format!(
        "<h1>Outbox</h1><p class=\"note\">devstack: messages Cognito would have sent, newest first. JSON: <a href=\"/_devstack/outbox\">/_devstack/outbox</a></p>\
<table><thead><tr><th>user</th><th>to</th><th>kind</th><th>code</th><th>sent</th></tr></thead><tbody>{rows}</tbody></table>"
    );
    http::html(StatusCode::OK, "Outbox", &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn masking() {
        assert_eq!(super::mask_email("jane@example.com"), "j***@e***.com");
        assert_eq!(super::mask_email("x"), "x***@***");
    }
}
