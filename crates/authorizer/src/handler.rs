//! API Gateway TOKEN events in, policy documents (or `Unauthorized`) out.
//!
//! Order: configuration (bad → every request refused), method ARN, Bearer
//! token, key set (fetched, and once more on an unknown `kid`), then the pure
//! [`crate::decide`]. Every failure is the error `Unauthorized`, which the
//! Lambda runtime reports as `errorMessage: "Unauthorized"`: API Gateway's
//! 401. Logs carry the decision and a fixed reason word, never the token.

use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerRequest;
use cognito_jwt::{RefetchPolicy, UnverifiedToken};
use serde_json::Value;

use crate::config::{Config, ConfigError};
use crate::decision::{bearer_token, evaluate, AuthorizerDecision, Outcome, Settings};
use crate::jwks_cache::{JwksCache, JwksFetcher};
use crate::policy::MethodArn;

/// The one error the authorizer returns. Its text must be exactly
/// `Unauthorized`: that is what makes API Gateway answer 401 (anything else
/// is a 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Unauthorized")]
pub struct Unauthorized;

pub struct Authorizer<F> {
    config: Result<Config, ConfigError>,
    cache: JwksCache<F>,
}

impl<F: JwksFetcher> Authorizer<F> {
    /// Keeps a configuration error instead of failing to start, so the
    /// function answers 401 (not 500s and cold-start crash loops) and logs why.
    pub fn new(config: Result<Config, ConfigError>, fetcher: F) -> Self {
        Authorizer {
            config,
            cache: JwksCache::new(fetcher),
        }
    }

    /// The Lambda's answer to one event at `now` (Unix seconds).
    pub async fn handle(
        &self,
        event: &ApiGatewayCustomAuthorizerRequest,
        now: i64,
    ) -> Result<Value, Unauthorized> {
        let outcome = self.outcome(event, now).await;
        let method_arn = event.method_arn.as_deref().unwrap_or_default();
        log(&outcome);
        outcome
            .decision
            .to_lambda_output(method_arn)
            .ok_or(Unauthorized)
    }

    async fn outcome(&self, event: &ApiGatewayCustomAuthorizerRequest, now: i64) -> Outcome {
        let Ok(config) = &self.config else {
            return Outcome::unauthorized("configuration");
        };
        let Some(arn) = event.method_arn.as_deref().and_then(MethodArn::parse) else {
            return Outcome::unauthorized("methodArn");
        };
        let header = event.authorization_token.as_deref().unwrap_or_default();
        let Some(raw) = bearer_token(header) else {
            return Outcome::unauthorized("no Bearer token");
        };
        let Ok(mut jwks) = self.cache.keys(now).await else {
            return Outcome::unauthorized("jwks");
        };
        // Key rotation: an unknown kid is worth one (rate-limited) refetch.
        if let Ok(token) = UnverifiedToken::parse(raw) {
            if RefetchPolicy::wants_refetch(&jwks, token.header().kid.as_deref()) {
                if let Ok(fresh) = self.cache.refetch(now).await {
                    jwks = fresh;
                }
            }
        }
        let settings = Settings {
            issuer: &config.issuer,
            client_id: &config.client_id,
            policy: &config.policy,
        };
        evaluate(header, arn.call(), &settings, &jwks, now)
    }
}

fn log(outcome: &Outcome) {
    let (verdict, principal) = match &outcome.decision {
        AuthorizerDecision::Allow { principal_id, .. } => ("Allow", principal_id.as_str()),
        AuthorizerDecision::Deny { principal_id, .. } => ("Deny", principal_id.as_str()),
        AuthorizerDecision::Unauthorized => ("Unauthorized", "-"),
    };
    eprintln!(
        "authorizer: {verdict} principal={principal} reason={}",
        outcome.reason
    );
}
