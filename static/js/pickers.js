// Searchable pickers (accounts/pickers.py): every <select data-picker="<search URL>"> becomes a
// Tom Select searching that URL by name, unit or post. A picker with data-picker-depends="<id>"
// is narrowed to the unit chosen in that field (sent as ?org=) and emptied when it changes.
(function () {
  function init(el) {
    if (el.tomselect || !window.TomSelect) return;
    const dep = el.dataset.pickerDepends ? document.getElementById(el.dataset.pickerDepends) : null;
    const url = q => {
      const u = new URL(el.dataset.picker, window.location.href);
      u.searchParams.set("q", q);
      if (dep && dep.value) u.searchParams.set("org", dep.value);
      return u;
    };
    const found = {};  // query → the values the server returned for it
    const ts = new TomSelect(el, {
      valueField: "value", labelField: "text", searchField: [], maxOptions: 50, preload: "focus",
      plugins: el.multiple ? ["remove_button"] : [], allowEmptyOption: !el.required,
      loadThrottle: 250, shouldLoad: () => true,
      // the server has searched: show what it returned for this query, in its order
      score(s) { const q = typeof s === "string" ? s : s.query; return item => (found[q] && found[q].has(item.value) ? 1 : 0); },
      load(q, done) {
        fetch(url(q), {credentials: "same-origin", headers: {Accept: "application/json"}})
          .then(r => (r.ok ? r.json() : {results: []}))
          .then(j => { found[q] = new Set(j.results.map(o => o.value)); done(j.results); }).catch(() => done());
      },
      render: {no_results: () => '<div class="no-results">' + (el.dataset.pickerEmpty || "—") + "</div>"},
    });
    if (dep) dep.addEventListener("change", () => { ts.clear(); ts.clearOptions(); });
  }
  function initAll(root) { (root || document).querySelectorAll("select[data-picker]").forEach(init); }
  document.addEventListener("DOMContentLoaded", () => initAll());
  document.addEventListener("htmx:afterSettle", e => initAll(e.target));
  if (document.readyState !== "loading") initAll();
})();
