// Subtree picker of the dispatch page: ticking a group (or "all") ticks its organisations.
document.addEventListener("change", function (evt) {
  var box = evt.target;
  if (box.matches("[data-all]")) {
    document.querySelectorAll("#org-picker [data-org], #org-picker [data-group]").forEach(function (b) { b.checked = box.checked; });
  } else if (box.matches("[data-group]")) {
    box.closest("[data-group-box]").querySelectorAll("[data-org]").forEach(function (b) { b.checked = box.checked; });
  }
});
