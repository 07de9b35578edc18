//! The security headers CloudFront adds to every response of the site, read
//! from the response headers policy in infra/hosting.yaml, so the browser
//! tests serve the app with exactly what production sends instead of a copy
//! typed by hand.

use anyhow::{bail, Context, Result};

/// infra/hosting.yaml, as built into this binary.
pub const HOSTING_TEMPLATE: &str = include_str!("../../../infra/hosting.yaml");

/// The headers of the template's `AWS::CloudFront::ResponseHeadersPolicy`,
/// with `csp` as the Content-Security-Policy (the template takes it as a
/// parameter, see [`super::csp::build`]). Strict-Transport-Security is
/// left out: browsers ignore it on plain http, which is all a local test
/// serves.
pub fn production_headers(template: &str, csp: &str) -> Result<Vec<(String, String)>> {
    let policy = policy_block(template)?;
    let mut headers = Vec::new();
    if value_of(policy, "ContentSecurityPolicy").as_deref() != Some("!Ref ContentSecurityPolicy") {
        bail!("the response headers policy does not set the CSP from its ContentSecurityPolicy parameter");
    }
    headers.push(("Content-Security-Policy".to_owned(), csp.to_owned()));
    if policy.lines().any(|l| l.trim() == "ContentTypeOptions:") {
        // CloudFront's ContentTypeOptions has no value: it always sends nosniff.
        headers.push(("X-Content-Type-Options".to_owned(), "nosniff".to_owned()));
    }
    for (key, header) in [
        ("FrameOption", "X-Frame-Options"),
        ("ReferrerPolicy", "Referrer-Policy"),
    ] {
        let value = value_of(policy, key)
            .with_context(|| format!("the response headers policy sets no {key}"))?;
        headers.push((header.to_owned(), value));
    }
    headers.extend(custom_headers(policy)?);
    Ok(headers)
}

/// The lines of the one ResponseHeadersPolicy resource.
fn policy_block(template: &str) -> Result<&str> {
    let start = template
        .find("Type: AWS::CloudFront::ResponseHeadersPolicy")
        .context("infra/hosting.yaml has no AWS::CloudFront::ResponseHeadersPolicy")?;
    let rest = &template[start..];
    // The next resource starts at two spaces of indentation.
    let end = rest
        .match_indices("\n  ")
        .map(|(at, _)| at)
        .find(|&at| {
            rest[at + 3..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace() && c != '#')
        })
        .unwrap_or(rest.len());
    Ok(&rest[..end])
}

/// The value of the first `key: value` line, unquoted; `None` for a key
/// with no value on its line (a mapping).
fn value_of(block: &str, key: &str) -> Option<String> {
    block.lines().find_map(|line| {
        let value = line.trim().strip_prefix(key)?.strip_prefix(':')?.trim();
        (!value.is_empty()).then(|| unquote(value))
    })
}

/// `- Header: NAME` items, each followed by its `Value: VALUE`.
fn custom_headers(block: &str) -> Result<Vec<(String, String)>> {
    let mut lines = block.lines().map(str::trim);
    let mut headers = Vec::new();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("- Header:") else {
            continue;
        };
        let name = name.trim();
        let value = lines
            .next()
            .and_then(|l| l.strip_prefix("Value:"))
            .with_context(|| format!("custom header {name} has no Value on the next line"))?;
        headers.push((name.to_owned(), unquote(value.trim())));
    }
    Ok(headers)
}

fn unquote(value: &str) -> String {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hosting_template_sets_these_headers() {
        let headers = production_headers(HOSTING_TEMPLATE, "default-src 'none'").unwrap();
        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Content-Security-Policy",
                "X-Content-Type-Options",
                "X-Frame-Options",
                "Referrer-Policy",
                "Cross-Origin-Opener-Policy",
                "Permissions-Policy",
            ]
        );
        let value = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(value("Content-Security-Policy"), Some("default-src 'none'"));
        assert_eq!(value("X-Frame-Options"), Some("DENY"));
        assert_eq!(value("Referrer-Policy"), Some("no-referrer"));
        assert_eq!(value("Cross-Origin-Opener-Policy"), Some("same-origin"));
        let permissions = value("Permissions-Policy").unwrap();
        assert!(
            permissions.starts_with("accelerometer=(), camera=()"),
            "{permissions}"
        );
        assert!(!permissions.contains('"'), "{permissions}");
    }

    #[test]
    fn a_template_without_the_policy_or_a_value_is_an_error() {
        assert!(production_headers("Resources: {}", "x").is_err());
        let no_value = "  P:\n    Type: AWS::CloudFront::ResponseHeadersPolicy\n      ContentSecurityPolicy: !Ref ContentSecurityPolicy\n      FrameOption: DENY\n      ReferrerPolicy: no-referrer\n      - Header: X-A\n  Next:\n    Type: Other\n";
        let error = production_headers(no_value, "x").unwrap_err();
        assert!(error.to_string().contains("X-A"), "{error}");
        let elsewhere = "  P:\n    Type: AWS::CloudFront::ResponseHeadersPolicy\n      ContentSecurityPolicy: !Ref ContentSecurityPolicy\n  Next:\n    FrameOption: DENY\n";
        let error = production_headers(elsewhere, "x").unwrap_err();
        assert!(error.to_string().contains("FrameOption"), "{error}");
    }
}
