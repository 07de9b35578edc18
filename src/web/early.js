// Requests that need no wasm, started while the wasm still loads and
// compiles (src/web/early.rs takes their answers). Inlined first in the head
// of index.html: a script after a stylesheet would wait for it.
//
// - Every page: /config.json. `no-cache`: a redeployed config.json must win
//   over a cached copy.
// - /callback: /profile's wasm chunks, where sign-in goes next, preloaded
//   for the chunk loader's fetch (the release build names them in a meta
//   element before this script; xtask/src/dist.rs).
// - /callback with the answer to this tab's sign-in: the key set, and (code
//   flow) the code exchange. The sign-in prepared both requests when it
//   began (src/auth/pending.rs); this only adds the code. It starts them
//   for a well-formed answer only: the wasm checks the answer again in full,
//   and sends the requests itself when they were not started here.
//
// Each global is a promise, with the address it asked as its `url`, that
// always resolves, to `{status, statusText, headers, text, ms}` or `{error}`,
// so a failure is reported by the app, never as an unhandled rejection.
(() => {
  const early = (url, init) => {
    const started = performance.now();
    const answer = fetch(url, init)
      .then((r) => r.text().then((text) => ({
        status: r.status, statusText: r.statusText, headers: [...r.headers], text,
        ms: performance.now() - started,
      })))
      .catch((e) => ({ error: String(e) }));
    return Object.assign(answer, { url });
  };
  window.cognitoSpaConfig = early("/config.json", { cache: "no-cache" });

  if (location.pathname !== "/callback") return;
  const chunks = document.querySelector("meta[name=cognito-spa-profile-chunks]");
  for (const href of chunks ? chunks.content.split(" ").filter(Boolean) : []) {
    const link = Object.assign(document.createElement("link"), { rel: "preload", href });
    link.as = "fetch";
    link.crossOrigin = "anonymous";
    document.head.append(link);
  }
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem("cognito-spa.pending"));
  } catch (_) {
    return;
  }
  const prepared = pending && pending.early;
  if (!prepared) return;
  const query = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const once = (params, name) => params.getAll(name).length === 1;
  // Only the state this tab sent, once, and no error: anything else is the
  // wasm's to refuse, with its reason.
  const answers = (params) => once(params, "state") && params.get("state") === pending.state;
  if (query.has("error") || fragment.has("error")) return;
  if (!answers(query) && !answers(fragment)) return;
  // The exchange first, as the wasm sends them (and the trace lists them).
  if (prepared.token && answers(query) && once(query, "code") && location.hash === "") {
    window.cognitoSpaToken = early(prepared.token.url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `${prepared.token.form}&code=${encodeURIComponent(query.get("code"))}`,
    });
  }
  window.cognitoSpaKeys = early(prepared.keys);
})();
