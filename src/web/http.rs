//! HTTP through `fetch`: the form POSTs of Cognito's OAuth endpoints, plain
//! GETs, and the bearer GETs of the APIs the app calls.

use gloo_net::http::Request;

/// A POST with an `application/x-www-form-urlencoded` body, the only body
/// Cognito's OAuth endpoints accept. No credentials are sent (the token
/// endpoint answers `Access-Control-Allow-Origin: *`).
pub async fn post_form(url: &str, pairs: &[(&str, &str)]) -> Result<(u16, String), String> {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let response = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .map_err(|e| format!("could not build the request: {e}"))?
        .send()
        .await
        .map_err(|_| network_error(url))?;
    Ok(status_and_text(response).await)
}

/// A GET returning the status and body text. `fresh` skips the HTTP cache
/// (and refills it): for a refetch whose point is that the cached answer
/// is out of date.
pub async fn get_text(url: &str, fresh: bool) -> Result<(u16, String), String> {
    let mut request = Request::get(url);
    if fresh {
        request = request.cache(web_sys::RequestCache::Reload);
    }
    let response = request.send().await.map_err(|_| network_error(url))?;
    Ok(status_and_text(response).await)
}

async fn status_and_text(response: gloo_net::http::Response) -> (u16, String) {
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
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

/// `GET url` with `Authorization: Bearer <token>` (no header when `token`
/// is `None`). `Err` is a network error: the server is unreachable, or the
/// browser hid the answer (CORS); the page cannot tell which.
pub async fn get_with_bearer(url: &str, token: Option<&str>) -> Result<Answer, ()> {
    let mut request = Request::get(url).cache(web_sys::RequestCache::NoStore);
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request.send().await.map_err(|_| ())?;
    let status = response.status();
    let headers = response.headers();
    let body = response.text().await.unwrap_or_default();
    Ok(Answer {
        status,
        body,
        headers,
    })
}
