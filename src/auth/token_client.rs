//! The client of the pool's OAuth endpoints: the token endpoint (code
//! exchange, refresh grant) and the revocation endpoint. Each answer is read
//! by a plain function, so what counts as usable is tested natively.

use super::error::AuthError;
use super::secret::Secret;
use super::tokens::{check_token_response, endpoint_error, Endpoint, TokenResponse, TokenSet};
use super::urls::{revoke_endpoint, token_endpoint};
use crate::config::{Flow, SharedConfig};
use crate::web::http::post_form;

/// Redeems an authorization code with its PKCE verifier.
pub async fn exchange_code(
    config: &SharedConfig,
    code: &Secret,
    verifier: &Secret,
) -> Result<TokenSet, AuthError> {
    let response = token_request(
        config,
        "token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", &config.redirect_uri),
            ("code_verifier", verifier.expose()),
        ],
    )
    .await?;
    code_flow_tokens(response)
}

/// A `refresh_token` grant; the answer is checked by `TokenSet::refreshed`.
pub async fn refresh_grant(
    config: &SharedConfig,
    refresh_token: &Secret,
) -> Result<TokenResponse, AuthError> {
    token_request(
        config,
        "refresh",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ],
    )
    .await
}

/// Revokes a refresh token (and the access tokens issued with it).
pub async fn revoke(config: &SharedConfig, token: &Secret) -> Result<(), AuthError> {
    let (status, body) = post_form(
        &revoke_endpoint(config),
        &[("token", token.expose()), ("client_id", &config.client_id)],
        "revoke",
    )
    .await
    .map_err(AuthError::RevocationUnreachable)?;
    read_revocation_answer(status, &body)
}

/// A POST to the token endpoint for this public client (`client_id` is
/// added); `step` names it in the trace (`token` or `refresh`).
async fn token_request(
    config: &SharedConfig,
    step: &str,
    grant: &[(&str, &str)],
) -> Result<TokenResponse, AuthError> {
    let mut pairs = vec![("client_id", config.client_id.as_str())];
    pairs.extend_from_slice(grant);
    let (status, body) = post_form(&token_endpoint(config), &pairs, step)
        .await
        .map_err(AuthError::TokenEndpointUnreachable)?;
    read_token_answer(status, &body)
}

/// A 200 with a token response is parsed; anything else is an error.
fn read_token_answer(status: u16, body: &str) -> Result<TokenResponse, AuthError> {
    if status != 200 {
        return Err(AuthError::Refused(endpoint_error(
            Endpoint::Token,
            status,
            body,
        )));
    }
    TokenResponse::parse(body).ok_or(AuthError::NotATokenResponse)
}

/// The token set of a code exchange, if the answer is usable (Bearer, with
/// an ID token).
fn code_flow_tokens(response: TokenResponse) -> Result<TokenSet, AuthError> {
    let id_token = check_token_response(&response)?;
    Ok(TokenSet {
        id_token,
        access_token: response.access_token,
        refresh_token: response.refresh_token,
        flow: Flow::Code,
    })
}

/// RFC 7009: a 200 means revoked (or unknown, which is as good).
fn read_revocation_answer(status: u16, body: &str) -> Result<(), AuthError> {
    if status == 200 {
        Ok(())
    } else {
        Err(AuthError::Refused(endpoint_error(
            Endpoint::Revocation,
            status,
            body,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"access_token":"a","id_token":"i","refresh_token":"r","token_type":"Bearer","expires_in":3600}"#;

    #[test]
    fn a_200_token_response_is_read() {
        let response = read_token_answer(200, GOOD).unwrap();
        assert_eq!(response.access_token.expose(), "a");
    }

    #[test]
    fn a_refusal_is_named_by_the_endpoint_with_cognitos_error() {
        let error = read_token_answer(400, r#"{"error":"invalid_grant"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("token endpoint: invalid_grant"),
            "{error}"
        );
        let error = read_token_answer(502, "<html>").unwrap_err().to_string();
        assert_eq!(
            error,
            "token endpoint: HTTP 502 without a Cognito error body"
        );
    }

    #[test]
    fn a_200_that_is_no_token_response_is_an_error() {
        assert_eq!(
            read_token_answer(200, r#"{"hello":"world"}"#).unwrap_err(),
            AuthError::NotATokenResponse
        );
    }

    #[test]
    fn a_code_exchange_keeps_all_three_tokens() {
        let tokens = code_flow_tokens(read_token_answer(200, GOOD).unwrap()).unwrap();
        assert_eq!(tokens.id_token.expose(), "i");
        assert_eq!(tokens.refresh_token.as_ref().map(Secret::expose), Some("r"));
        assert_eq!(tokens.flow, Flow::Code);
        let without_id = read_token_answer(200, r#"{"access_token":"a"}"#).unwrap();
        assert_eq!(
            code_flow_tokens(without_id).unwrap_err(),
            AuthError::NoIdToken
        );
    }

    #[test]
    fn only_a_200_revokes() {
        assert_eq!(read_revocation_answer(200, ""), Ok(()));
        let error = read_revocation_answer(400, r#"{"error":"unsupported_token_type"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("revocation endpoint: unsupported_token_type"),
            "{error}"
        );
    }
}
