//! The client of the pool's OAuth endpoints: the token endpoint (code
//! exchange, refresh grant) and the revocation endpoint. Each answer is read
//! by a plain function, so what counts as usable is tested natively.

use super::error::AuthError;
use super::secret::Secret;
use super::tokens::{check_token_response, endpoint_error, Endpoint, TokenResponse, TokenSet};
use super::urls::{revoke_endpoint, token_endpoint};
use crate::config::{Config, Flow, SharedConfig};
use crate::web::early;
use crate::web::http::{early_answer, form_body, form_rows, post_form};
use serde::{Deserialize, Serialize};

/// The code exchange of a sign-in as it begins: every parameter but the
/// code, which index.html appends on /callback (`crate::web::early`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedExchange {
    pub url: String,
    /// The form body so far; it holds the PKCE verifier.
    pub form: Secret,
}

impl PreparedExchange {
    pub fn new(config: &Config, verifier: &str) -> PreparedExchange {
        let mut pairs = vec![("client_id", config.client_id.as_str())];
        pairs.extend_from_slice(&code_grant(config, verifier));
        PreparedExchange {
            url: token_endpoint(config),
            form: Secret::new(form_body(&pairs)),
        }
    }
}

/// The code grant's parameters but for the code, which comes last.
fn code_grant<'a>(config: &'a Config, verifier: &'a str) -> [(&'static str, &'a str); 3] {
    [
        ("grant_type", "authorization_code"),
        ("redirect_uri", &config.redirect_uri),
        ("code_verifier", verifier),
    ]
}

/// Redeems an authorization code with its PKCE verifier: takes the answer
/// of the exchange index.html sent early from `prepared`, or sends it now.
pub async fn exchange_code(
    config: &SharedConfig,
    code: &Secret,
    verifier: &Secret,
    prepared: Option<&PreparedExchange>,
) -> Result<TokenSet, AuthError> {
    if let Some(prepared) = prepared {
        let body = format!(
            "{}&{}",
            prepared.form.expose(),
            form_body(&[("code", code.expose())])
        );
        let answer = early_answer(
            early::TOKEN,
            "token",
            "POST",
            &prepared.url,
            form_rows(&body),
        )
        .await;
        if let Some(answer) = answer {
            let (status, body) = answer.map_err(AuthError::TokenEndpointUnreachable)?;
            return code_flow_tokens(read_token_answer(status, &body)?);
        }
    }
    let mut grant = code_grant(config, verifier.expose()).to_vec();
    grant.push(("code", code.expose()));
    let response = token_request(config, "token", &grant).await?;
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

    fn config() -> Config {
        Config::from_json(
            r#"{"clientId":"client1","domain":"https://p.auth.eu-west-1.amazoncognito.com",
                "region":"eu-west-1","userPoolId":"eu-west-1_Abc"}"#,
            "http://localhost:8080",
        )
        .unwrap()
    }

    #[test]
    fn the_prepared_exchange_is_the_exchange_but_for_the_code() {
        let config = config();
        let prepared = PreparedExchange::new(&config, "verifier+/=");
        assert_eq!(
            prepared.url,
            "https://p.auth.eu-west-1.amazoncognito.com/oauth2/token"
        );
        // What index.html sends: the form, then the code.
        let sent = format!("{}&code=a%20code", prepared.form.expose());
        let sent: Vec<(String, String)> = form_urlencoded::parse(sent.as_bytes())
            .into_owned()
            .collect();
        // What the wasm sends when index.html did not.
        let mut own = vec![("client_id", "client1")];
        own.extend(code_grant(&config, "verifier+/="));
        own.push(("code", "a code"));
        let own: Vec<(String, String)> = own
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(sent, own);
        assert_eq!(own[3].1, "verifier+/=");
        assert_eq!(own[2].1, "http://localhost:8080/callback");
        assert!(!format!("{prepared:?}").contains("verifier"));
    }

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
