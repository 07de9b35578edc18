//! `GET /oauth2/authorize`: validation shared with `/login` and `/logout`,
//! and completion of a request once a user is known (code or implicit).

use crate::config::seed::Flow;
use crate::hosted_ui::session;
use crate::http::{self, param, parse_pairs};
use crate::ids;
use crate::mint::{self, Grant};
use crate::state::Shared;
use crate::store::{CodeGrant, CODE_TTL};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Arc;

/// An authorize request that passed every check.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    pub flow: Flow,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
}

/// Why a request was refused, and how the refusal is delivered.
pub enum Rejection {
    /// Bad client or redirect URI: an HTML page, never a redirect (an
    /// attacker-chosen redirect_uri must not receive anything).
    Page {
        error: &'static str,
        message: String,
    },
    /// The client and redirect URI are trusted: the error goes back to the app.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        error: &'static str,
        description: String,
    },
}

impl Rejection {
    pub fn into_response(self) -> Response {
        match self {
            Rejection::Page { error, message } => {
                http::error_page(StatusCode::BAD_REQUEST, error, &message)
            }
            Rejection::Redirect {
                redirect_uri,
                state,
                error,
                description,
            } => error_redirect(&redirect_uri, state.as_deref(), error, &description),
        }
    }
}

/// Checks the client and redirect URI only (shared with `/logout`).
pub fn check_client_and_redirect<'a>(
    shared: &Shared,
    params: &'a HashMap<String, String>,
) -> Result<&'a str, Rejection> {
    let client = &shared.seed.client;
    match param(params, "client_id") {
        Some(id) if id == client.client_id => {}
        Some(_) => {
            return Err(Rejection::Page {
                error: "invalid_client",
                message: "Client does not exist.".into(),
            })
        }
        None => {
            return Err(Rejection::Page {
                error: "invalid_request",
                message: "Required String parameter 'client_id' is not present".into(),
            })
        }
    }
    let Some(redirect_uri) = param(params, "redirect_uri") else {
        return Err(Rejection::Page {
            error: "redirect_mismatch",
            message: "Required String parameter 'redirect_uri' is not present".into(),
        });
    };
    // Exact string match, down to a trailing slash, like Cognito.
    if !client.callback_urls.iter().any(|u| u == redirect_uri) {
        return Err(Rejection::Page {
            error: "redirect_mismatch",
            message:
                "redirect_mismatch: the redirect_uri is not a callback URL of this app client."
                    .into(),
        });
    }
    Ok(redirect_uri)
}

/// Every `/authorize` check of a query string, in Cognito's order.
pub fn validate(shared: &Shared, query: &str) -> Result<ValidRequest, Rejection> {
    let params = &parse_pairs(query);
    let repeated = http::repeated_name(query);
    // Which of two client ids or redirect URIs would an error go to? Neither.
    if let Some(name @ ("client_id" | "redirect_uri")) = repeated.as_deref() {
        return Err(Rejection::Page {
            error: "invalid_request",
            message: format!("invalid_request: {name} is given more than once."),
        });
    }
    let redirect_uri = check_client_and_redirect(shared, params)?;
    if let Some(name) = repeated {
        // No state in the answer: which of two would it be?
        return Err(Rejection::Redirect {
            redirect_uri: redirect_uri.to_string(),
            state: None,
            error: "invalid_request",
            description: format!("{name} is given more than once"),
        });
    }
    let state = param(params, "state").map(str::to_string);
    let fail = |error: &'static str, description: &str| Rejection::Redirect {
        redirect_uri: redirect_uri.to_string(),
        state: state.clone(),
        error,
        description: description.to_string(),
    };
    let client = &shared.seed.client;

    let flow = match param(params, "response_type") {
        Some("code") => Flow::Code,
        Some("token") => Flow::Implicit,
        Some(_) => {
            return Err(fail(
                "invalid_request",
                "response_type must be code or token",
            ))
        }
        None => return Err(fail("invalid_request", "response_type is required")),
    };
    if !client.allowed_flows.contains(&flow) {
        return Err(fail(
            "unauthorized_client",
            "the flow is not enabled for this client",
        ));
    }

    let challenge = param(params, "code_challenge");
    let method = param(params, "code_challenge_method");
    let code_challenge = match (challenge, method) {
        (None, None) => None,
        (Some(_), None) => {
            return Err(fail(
                "invalid_request",
                "code_challenge_method is required with code_challenge",
            ))
        }
        (None, Some(_)) => {
            return Err(fail(
                "invalid_request",
                "code_challenge is required with code_challenge_method",
            ))
        }
        (Some(_), Some(m)) if m != "S256" => {
            return Err(fail(
                "invalid_request",
                "code_challenge_method must be S256",
            ))
        }
        (Some(c), Some(_)) => {
            // base64url of a SHA-256: 43 characters of the unreserved set.
            let ok = c.len() == 43
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return Err(fail("invalid_request", "code_challenge is malformed"));
            }
            Some(c.to_string())
        }
    };

    let scopes: Vec<String> = match params.get("scope") {
        None => client.allowed_scopes.clone(),
        Some(s) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    };
    if scopes.is_empty() {
        return Err(fail("invalid_scope", "no scope requested"));
    }
    if let Some(bad) = scopes.iter().find(|s| !client.allowed_scopes.contains(s)) {
        return Err(fail(
            "invalid_scope",
            &format!("scope {bad} is not allowed for this client"),
        ));
    }
    let has_openid = scopes.iter().any(|s| s == "openid");
    if !has_openid
        && scopes
            .iter()
            .any(|s| matches!(s.as_str(), "email" | "phone" | "profile"))
    {
        return Err(fail(
            "invalid_scope",
            "email, phone and profile require openid",
        ));
    }

    Ok(ValidRequest {
        flow,
        redirect_uri: redirect_uri.to_string(),
        state,
        scopes,
        code_challenge,
        nonce: param(params, "nonce").map(str::to_string),
    })
}

