// Huike page helpers: keyboard shortcuts and the CSRF header for htmx requests.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (e) {
    if (meta && meta.content) { e.detail.headers["X-CSRF-Token"] = meta.content; }
  });
  // "/" jumps to the search box, as in most web apps; Esc leaves it.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    }
  });
  // Forms ask before leaving with unsaved typing.
  var dirty = false;
  document.addEventListener("input", function (e) {
    if (e.target && e.target.form && e.target.form.hasAttribute("data-guard")) { dirty = true; }
  });
  document.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); } });
  // The first invalid field of a refused form gets the focus, so the keyboard user lands on it.
  var bad = document.querySelector('[aria-invalid="true"]');
  if (bad) { bad.focus(); }
})();
