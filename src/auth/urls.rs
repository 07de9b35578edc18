//! The hosted UI addresses the app navigates to: `/oauth2/authorize` and
//! `/logout`. Cognito's logout is not OIDC RP-initiated logout, so both are
//! built by hand from the config.

use crate::config::{Config, Flow};

/// What one authorize request carries.
pub struct AuthorizeRequest<'a> {
    pub flow: Flow,
    pub state: &'a str,
    pub nonce: &'a str,
    /// The S256 challenge; only the code flow sends one.
    pub code_challenge: Option<&'a str>,
}

pub fn authorize_url(config: &Config, request: &AuthorizeRequest<'_>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("response_type", request.flow.response_type())
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", &config.redirect_uri)
        .append_pair("scope", &config.scopes.join(" "))
        .append_pair("state", request.state)
        .append_pair("nonce", request.nonce);
    if let Some(challenge) = request.code_challenge {
        query
            .append_pair("code_challenge_method", "S256")
            .append_pair("code_challenge", challenge);
    }
    format!("{}/oauth2/authorize?{}", config.domain, query.finish())
}

/// Clears the hosted UI session cookie; without it the next sign-in skips the
/// login form for up to an hour.
pub fn logout_url(config: &Config) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("client_id", &config.client_id)
        .append_pair("logout_uri", &config.logout_uri)
        .finish();
    format!("{}/logout?{query}", config.domain)
}

pub fn token_endpoint(config: &Config) -> String {
    format!("{}/oauth2/token", config.domain)
}

pub fn revoke_endpoint(config: &Config) -> String {
    format!("{}/oauth2/revoke", config.domain)
}

pub fn userinfo_endpoint(config: &Config) -> String {
    format!("{}/oauth2/userInfo", config.domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::from_json(
            r#"{"clientId":"client 1","domain":"https://p.auth.eu-west-1.amazoncognito.com",
                "region":"eu-west-1","userPoolId":"eu-west-1_Abc",
                "scopes":["openid","email","books/read"]}"#
                .replace("client 1", "client1")
                .as_str(),
            "http://localhost:8080",
        )
        .unwrap()
    }

    fn pairs(url: &str) -> Vec<(String, String)> {
        let query = url.split_once('?').unwrap().1;
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    #[test]
    fn code_flow_authorize_url_carries_pkce_state_and_nonce() {
        let url = authorize_url(
            &config(),
            &AuthorizeRequest {
                flow: Flow::Code,
                state: "st",
                nonce: "no",
                code_challenge: Some("ch"),
            },
        );
        assert!(url.starts_with("https://p.auth.eu-west-1.amazoncognito.com/oauth2/authorize?"));
        assert_eq!(
            pairs(&url),
            [
                ("response_type", "code"),
                ("client_id", "client1"),
                ("redirect_uri", "http://localhost:8080/callback"),
                ("scope", "openid email books/read"),
                ("state", "st"),
                ("nonce", "no"),
                ("code_challenge_method", "S256"),
                ("code_challenge", "ch"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert!(url.contains("scope=openid+email+books%2Fread"), "{url}");
    }

    #[test]
    fn implicit_authorize_url_asks_for_tokens_with_a_nonce_and_no_challenge() {
        let url = authorize_url(
            &config(),
            &AuthorizeRequest {
                flow: Flow::Implicit,
                state: "st",
                nonce: "no",
                code_challenge: None,
            },
        );
        let pairs = pairs(&url);
        assert!(pairs.contains(&("response_type".into(), "token".into())));
        assert!(pairs.contains(&("nonce".into(), "no".into())));
        assert!(!pairs.iter().any(|(k, _)| k.starts_with("code_challenge")));
    }

    #[test]
    fn logout_url_names_client_and_exact_logout_uri() {
        let url = logout_url(&config());
        assert_eq!(
            url,
            "https://p.auth.eu-west-1.amazoncognito.com/logout?client_id=client1&logout_uri=http%3A%2F%2Flocalhost%3A8080%2F"
        );
    }

    #[test]
    fn endpoints_hang_off_the_domain() {
        let config = config();
        assert_eq!(
            token_endpoint(&config),
            "https://p.auth.eu-west-1.amazoncognito.com/oauth2/token"
        );
        assert_eq!(
            revoke_endpoint(&config),
            "https://p.auth.eu-west-1.amazoncognito.com/oauth2/revoke"
        );
        assert_eq!(
            userinfo_endpoint(&config),
            "https://p.auth.eu-west-1.amazoncognito.com/oauth2/userInfo"
        );
    }
}
