// A minimal, correct code + PKCE sign-in against Cognito's hosted UI, with
// RS256 verification in WebCrypto: what cognito-spa does, without a framework.
// The bench measures both side by side. No dependencies.

const app = document.getElementById("app");
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const fromB64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const el = (tag, text) => Object.assign(document.createElement(tag), { textContent: text });

function fail(message) {
  app.replaceChildren(Object.assign(el("p", message), { className: "bad", id: "error" }));
}

async function signIn(config) {
  const verifier = random(48);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const pending = { state: random(32), nonce: random(32), verifier };
  sessionStorage.setItem("baseline.pending", JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: "code", client_id: config.clientId, redirect_uri: config.redirectUri,
    scope: config.scopes.join(" "), state: pending.state, nonce: pending.nonce,
    code_challenge_method: "S256", code_challenge: challenge,
  });
  location.assign(`${config.domain}/oauth2/authorize?${query}`);
}

async function verify(token, jwks, expect) {
  const [h, p, s] = token.split(".");
  const header = JSON.parse(new TextDecoder().decode(fromB64url(h)));
  const claims = JSON.parse(new TextDecoder().decode(fromB64url(p)));
  if (header.alg !== "RS256") throw new Error("algorithm");
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error("kid");
  const key = await crypto.subtle.importKey("jwk", { kty: "RSA", n: jwk.n, e: jwk.e, alg: "RS256", ext: true },
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
  const ok = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, fromB64url(s), new TextEncoder().encode(`${h}.${p}`));
  if (!ok) throw new Error("signature");
  const now = Date.now() / 1000;
  if (claims.iss !== expect.issuer) throw new Error("issuer");
  if (claims.token_use !== expect.use) throw new Error("token_use");
  if ((expect.use === "id" ? claims.aud : claims.client_id) !== expect.clientId) throw new Error("audience");
  if (!(now < claims.exp + 60)) throw new Error("expired");
  if (expect.nonce && claims.nonce !== expect.nonce) throw new Error("nonce");
  return claims;
}

function claimsTable(id, claims) {
  const table = Object.assign(document.createElement("table"), { id });
  for (const [name, value] of Object.entries(claims)) {
    const row = table.insertRow();
    row.dataset.claim = name;
    row.append(el("th", name), el("td", typeof value === "string" ? value : JSON.stringify(value)));
  }
  return table;
}

async function callback(config) {
  const params = new URLSearchParams(location.search);
  history.replaceState(null, "", location.pathname);
  const pending = JSON.parse(sessionStorage.getItem("baseline.pending") || "null");
  sessionStorage.removeItem("baseline.pending");
  if (params.get("error")) return fail(`${params.get("error")}: ${params.get("error_description") || ""}`);
  if (!pending || params.get("state") !== pending.state) return fail("state");
  // The key set is fetched during the exchange, as the app does.
  const keySet = fetch(config.jwksUri).then((r) => r.json()).catch(() => null);
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: config.clientId, code: params.get("code"), redirect_uri: config.redirectUri, code_verifier: pending.verifier }),
  });
  if (!response.ok) return fail(`token endpoint: ${(await response.json()).error}`);
  const tokens = await response.json();
  const jwks = await keySet;
  if (!jwks) return fail("jwks: the key set could not be fetched");
  const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
  try {
    const id = await verify(tokens.id_token, jwks, { issuer, clientId: config.clientId, use: "id", nonce: pending.nonce });
    const access = await verify(tokens.access_token, jwks, { issuer, clientId: config.clientId, use: "access" });
    app.replaceChildren(el("p", `Signed in as ${id["cognito:username"]}`), Object.assign(el("p", "valid"), { id: "verified" }),
      claimsTable("claims-id", id), claimsTable("claims-access", access));
    performance.mark("tokens-shown");
  } catch (error) {
    fail(error.message);
  }
}

async function main() {
  const config = await (await fetch("config.json", { cache: "no-cache" })).json();
  if (location.search.includes("code=") || location.search.includes("error=")) return callback(config);
  const button = Object.assign(el("button", "Sign in"), { id: "login" });
  button.onclick = () => signIn(config);
  app.replaceChildren(button);
  performance.mark("app-ready");
}

main().catch((error) => fail(String(error)));
