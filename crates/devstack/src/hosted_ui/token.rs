//! `POST /oauth2/token`: authorization_code (with PKCE) and refresh_token.

use crate::config::seed::Flow;
use crate::hosted_ui::oauth;
use crate::http::{self, param, parse_pairs};
use crate::mint::{self, Grant};
use crate::state::{Shared, TokenFault};
use crate::store::RefreshRecord;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

fn bad(error: &str) -> Response {
    oauth::error(StatusCode::BAD_REQUEST, error)
}

pub async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    // The `/_devstack` "fail next token request" control.
    if let Some(fault) = shared.take_token_fault() {
        return fault_answer(&fault);
    }
    // Cognito accepts only form bodies; JSON gets invalid_request.
    if !http::is_form(&headers) {
        return bad("invalid_request");
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return bad("invalid_request");
    };
    if http::repeated_name(text).is_some() {
        return bad("invalid_request");
    }
    let form = parse_pairs(text);
    let Some(grant_type) = param(&form, "grant_type") else {
        return bad("invalid_request");
    };
    let Some(client_id) = param(&form, "client_id") else {
        return bad("invalid_request");
    };
    if client_id != shared.seed.client.client_id {
        return bad("invalid_client");
    }
    match grant_type {
        "authorization_code" => authorization_code(&shared, &form),
        "refresh_token" => refresh(&shared, &form),
        _ => bad("unsupported_grant_type"),
    }
}

/// An armed fault's answer; a 5xx carries `server_error`.
fn fault_answer(fault: &TokenFault) -> Response {
    match fault {
        TokenFault::OAuthError(code) => bad(code),
        TokenFault::Status(status) => oauth::error(
            StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "server_error",
        ),
    }
}

/// RFC 7636 S256: base64url(SHA-256(verifier)) == challenge.
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorization_code(shared: &Shared, form: &HashMap<String, String>) -> Response {
    let (Some(code), Some(redirect_uri)) = (param(form, "code"), param(form, "redirect_uri"))
    else {
        return bad("invalid_request");
    };
    if !shared.seed.client.allowed_flows.contains(&Flow::Code) {
        return bad("unauthorized_client");
    }
    let now = shared.now();
    // Taking the code burns it, so a failed attempt cannot be retried.
    let Some(stored) = shared.store.take_code(code, now) else {
        return bad("invalid_grant");
    };
    if stored.client_id != shared.seed.client.client_id || stored.redirect_uri != redirect_uri {
        return bad("invalid_grant");
    }
    // A code bound to a challenge needs its verifier; a code issued without
    // one is not redeemed with a verifier either (a live pool answers
    // invalid_grant: docs/protocol.md, "code_verifier without a challenge").
    let pkce_ok = match (&stored.code_challenge, param(form, "code_verifier")) {
        (Some(challenge), Some(v)) => http::constant_time_eq(&pkce_s256(v), challenge),
        (None, None) => true,
        _ => false,
    };
    if !pkce_ok {
        return bad("invalid_grant");
    }
    let Some(ref user) = shared.idp.hosted_user(&stored.grant.username) else {
        return bad("invalid_grant");
    };
    let minted = mint::mint(&shared.seed, &shared.keys().store, user, &stored.grant, now);
    let refresh_token = shared.store.insert_refresh(
        RefreshRecord {
            client_id: stored.client_id.clone(),
            // The nonce belongs to the first ID token only.
            grant: Grant {
                nonce: None,
                ..stored.grant.clone()
            },
            expires_at: now + shared.seed.tokens.refresh_seconds,
            superseded_at: None,
        },
        now,
    );
    let mut body = serde_json::json!({
        "access_token": minted.access_token,
        "refresh_token": refresh_token,
        "expires_in": minted.expires_in,
        "token_type": "Bearer",
    });
    if let Some(id) = minted.id_token {
        body["id_token"] = id.into();
    }
    oauth::json(StatusCode::OK, body)
}

fn refresh(shared: &Shared, form: &HashMap<String, String>) -> Response {
    let Some(token) = param(form, "refresh_token") else {
        return bad("invalid_request");
    };
    let now = shared.now();
    let client = &shared.seed.client;
    let Some(record) =
        shared
            .store
            .usable_refresh(token, now, client.refresh_rotation_grace_seconds)
    else {
        return bad("invalid_grant");
    };
    if record.client_id != client.client_id {
        return bad("invalid_grant");
    }
    let Some(ref user) = shared
        .idp
        .hosted_user_since(&record.grant.username, record.grant.auth_time)
    else {
        return bad("invalid_grant");
    };
    // auth_time and origin_jti carry over: it is still the same sign-in.
    let minted = mint::mint(&shared.seed, &shared.keys().store, user, &record.grant, now);
    let mut body = serde_json::json!({
        "access_token": minted.access_token,
        "expires_in": minted.expires_in,
        "token_type": "Bearer",
    });
    if let Some(id) = minted.id_token {
        body["id_token"] = id.into();
    }
    if client.refresh_rotation {
        shared.store.mark_superseded(token, now);
        let new_token = shared.store.insert_refresh(
            RefreshRecord {
                expires_at: now + shared.seed.tokens.refresh_seconds,
                superseded_at: None,
                ..record
            },
            now,
        );
        body["refresh_token"] = new_token.into();
    }
    oauth::json(StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc7636_appendix_b() {
        assert_eq!(
            super::pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
