//! The Content-Security-Policy, generated from the build: Trunk emits one
//! inline module script (the wasm loader), allowed by its sha256 hash rather
//! than `'unsafe-inline'`; fetches may go only to this site, the Cognito
//! domain, the key-set host and the API.

use anyhow::{bail, Result};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// `'sha256-…'` for the text of each inline `<script>` (one without `src`),
/// exactly as between the tags, which is what browsers hash.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let open = at + found;
        let Some(tag_len) = lower[open..].find('>') else {
            break;
        };
        let tag = &lower[open..open + tag_len];
        let body_start = open + tag_len + 1;
        let Some(body_len) = lower[body_start..].find("</script") else {
            break;
        };
        let is_external = tag
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attr| attr.starts_with("src="));
        if !is_external {
            let body = &html[body_start..body_start + body_len];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        at = body_start + body_len;
    }
    hashes
}

/// `scheme://host[:port]` of an https URL (http only on loopback, as
/// config.json allows for the local stack). Refuses anything that could
/// break out of a CSP source expression.
pub fn origin_of(url: &str) -> Result<String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| anyhow::anyhow!("expected an absolute URL, got {url:?}"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    let scheme_ok = scheme == "https" || (scheme == "http" && loopback);
    let chars_ok = !authority.is_empty()
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    if !scheme_ok || !chars_ok {
        bail!("expected an https URL with a plain host name, got {url:?}");
    }
    Ok(format!("{scheme}://{authority}"))
}

/// The hosts the app talks to, from config.json's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    /// The hosted UI domain (token, revoke).
    pub cognito_domain: String,
    /// The issuer or JWKS URL (key set, discovery).
    pub key_set: String,
    /// The API base URL, if any.
    pub api: Option<String>,
}

pub fn build(index_html: &str, hosts: &Hosts) -> Result<String> {
    let mut script = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    script.extend(inline_script_hashes(index_html));
    let mut connect = vec!["'self'".to_string()];
    for url in [
        Some(&hosts.cognito_domain),
        Some(&hosts.key_set),
        hosts.api.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        let origin = origin_of(url)?;
        if !connect.contains(&origin) {
            connect.push(origin);
        }
    }
    let directives = [
        "default-src 'none'".to_string(),
        format!("script-src {}", script.join(" ")),
        "style-src 'self'".to_string(),
        "img-src 'self' data:".to_string(),
        "font-src 'self'".to_string(),
        "manifest-src 'self'".to_string(),
        format!("connect-src {}", connect.join(" ")),
        "base-uri 'none'".to_string(),
        "form-action 'self'".to_string(),
        "object-src 'none'".to_string(),
        "frame-ancestors 'none'".to_string(),
    ];
    let csp = directives.join("; ");
    // CloudFront's limit for the header value in a response headers policy.
    if csp.len() > 1783 {
        bail!(
            "the CSP is {} characters; CloudFront allows 1783",
            csp.len()
        );
    }
    Ok(csp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<html><head>\n<script type=\"module\">\nimport init from '/app.js';\nawait init();\n</script>\n<script src=\"/x.js\"></script><SCRIPT>a()</SCRIPT></head></html>";

    #[test]
    fn hashes_only_inline_scripts() {
        let hashes = inline_script_hashes(INDEX);
        assert_eq!(hashes.len(), 2);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(
            b"\nimport init from '/app.js';\nawait init();\n",
        ));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a()"));
        assert_eq!(hashes[1], format!("'sha256-{expected}'"));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("https://p.auth.eu-west-1.amazoncognito.com/oauth2").unwrap(),
            "https://p.auth.eu-west-1.amazoncognito.com"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:4011/prod").unwrap(),
            "http://127.0.0.1:4011"
        );
        for bad in [
            "http://example.com",
            "javascript:alert(1)",
            "https://evil.com; script-src *",
            "https://a'b.com",
            "https://",
            "example.com",
        ] {
            assert!(origin_of(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn policy_is_strict_and_names_each_host_once() {
        let hosts = Hosts {
            cognito_domain: "https://p.auth.eu-west-1.amazoncognito.com".into(),
            key_set: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc".into(),
            api: Some("https://abc.execute-api.eu-west-1.amazonaws.com/prod/cognito".into()),
        };
        let csp = build(INDEX, &hosts).unwrap();
        assert!(
            csp.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-")
        );
        assert!(csp.contains("connect-src 'self' https://p.auth.eu-west-1.amazoncognito.com https://cognito-idp.eu-west-1.amazonaws.com https://abc.execute-api.eu-west-1.amazonaws.com;"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(build(
            INDEX,
            &Hosts {
                api: Some("http://evil.example".into()),
                ..hosts
            }
        )
        .is_err());
    }
}
