//! The accept loop of both servers, hardened against hostile clients:
//!
//! - a client that sends part of its request headers and stalls is cut off
//!   after `header_read_timeout` (hyper's HTTP/1 header read timeout, which
//!   `axum::serve` leaves without a timer, so it never fires there);
//! - at most `max_connections` connections are served at once; beyond that
//!   new connections are closed at once, so memory stays bounded;
//! - a panic in a handler becomes a `500` and is counted
//!   ([`crate::Handle::panics`]) instead of killing the connection task;
//! - headers beyond hyper's buffer (about 400 KiB) or 100 fields get `431`,
//!   bodies beyond [`crate::http::BODY_LIMIT`] get `413` (on the
//!   `Content-Length` alone, before any of the body is read);
//! - a request that is not complete within `request_timeout` (a body that
//!   is announced and never sent) gets `408`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Limits of one server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
}

/// How long in-flight requests may run after a stop before they are dropped.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Wraps `router` so a panicking handler answers `500` and bumps `panics`,
/// an announced body over the limit is refused at once, and a request that
/// stalls is answered `408`.
pub fn harden(router: Router, panics: Arc<AtomicU64>, limits: Limits) -> Router {
    router
        .layer(RequestBodyLimitLayer::new(crate::http::BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(CatchPanicLayer::custom(
            move |_payload: Box<dyn Any + Send + 'static>| -> Response {
                panics.fetch_add(1, Ordering::Relaxed);
                eprintln!("devstack: a request handler panicked; answered 500");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            },
        ))
}

/// Serves `router` on `listener` until `stop` turns true, then lets
/// in-flight requests finish (for at most [`SHUTDOWN_GRACE`]).
pub async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let stopped = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    tokio::pin!(stopped);
    loop {
        let io = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((io, _)) => io,
                // Out of file descriptors and the like: back off, keep serving.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Over the cap: close at once rather than queue without bound.
            drop(io);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .serve_connection(TokioIo::new(io), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_and_is_counted() {
        let panics = Arc::new(AtomicU64::new(0));
        let router = Router::new().route(
            "/boom",
            get(|| async {
                if true {
                    panic!("handler bug");
                }
                "unreachable"
            }),
        );
        let limits = Limits {
            header_read_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_secs(1),
            max_connections: 4,
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, rx) = watch::channel(false);
        let server = tokio::spawn(run(
            listener,
            harden(router, panics.clone(), limits),
            limits,
            rx,
        ));
        for _ in 0..2 {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            s.write_all(b"GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .await
                .unwrap();
            let mut answer = String::new();
            s.read_to_string(&mut answer).await.unwrap();
            assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
        }
        assert_eq!(panics.load(Ordering::Relaxed), 2);
        let _ = stop.send(true);
        server.await.unwrap();
    }
}
