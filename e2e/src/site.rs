//! Serves the app's dist/ folder the way CloudFront and `trunk serve` do:
//! files as they are, and index.html for any extension-less path, so a
//! reload on a client-side route works. `/config.json` can be replaced per
//! test, and any file made to answer 404.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use xtask::deploy::files;

struct Served {
    dir: PathBuf,
    config_json: RwLock<Option<String>>,
    /// Paths that answer 404, as after a deploy that forgot them.
    missing: RwLock<Vec<String>>,
    /// Added to every response, as CloudFront's response headers policy does.
    headers: RwLock<Vec<(HeaderName, HeaderValue)>>,
}

/// A running static server; stops when dropped.
pub struct Site {
    addr: SocketAddr,
    served: Arc<Served>,
    task: JoinHandle<()>,
}

impl Site {
    /// Serves `dir`; `config_json` replaces the built `/config.json` when set.
    pub async fn start(dir: &Path, config_json: Option<String>) -> Site {
        let served = Arc::new(Served {
            dir: dir.to_path_buf(),
            config_json: RwLock::new(config_json),
            missing: RwLock::new(Vec::new()),
            headers: RwLock::new(Vec::new()),
        });
        let app = Router::new()
            .fallback(serve)
            .layer(axum::middleware::from_fn_with_state(
                served.clone(),
                add_headers,
            ))
            .with_state(served.clone());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Site { addr, served, task }
    }

    /// Replaces what `/config.json` answers from now on.
    pub fn set_config(&self, text: String) {
        *self.served.config_json.write().expect("config lock") = Some(text);
    }

    /// Makes `/config.json` answer 404 Not Found from now on.
    pub fn remove_config(&self) {
        self.remove_file("/config.json");
    }

    /// Makes `path` (e.g. `/explain.json`) answer 404 Not Found from now on.
    pub fn remove_file(&self, path: &str) {
        let mut missing = self.served.missing.write().expect("missing lock");
        missing.push(path.to_owned());
    }

    /// Makes `path` answer again after [`Site::remove_file`], as after the
    /// redeploy that put it back.
    pub fn restore_file(&self, path: &str) {
        let mut missing = self.served.missing.write().expect("missing lock");
        missing.retain(|removed| removed != path);
    }

    /// Adds these headers to every response from now on (e.g. the
    /// production Content-Security-Policy, see [`crate::csp`]).
    pub fn set_headers(&self, headers: Vec<(HeaderName, HeaderValue)>) {
        *self.served.headers.write().expect("headers lock") = headers;
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn add_headers(State(served): State<Arc<Served>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = served.headers.read().expect("headers lock").clone();
    for (name, value) in headers {
        res.headers_mut().insert(name, value);
    }
    res
}

async fn serve(State(served): State<Arc<Served>>, uri: Uri) -> Response {
    let path = uri.path();
    let missing = served.missing.read().expect("missing lock").clone();
    if missing.iter().any(|m| m == path) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if path == "/config.json" {
        let replaced = served.config_json.read().expect("config lock").clone();
        if let Some(text) = replaced {
            return file_response("config.json", text.into_bytes());
        }
    }
    let relative = Path::new(path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
        && path != "/"
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let file = served.dir.join(relative);
    if path != "/" && file.is_file() {
        return match tokio::fs::read(&file).await {
            Ok(bytes) => file_response(path, bytes),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    }
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        // An asset that is not there: a real 404, as CloudFront keeps it.
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(served.dir.join("index.html")).await {
        Ok(bytes) => file_response("index.html", bytes),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The Content-Type and Cache-Control a deploy gives the object
/// (xtask/src/deploy/files.rs): files named by their content are cached for
/// a year, index.html and the rest are revalidated. A page load in a test
/// or the bench then reuses what a real visitor's browser would reuse (the
/// wasm on `/callback` after the visit to `/`).
fn file_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, files::content_type(name)),
            (header::CACHE_CONTROL, files::cache_control(name)),
        ],
        Body::from(bytes),
    )
        .into_response()
}
