//! The issuer's key set, fetched on first use and again when a token names a
//! `kid` the cached set lacks (key rotation), as cognito-jwt's
//! [`RefetchPolicy`] allows: at most once per [`MIN_REFETCH_SECONDS`] (cold
//! start included), so a flood of forged `kid`s cannot turn the authorizer
//! into a JWKS request amplifier. The fetcher is a trait so tests inject key
//! sets without a network.

use std::future::Future;
use std::sync::{Arc, Mutex};

use cognito_jwt::{Jwks, RefetchPolicy};

pub use cognito_jwt::MIN_REFETCH_SECONDS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the key set could not be fetched: {0}")]
    Transport(String),
    #[error("the key set is not a valid JWKS: {0}")]
    Invalid(String),
    #[error("the key set was fetched less than {MIN_REFETCH_SECONDS} s ago")]
    RateLimited,
}

/// Where the key set comes from (HTTPS in the Lambda, a fixture in tests).
pub trait JwksFetcher: Send + Sync {
    fn fetch(&self) -> impl Future<Output = Result<Jwks, FetchError>> + Send;
}

#[derive(Default)]
struct State {
    jwks: Option<Arc<Jwks>>,
    policy: RefetchPolicy,
}

pub struct JwksCache<F> {
    fetcher: F,
    state: Mutex<State>,
}

impl<F: JwksFetcher> JwksCache<F> {
    pub fn new(fetcher: F) -> Self {
        JwksCache {
            fetcher,
            state: Mutex::new(State::default()),
        }
    }

    /// The cached key set, fetching it if there is none yet.
    pub async fn keys(&self, now: i64) -> Result<Arc<Jwks>, FetchError> {
        if let Some(jwks) = self.lock().jwks.clone() {
            return Ok(jwks);
        }
        self.refetch(now).await
    }

    /// Fetches again (a token named an unknown `kid`), unless the last
    /// attempt was under [`MIN_REFETCH_SECONDS`] ago. A failed refetch keeps
    /// the keys already cached.
    pub async fn refetch(&self, now: i64) -> Result<Arc<Jwks>, FetchError> {
        if !self.lock().policy.try_fetch(now) {
            return Err(FetchError::RateLimited);
        }
        let jwks = Arc::new(self.fetcher.fetch().await?);
        self.lock().jwks = Some(Arc::clone(&jwks));
        Ok(jwks)
    }

    /// A poisoned lock only means another request panicked mid-update; the
    /// state is two plain fields, still consistent, so carry on.
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counting {
        calls: AtomicUsize,
        fail: bool,
    }

    impl JwksFetcher for Counting {
        async fn fetch(&self) -> Result<Jwks, FetchError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.fail {
                Err(FetchError::Transport("down".into()))
            } else {
                Ok(Jwks::from_keys(Vec::new()))
            }
        }
    }

    fn cache(fail: bool) -> JwksCache<Counting> {
        JwksCache::new(Counting {
            calls: AtomicUsize::new(0),
            fail,
        })
    }

    #[tokio::test]
    async fn fetches_once_then_rate_limits_refetches() {
        let c = cache(false);
        c.keys(100).await.unwrap();
        c.keys(101).await.unwrap();
        assert_eq!(c.fetcher.calls.load(Ordering::SeqCst), 1);
        assert!(matches!(c.refetch(129).await, Err(FetchError::RateLimited)));
        assert_eq!(c.fetcher.calls.load(Ordering::SeqCst), 1);
        c.refetch(130).await.unwrap();
        assert_eq!(c.fetcher.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_fetch_is_an_error_and_also_rate_limited() {
        let c = cache(true);
        assert!(matches!(c.keys(0).await, Err(FetchError::Transport(_))));
        assert!(matches!(c.keys(10).await, Err(FetchError::RateLimited)));
        assert_eq!(c.fetcher.calls.load(Ordering::SeqCst), 1);
    }
}
