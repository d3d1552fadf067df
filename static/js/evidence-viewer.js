// The task page's photo viewer: a thumbnail opens the photo (through the evidence view, which
// checks scope) in a Bootstrap modal, with previous / next (buttons, arrow keys, a swipe).
// A thumbnail that cannot be made (404) is replaced by a plain image icon.
(function () {
  var links = Array.prototype.slice.call(document.querySelectorAll("a.evidence-thumb"));
  links.forEach(function (a) {
    var img = a.querySelector("img");
    if (!img) return;
    img.addEventListener("error", function () {
      var icon = document.createElement("i");
      icon.className = "bi bi-file-earmark-image fs-2 text-secondary";
      icon.setAttribute("aria-label", img.alt);
      img.replaceWith(icon);
    });
  });
  var box = document.getElementById("evidence-viewer");
  if (!links.length || !box || !window.bootstrap) return;
  var modal = new bootstrap.Modal(box);
  var image = document.getElementById("evidence-viewer-image");
  var title = document.getElementById("evidence-viewer-title");
  var count = document.getElementById("evidence-viewer-count");
  var download = document.getElementById("evidence-viewer-download");
  var prev = document.getElementById("evidence-viewer-prev");
  var next = document.getElementById("evidence-viewer-next");
  var current = 0;

  function show(i) {
    current = (i + links.length) % links.length;
    var a = links[current];
    image.src = a.getAttribute("href");
    image.alt = a.dataset.caption || "";
    title.textContent = a.dataset.caption || "";
    download.setAttribute("href", a.dataset.download || a.getAttribute("href"));
    count.textContent = (current + 1) + " / " + links.length;
    prev.disabled = next.disabled = links.length < 2;
  }

  links.forEach(function (a, i) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      show(i);
      modal.show();
    });
  });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "ArrowLeft") show(current - 1);
    if (e.key === "ArrowRight") show(current + 1);
  });
  var startX = null;
  box.addEventListener("touchstart", function (e) { startX = e.changedTouches[0].clientX; }, { passive: true });
  box.addEventListener("touchend", function (e) {
    if (startX === null) return;
    var dx = e.changedTouches[0].clientX - startX;
    startX = null;
    if (Math.abs(dx) > 50) show(current + (dx < 0 ? 1 : -1));
  }, { passive: true });
  box.addEventListener("hidden.bs.modal", function () { image.removeAttribute("src"); });
})();
