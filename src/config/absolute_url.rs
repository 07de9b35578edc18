//! An absolute URL, parsed by the WHATWG URL rules: in the browser by the
//! browser's own `URL` (no URL crate in the wasm bundle: its IDNA tables
//! alone weigh more than the rest of the app's logic), natively by the `url`
//! crate, which implements the same standard, for the unit tests.

pub struct AbsoluteUrl {
    /// The serialized URL, as the parser normalised it.
    pub href: String,
    /// Without the trailing `:`.
    pub scheme: String,
    /// IPv6 hosts keep their brackets (`[::1]`).
    pub host: String,
    pub path: String,
    pub has_query: bool,
    pub has_fragment: bool,
}

#[cfg(target_arch = "wasm32")]
pub fn parse(text: &str) -> Result<AbsoluteUrl, String> {
    let url = web_sys::Url::new(text).map_err(|_| "the browser cannot parse it".to_owned())?;
    Ok(AbsoluteUrl {
        href: url.href(),
        scheme: url.protocol().trim_end_matches(':').to_owned(),
        host: url.hostname(),
        path: url.pathname(),
        has_query: !url.search().is_empty(),
        has_fragment: !url.hash().is_empty(),
    })
}

#[cfg(not(target_arch = "wasm32"))]
pub fn parse(text: &str) -> Result<AbsoluteUrl, String> {
    let url = url::Url::parse(text).map_err(|e| e.to_string())?;
    Ok(AbsoluteUrl {
        href: url.to_string(),
        scheme: url.scheme().to_owned(),
        host: url.host_str().unwrap_or_default().to_owned(),
        path: url.path().to_owned(),
        has_query: url.query().is_some_and(|q| !q.is_empty()),
        has_fragment: url.fragment().is_some_and(|f| !f.is_empty()),
    })
}
