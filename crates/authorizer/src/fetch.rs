//! The JWKS over HTTPS with rustls (no OpenSSL, so the binary is static).

use std::time::Duration;

use cognito_jwt::{Jwks, MAX_JWKS_BYTES};

use crate::jwks_cache::{FetchError, JwksFetcher};

pub struct HttpsFetcher {
    client: reqwest::Client,
    uri: String,
}

impl HttpsFetcher {
    pub fn new(uri: impl Into<String>) -> Result<Self, FetchError> {
        let client = reqwest::Client::builder()
            // Authorizers have API Gateway's 29 s budget at most; a stuck
            // key endpoint must fail fast and closed.
            .timeout(Duration::from_secs(5))
            .https_only(true)
            .build()
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        Ok(HttpsFetcher {
            client,
            uri: uri.into(),
        })
    }
}

impl JwksFetcher for HttpsFetcher {
    async fn fetch(&self) -> Result<Jwks, FetchError> {
        let response = self
            .client
            .get(&self.uri)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        // Refused before the download when the length is announced, and
        // after it otherwise (Jwks::parse checks the same limit).
        if response
            .content_length()
            .is_some_and(|n| n > MAX_JWKS_BYTES as u64)
        {
            return Err(too_large());
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| FetchError::Transport(e.to_string()))?;
        if body.len() > MAX_JWKS_BYTES {
            return Err(too_large());
        }
        let text = std::str::from_utf8(&body).map_err(|e| FetchError::Invalid(e.to_string()))?;
        Jwks::parse(text).map_err(|e| FetchError::Invalid(e.to_string()))
    }
}

fn too_large() -> FetchError {
    FetchError::Invalid(format!("larger than {} KiB", MAX_JWKS_BYTES / 1024))
}
