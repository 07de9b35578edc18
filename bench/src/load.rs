//! devstack `GET /book` under a bounded load from `wrk` (Debian), with a
//! real ID token so every request is verified (RS256) by the Cognito
//! authorizer stand-in.

use std::process::Command;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

/// Ten seconds, two threads, 64 connections, on loopback only.
pub async fn run(hosted_ui: &str, api: &str, app_origin: &str) -> Result<Value> {
    let id_token = id_token(hosted_ui, app_origin).await?;
    let output = Command::new("wrk")
        .args(["-t2", "-c64", "-d10s", "--latency", "-H"])
        .arg(format!("Authorization: {id_token}"))
        .arg(format!("{api}/book"))
        .output()
        .context("running wrk (cargo xtask bench installs it)")?;
    if !output.status.success() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(json!({
        "requests_per_second": number_after(&text, "Requests/sec:"),
        "latency_p50": field_after(&text, " 50%"),
        "latency_p99": field_after(&text, " 99%"),
        "non_2xx": number_after(&text, "Non-2xx or 3xx responses:").unwrap_or(0.0),
        "tool": "wrk -t2 -c64 -d10s",
    }))
}

/// Signs in at the hosted UI (implicit flow) outside the browser.
async fn id_token(hosted_ui: &str, app_origin: &str) -> Result<String> {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "token")
        .append_pair("client_id", &devstack::Seed::builtin().client.client_id)
        .append_pair("redirect_uri", &format!("{app_origin}/callback"))
        .append_pair("scope", "openid email profile")
        .append_pair("state", "bench")
        .append_pair("nonce", "bench")
        .finish();
    let answer = e2e::hosted_ui::answer_for(
        &format!("{hosted_ui}/login?{query}"),
        e2e::stack::USER,
        e2e::stack::PASSWORD,
    )
    .await;
    let fragment = answer.split_once('#').map(|(_, f)| f).unwrap_or("");
    e2e::hosted_ui::param(fragment, "id_token").context("the hosted UI returned no id_token")
}

fn number_after(text: &str, label: &str) -> Option<f64> {
    let rest = &text[text.find(label)? + label.len()..];
    rest.split_whitespace().next()?.parse().ok()
}

fn field_after(text: &str, label: &str) -> Option<String> {
    let rest = &text[text.find(label)? + label.len()..];
    rest.split_whitespace().next().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK: &str = "Running 10s test @ http://127.0.0.1:1/prod/book
  2 threads and 64 connections
  Latency Distribution
     50%    3.10ms
     75%    4.20ms
     90%    5.00ms
     99%   12.34ms
  81234 requests in 10.00s, 40.00MB read
Requests/sec:   8123.40
Transfer/sec:      4.00MB
";

    #[test]
    fn reads_wrk_output() {
        assert_eq!(number_after(WRK, "Requests/sec:"), Some(8123.4));
        assert_eq!(field_after(WRK, " 50%").as_deref(), Some("3.10ms"));
        assert_eq!(field_after(WRK, " 99%").as_deref(), Some("12.34ms"));
        assert_eq!(number_after(WRK, "Non-2xx or 3xx responses:"), None);
    }
}
