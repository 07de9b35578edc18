//! HTTP through `fetch`: the form POSTs of Cognito's OAuth endpoints, plain
//! GETs, and the bearer GETs of the APIs the app calls, and the answers to
//! the requests index.html sent before the wasm ran. Each request the
//! app sends, and its answer, is recorded in the protocol trace here, masked
//! (see `crate::trace`), under the step name the caller gives.

use gloo_net::http::{Request, Response};

use crate::trace::{self, mask, Row};
use crate::web::clock::now_ms;
use crate::web::early;

const FORM: &str = "application/x-www-form-urlencoded";

/// A POST with an `application/x-www-form-urlencoded` body, the only body
/// Cognito's OAuth endpoints accept. No credentials are sent (the token
/// endpoint answers `Access-Control-Allow-Origin: *`).
pub async fn post_form(
    url: &str,
    pairs: &[(&str, &str)],
    step: &str,
) -> Result<(u16, String), String> {
    let body = form_body(pairs);
    let sent = Sent::begin(step, "POST", url, form_rows(&body));
    let response = Request::post(url)
        .header("Content-Type", FORM)
        .body(body)
        .map_err(|e| format!("could not build the request: {e}"))?
        .send()
        .await;
    let response = sent.check(response).map_err(|_| network_error(url))?;
    Ok(sent.answer(response).await.1)
}

/// `pairs` as a form body.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// How the trace shows a form POST: its content type and each parameter.
pub fn form_rows(body: &str) -> Vec<Row> {
    let mut rows = vec![Row::new('h', "Content-Type", FORM)];
    rows.extend(trace::params('f', body));
    rows
}

/// The answer to the request index.html started early under `global`
/// (`crate::web::early`), recorded in the trace as if sent here with
/// `rows`. `None` if it started none to `url`: the caller sends it.
pub async fn early_answer(
    global: &str,
    step: &str,
    method: &str,
    url: &str,
    rows: Vec<Row>,
) -> Option<Result<(u16, String), String>> {
    let request = early::take(global)?;
    if request.url != url {
        return None;
    }
    let id = trace::begin(step, method, url, rows);
    Some(match request.answer().await {
        Ok(received) => {
            let rows = answer_rows(received.headers, &received.text, received.ms);
            trace::finish(id, &received.status.to_string(), rows);
            Ok((received.status, received.text))
        }
        Err(_) => {
            trace::finish(id, "network-error", Vec::new());
            Err(network_error(url))
        }
    })
}

/// A GET returning the status and body text. `fresh` skips the HTTP cache
/// (and refills it): for a refetch whose point is that the cached answer
/// is out of date. `step` names it in the trace; `None` keeps it out (the
/// trace's own help file).
pub async fn get_text(url: &str, fresh: bool, step: Option<&str>) -> Result<(u16, String), String> {
    let mut request = Request::get(url);
    if fresh {
        request = request.cache(web_sys::RequestCache::Reload);
    }
    let sent = match step {
        Some(step) => Sent::begin(step, "GET", url, Vec::new()),
        None => Sent::untraced(),
    };
    let response = sent
        .check(request.send().await)
        .map_err(|_| network_error(url))?;
    Ok(sent.answer(response).await.1)
}

/// A request recorded as sent, whose answer is not in yet.
struct Sent {
    id: u32,
    started: f64,
}

impl Sent {
    fn begin(step: &str, method: &str, url: &str, rows: Vec<Row>) -> Sent {
        Sent {
            id: trace::begin(step, method, url, rows),
            started: now_ms(),
        }
    }

    fn untraced() -> Sent {
        Sent {
            id: 0,
            started: 0.0,
        }
    }

    fn elapsed(&self) -> Row {
        elapsed_row(now_ms() - self.started)
    }

    /// A `fetch` that failed before any answer is recorded as one.
    fn check<E>(&self, result: Result<Response, E>) -> Result<Response, E> {
        if result.is_err() {
            trace::finish(self.id, "network-error", vec![self.elapsed()]);
        }
        result
    }

    /// Reads the answer and records its status, the headers the page may
    /// read, the body (masked) and the time it took.
    async fn answer(&self, response: Response) -> (gloo_net::http::Headers, (u16, String)) {
        let status = response.status();
        let headers = response.headers();
        let body = response.text().await.unwrap_or_default();
        if self.id != 0 {
            let rows = answer_rows(headers.entries(), &body, now_ms() - self.started);
            trace::finish(self.id, &status.to_string(), rows);
        }
        (headers, (status, body))
    }
}

/// How the trace shows an answer: the headers the page may read, the body
/// (masked) and the time it took.
fn answer_rows(
    headers: impl IntoIterator<Item = (String, String)>,
    body: &str,
    ms: f64,
) -> Vec<Row> {
    let mut rows: Vec<Row> = headers
        .into_iter()
        .map(|(name, value)| Row::new('r', &name, &value))
        .collect();
    rows.push(Row::new('b', "", &mask::body(body)));
    rows.push(elapsed_row(ms));
    rows
}

fn elapsed_row(ms: f64) -> Row {
    // As an integer: formatting an f64 would link float printing.
    let ms = ms.max(0.0).round() as u32;
    Row::new('t', "", &format!("{ms} ms"))
}

/// The browser hides why a fetch failed; name the usual causes.
fn network_error(url: &str) -> String {
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    format!("network error calling {origin}: the server is unreachable, or it refused the cross-origin request (CORS)")
}

/// A GET answer with what a cross-origin page may read of it.
pub struct Answer {
    pub status: u16,
    pub body: String,
    headers: gloo_net::http::Headers,
}

impl Answer {
    /// A response header, if the browser lets the page read it.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name)
    }
}

/// `GET url` with `Authorization: Bearer <token>` (no header when `bearer`
/// is `None`); the bearer's second member is its placeholder in a replay
/// (`mask::ID_TOKEN`, `mask::ACCESS_TOKEN`). Returns the trace step's id
/// and the answer; `Err` is a network error: the server is unreachable, or
/// the browser hid the answer (CORS); the page cannot tell which.
pub async fn get_with_bearer(
    url: &str,
    bearer: Option<(&str, &str)>,
    step: &str,
) -> (u32, Result<Answer, ()>) {
    let mut request = Request::get(url).cache(web_sys::RequestCache::NoStore);
    let mut rows = Vec::new();
    if let Some((token, placeholder)) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
        let mut row = Row::new(
            'h',
            "Authorization",
            &format!("Bearer {}", mask::jwt(token)),
        );
        row.replay = format!("Bearer ${placeholder}");
        rows.push(row);
    }
    let sent = Sent::begin(step, "GET", url, rows);
    let Ok(response) = sent.check(request.send().await) else {
        return (sent.id, Err(()));
    };
    let (headers, (status, body)) = sent.answer(response).await;
    (
        sent.id,
        Ok(Answer {
            status,
            body,
            headers,
        }),
    )
}
