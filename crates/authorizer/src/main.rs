//! The Lambda entry point (`bootstrap` for the provided.al2023 runtime).

use std::time::{SystemTime, UNIX_EPOCH};

use authorizer::fetch::HttpsFetcher;
use authorizer::handler::Authorizer;
use authorizer::{Config, FetchError, JwksFetcher};
use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerRequest;
use cognito_jwt::Jwks;
use lambda_runtime::{service_fn, Error, LambdaEvent};

/// Stands in when the configuration is bad: never fetches, never allows.
struct NoKeys;

impl JwksFetcher for NoKeys {
    async fn fetch(&self) -> Result<Jwks, FetchError> {
        Err(FetchError::Transport("no JWKS URI configured".into()))
    }
}

enum Fetcher {
    Https(HttpsFetcher),
    None(NoKeys),
}

impl JwksFetcher for Fetcher {
    async fn fetch(&self) -> Result<Jwks, FetchError> {
        match self {
            Fetcher::Https(f) => f.fetch().await,
            Fetcher::None(f) => f.fetch().await,
        }
    }
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let config = Config::from_env();
    let fetcher = match &config {
        Ok(c) => match HttpsFetcher::new(&c.jwks_uri) {
            Ok(f) => Fetcher::Https(f),
            Err(e) => {
                eprintln!("authorizer: cannot build the HTTPS client: {e}; refusing every request");
                Fetcher::None(NoKeys)
            }
        },
        Err(e) => {
            eprintln!("authorizer: configuration error: {e}; refusing every request");
            Fetcher::None(NoKeys)
        }
    };
    let authorizer = Authorizer::new(config, fetcher);
    let authorizer = &authorizer;
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ApiGatewayCustomAuthorizerRequest>| async move {
            authorizer
                .handle(&event.payload, now())
                .await
                .map_err(Error::from)
        },
    ))
    .await
}