/// `302 redirect_uri?error=…&error_description=…&state=…`.
pub fn error_redirect(
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Response {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    redirect_with(redirect_uri, &pairs, false)
}

fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)], in_fragment: bool) -> Response {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return http::error_page(
            StatusCode::BAD_REQUEST,
            "redirect_mismatch",
            "Bad redirect_uri.",
        );
    };
    if in_fragment {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            ser.append_pair(k, v);
        }
        url.set_fragment(Some(&ser.finish()));
    } else {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        drop(q);
    }
    http::found(url.as_str())
}

/// Finishes a validated request for a signed-in user: a code, or tokens in
/// the fragment for the implicit flow.
pub fn complete(shared: &Shared, req: &ValidRequest, username: &str, auth_time: i64) -> Response {
    let now = shared.now();
    let Some(ref user) = shared.idp.hosted_user(username) else {
        return error_redirect(
            &req.redirect_uri,
            req.state.as_deref(),
            "server_error",
            "unknown user",
        );
    };
    let grant = Grant {
        username: user.username.clone(),
        scopes: req.scopes.clone(),
        auth_time,
        origin_jti: ids::uuid_v4(),
        nonce: req.nonce.clone(),
    };
    match req.flow {
        Flow::Code => {
            let code = shared.store.insert_code(
                CodeGrant {
                    client_id: shared.seed.client.client_id.clone(),
                    redirect_uri: req.redirect_uri.clone(),
                    code_challenge: req.code_challenge.clone(),
                    grant,
                    expires_at: now + CODE_TTL,
                },
                now,
            );
            let mut pairs = vec![("code", code.as_str())];
            if let Some(s) = &req.state {
                pairs.push(("state", s));
            }
            redirect_with(&req.redirect_uri, &pairs, false)
        }
        Flow::Implicit => {
            // Implicit gets no refresh token (Cognito never issues one here).
            let minted = mint::mint(&shared.seed, &shared.keys().store, user, &grant, now);
            let expires_in = minted.expires_in.to_string();
            let mut pairs = Vec::new();
            if let Some(id) = &minted.id_token {
                pairs.push(("id_token", id.as_str()));
            }
            pairs.push(("access_token", minted.access_token.as_str()));
            pairs.push(("token_type", "Bearer"));
            pairs.push(("expires_in", expires_in.as_str()));
            if let Some(s) = &req.state {
                pairs.push(("state", s));
            }
            redirect_with(&req.redirect_uri, &pairs, true)
        }
    }
}

pub async fn authorize(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let req = match validate(&shared, &query) {
        Ok(r) => r,
        Err(rejection) => return rejection.into_response(),
    };
    // A live hosted-UI session signs the user straight back in (1 h cookie).
    if let Some(s) = session::current(&shared, &headers) {
        return complete(&shared, &req, &s.username, s.auth_time);
    }
    http::found(&format!("/login?{query}"))
}
