//! The hosted UI addresses the app navigates to: `/oauth2/authorize`,
//! `/signup` and `/logout`. Cognito's logout is not OIDC RP-initiated
//! logout, so all are built by hand from the config.

use crate::config::{Config, Flow};

/// Where on the hosted UI a sign-in starts: its login form, or its sign-up
/// form, which takes the same query and ends in the same redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    SignIn,
    SignUp,
}

impl Entry {
    fn path(self) -> &'static str {
        match self {
            Entry::SignIn => "/oauth2/authorize",
            Entry::SignUp => "/signup",
        }
    }
}

/// What one authorize request carries.
pub struct AuthorizeRequest<'a> {
    pub entry: Entry,
    pub flow: Flow,
    pub state: &'a str,
    pub nonce: &'a str,
    /// The S256 challenge; only the code flow sends one.
    pub code_challenge: Option<&'a str>,
}

/// The query every hosted UI entry takes, before the round trip's secrets.
fn client_query(config: &Config, flow: Flow) -> form_urlencoded::Serializer<'static, String> {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("response_type", flow.response_type())
        .append_pair("client_id", &config.client_id)
        .append_pair("redirect_uri", &config.redirect_uri)
        .append_pair("scope", &config.scopes.join(" "));
    query
}

pub fn authorize_url(config: &Config, request: &AuthorizeRequest<'_>) -> String {
    let mut query = client_query(config, request.flow);
    query
        .append_pair("state", request.state)
        .append_pair("nonce", request.nonce);
    if let Some(challenge) = request.code_challenge {
        query
            .append_pair("code_challenge_method", "S256")
            .append_pair("code_challenge", challenge);
    }
    format!(
        "{}{}?{}",
        config.domain,
        request.entry.path(),
        query.finish()
    )
}

/// The `signup` link's address: the sign-up page with the selected flow's
/// query, without the secrets, which the click adds (a fresh set each time).
pub fn signup_link(config: &Config, flow: Flow) -> String {
    let mut query = client_query(config, flow);
    format!(
        "{}{}?{}",
        config.domain,
        Entry::SignUp.path(),
        query.finish()
    )
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
                entry: Entry::SignIn,
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
                entry: Entry::SignIn,
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
    fn sign_up_takes_the_authorize_query_on_the_signup_page() {
        let request = |entry| AuthorizeRequest {
            entry,
            flow: Flow::Code,
            state: "st",
            nonce: "no",
            code_challenge: Some("ch"),
        };
        let sign_in = authorize_url(&config(), &request(Entry::SignIn));
        let sign_up = authorize_url(&config(), &request(Entry::SignUp));
        assert!(sign_up.starts_with("https://p.auth.eu-west-1.amazoncognito.com/signup?"));
        assert_eq!(pairs(&sign_up), pairs(&sign_in));

        let link = signup_link(&config(), Flow::Implicit);
        assert!(link.starts_with("https://p.auth.eu-west-1.amazoncognito.com/signup?"));
        let link_pairs = pairs(&link);
        assert!(link_pairs.contains(&("response_type".into(), "token".into())));
        assert!(
            !link_pairs.iter().any(|(k, _)| k == "state" || k == "nonce"),
            "the link holds no secret: {link}"
        );
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
