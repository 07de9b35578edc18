//! `GET /_devstack`: the controls as buttons for a person running a demo.
//! The page's script sends each control as the JSON API wants it (`fetch`
//! with `X-Devstack-Control: 1`) and shows the state after it.

use crate::http;
use axum::http::StatusCode;
use axum::response::Response;

const BODY: &str = r#"<h1>devstack controls</h1>
<p class="note">Each takes effect on the next request: no restart.</p>
<p class="error" id="error" role="alert" hidden></p>

<h2>Time</h2>
<button type="button" data-control="expire-tokens" data-body="{}">Expire the current tokens now</button>
<button type="button" data-control="reset-clock" data-body="{}">Back to real time</button>

<h2>Signing keys</h2>
<button type="button" data-control="rotate-keys" data-body="{}">Rotate the signing keys</button>

<h2>API Gateway</h2>
<button type="button" data-control="gateway-cors" data-body='{"enabled":false}'>CORS off on gateway errors</button>
<button type="button" data-control="gateway-cors" data-body='{"enabled":true}'>CORS on on gateway errors</button>

<h2>Users</h2>
<label for="username">Username</label>
<input type="text" id="username" value="demo">
<label for="groups">Groups (comma-separated)</label>
<input type="text" id="groups" value="">
<button type="button" id="set-groups">Set the user's groups</button>
<button type="button" id="sign-out">Revoke the user's sessions (global sign-out)</button>

<h2>Token endpoint</h2>
<label for="fault">The next token request fails with</label>
<select id="fault">
<option value="invalid_grant">400 invalid_grant</option>
<option value="invalid_request">400 invalid_request</option>
<option value="invalid_client">400 invalid_client</option>
<option value="unauthorized_client">400 unauthorized_client</option>
<option value="500">500 server_error</option>
<option value="503">503 server_error</option>
</select>
<button type="button" id="fail-next">Arm</button>
<button type="button" data-control="fail-next-token" data-body="{}">Disarm</button>

<h2>State</h2>
<pre id="state" style="overflow:auto;font-size:.75rem;background:#f2f3f3;padding:.5rem;border-radius:4px">loading…</pre>
<script>
async function control(name, body) {
  const res = await fetch("/_devstack/" + name, {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-Devstack-Control": "1"},
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  const error = document.getElementById("error");
  error.hidden = res.ok;
  error.textContent = res.ok ? "" : answer.error + ": " + answer.message;
  await refresh();
}
async function refresh() {
  const state = await (await fetch("/_devstack/state")).json();
  document.getElementById("state").textContent = JSON.stringify(state, null, 2);
}
for (const button of document.querySelectorAll("[data-control]")) {
  button.addEventListener("click", () =>
    control(button.dataset.control, JSON.parse(button.dataset.body)));
}
const username = () => document.getElementById("username").value.trim();
document.getElementById("set-groups").addEventListener("click", () => {
  const groups = document.getElementById("groups").value
    .split(",").map(g => g.trim()).filter(g => g);
  control("groups", {username: username(), groups});
});
document.getElementById("sign-out").addEventListener("click", () =>
  control("sign-out", {username: username()}));
document.getElementById("fail-next").addEventListener("click", () => {
  const fault = document.getElementById("fault").value;
  control("fail-next-token", /^\d+$/.test(fault) ? {status: Number(fault)} : {error: fault});
});
refresh();
</script>"#;

pub async fn page() -> Response {
    http::html(StatusCode::OK, "devstack controls", BODY)
}
