// Small helpers shared by every page; no third-party code here.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "alert alert-danger position-fixed bottom-0 end-0 m-3";
  box.setAttribute("role", "alert");
  box.textContent = evt.detail.xhr.status === 409 ? document.body.dataset.msgConflict : document.body.dataset.msgError;
  document.body.appendChild(box);
  setTimeout(function () { box.remove(); }, 6000);
});

// Behaviour declared in the markup (the Content-Security-Policy allows no inline script or
// style): data-autosubmit, data-confirm, data-back, data-print, data-style-fields, data-width-percent.
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
});
// A file larger than any upload may be is refused here, before it is sent: the input is
// cleared and a message says why (the server refuses it too, accounts/upload_limit.py).
document.addEventListener("change", function (evt) {
  var el = evt.target;
  if (!el.matches || !el.matches("input[type=file]")) return;
  if (!el.files || !el.files.length) return;  // cleared (below): the message stays
  var max = parseInt(document.body.dataset.uploadMax, 10);
  var old = el.parentNode.querySelector("[data-upload-too-big]");
  if (old) old.remove();
  var big = Array.prototype.filter.call(el.files, function (f) { return f.size > max; });
  if (!max || !big.length) return;
  el.value = "";
  el.dispatchEvent(new Event("change", {bubbles: true}));  // lists of chosen files follow
  var note = document.createElement("div");
  note.className = "invalid-feedback d-block";
  note.setAttribute("data-upload-too-big", "");
  note.setAttribute("role", "alert");
  note.textContent = document.body.dataset.msgTooBig.replace("{name}", big[0].name);
  el.insertAdjacentElement("afterend", note);
});
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    evt.preventDefault();
    evt.stopImmediatePropagation();
  }
}, true);
document.addEventListener("click", function (evt) {
  var link = evt.target.closest && evt.target.closest("[data-back], [data-print]");
  if (!link) return;
  evt.preventDefault();
  if (link.hasAttribute("data-print")) window.print(); else history.back();
});
function qdDecorate(root) {
  root.querySelectorAll("form[data-style-fields] input:not([type=checkbox]):not([type=hidden]), form[data-style-fields] select, form[data-style-fields] textarea").forEach(function (el) {
    el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
  });
  root.querySelectorAll("[data-width-percent]").forEach(function (el) {
    el.style.width = Math.max(0, Math.min(100, parseFloat(el.dataset.widthPercent) || 0)) + "%";
  });
}
if (window.htmx) htmx.onLoad(qdDecorate); else document.addEventListener("DOMContentLoaded", function () { qdDecorate(document); });
