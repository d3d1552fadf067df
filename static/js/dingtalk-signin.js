// The 钉钉 workbench sign-in page (workapp/dingtalk_workbench.html): ask the 钉钉 client for a
// 免登 code (dingtalk-jsapi, vendored) and post it back with the page's state and CSRF token; the
// server exchanges it and signs the person in. Outside 钉钉 the page says so instead.
(function () {
  "use strict";
  var root = document.getElementById("dingtalk-signin");
  if (!root) return;
  var form = root.querySelector("form[data-dd-form]");
  if (!form) return;
  var done = false;

  function show(step) {
    root.querySelectorAll("[data-dd-step]").forEach(function (el) {
      el.hidden = el.getAttribute("data-dd-step") !== step;
    });
  }

  function fail(error) {
    if (done) return;
    done = true;
    var text = "";
    if (error && typeof error === "object") text = error.errorMessage || error.message || JSON.stringify(error);
    else if (error) text = String(error);
    root.querySelector("[data-dd-error]").textContent = text.slice(0, 300) || "—";
    show("failed");
  }

  function signIn(result) {
    var code = result && (result.code || result.authCode);
    if (!code) return fail(result);
    if (done) return;
    done = true;
    form.elements.code.value = code;
    form.submit();
  }

  var dd = window.dd;
  if (!dd || !dd.env || !dd.env.platform || dd.env.platform === "notInDingTalk") {
    show("outside");
    return;
  }
  if (typeof dd.error === "function") dd.error(fail);
  dd.ready(function () {
    var asked = dd.runtime.permission.requestAuthCode({
      corpId: root.getAttribute("data-corp-id"),
      onSuccess: signIn,
      onFail: fail,
    });
    if (asked && typeof asked.catch === "function") asked.catch(fail);
  });
})();
