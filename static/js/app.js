// Small helpers shared by every page; no third-party code here.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.createElement("div");
  box.className = "alert alert-danger position-fixed bottom-0 end-0 m-3";
  box.setAttribute("role", "alert");
  box.textContent = evt.detail.xhr.status === 409 ? document.body.dataset.msgConflict : document.body.dataset.msgError;
  document.body.appendChild(box);
  setTimeout(function () { box.remove(); }, 6000);
});
