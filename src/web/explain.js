(() => {
  let asked;
  let texts;
  let why;
  const span = (className, textContent) =>
    Object.assign(document.createElement("span"), { className, textContent });
  const fill = () => {
    const rows = document.querySelectorAll("tr[data-claim]:not([data-explained])");
    if (!rows.length) return;
    asked ||= fetch("/explain.json")
      .then((r) => (r.ok ? r.json() : Promise.reject(`/explain.json answered HTTP ${r.status}`)))
      .then(
        (json) => (texts = json.claims),
        (e) => (why = String(e)),
      )
      .then(fill);
    for (const row of texts || why ? rows : []) {
      const name = row.dataset.claim;
      const text = texts?.[name.startsWith("custom:") ? "custom:" : name];
      row.dataset.explained = "";
      if (typeof text === "string") row.cells[0].append(span("about", text));
      const caption = row.closest("table").caption;
      if (why && !caption.dataset.explained) {
        caption.dataset.explained = "";
        const note = span("muted", ` · what each claim means could not be loaded (${why})`);
        note.dataset.testid = "claims-about-missing";
        caption.append(note);
      }
    }
  };
  new MutationObserver(fill).observe(document.documentElement, { childList: true, subtree: true });
})();
