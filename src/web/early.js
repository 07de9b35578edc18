// Requests that need no wasm, started while the wasm still loads and
// compiles (src/web/early.rs takes their answers). Inlined first in the head
// of index.html: a script after a stylesheet would wait for it.
//
// - Every page: /config.json. `no-cache`: a redeployed config.json must win
//   over a cached copy.
// - Every page: the main wasm module's compilation, as its bytes arrive, so
//   it overlaps the parsing of the page instead of following it. On
//   /callback, also /profile's chunks, where sign-in goes next. The release
//   build names the modules in meta elements before this script
//   (xtask/src/dist.rs); its init script and chunk loader take the compiled
//   modules from `window.cognitoSpaWasm`, keyed by path, and compile
//   themselves what is not there (a `trunk serve` build names none).
// - /callback with the answer to this tab's sign-in: the key set, and (code
//   flow) the code exchange. The sign-in prepared both requests when it
//   began (src/auth/pending.rs); this only adds the code. It starts them
//   for a well-formed answer only: the wasm checks the answer again in full,
//   and sends the requests itself when they were not started here.
//
// Each request global is a promise, with the address it asked as its `url`,
// that always resolves, to `{status, statusText, headers, text, ms}` or
// `{error}`, so a failure is reported by the app, never as an unhandled
// rejection.
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
  const modules = (name) => {
    const meta = document.querySelector(`meta[name=${name}]`);
    return meta ? meta.content.split(" ").filter(Boolean) : [];
  };
  const compiled = (window.cognitoSpaWasm = {});
  const compile = (path) => {
    // A failure is the taker's to report (or to retry), when it takes it.
    const module = WebAssembly.compileStreaming(fetch(path));
    module.catch(() => {});
    compiled[path] = module;
  };
  modules("cognito-spa-wasm").forEach(compile);
  window.cognitoSpaConfig = early("/config.json", { cache: "no-cache" });

  if (location.pathname !== "/callback") return;
  // The sign-in's requests leave first: the app waits for their answers
  // before it needs /profile's code.
  signInRequests();
  modules("cognito-spa-profile-chunks").forEach(compile);

  function signInRequests() {
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
  }
})();
