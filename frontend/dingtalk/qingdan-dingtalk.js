// The part of dingtalk-jsapi the 钉钉 workbench sign-in page uses (static/js/dingtalk-signin.js):
// the environment, ready / error, and the 免登 code (runtime.permission.requestAuthCode), with the
// mobile and PC bridges. Built by scripts/vendor_assets.sh into static/vendor/dingtalk-jsapi/.
import dd from "dingtalk-jsapi/entry/union";
import requestAuthCode from "dingtalk-jsapi/api/runtime/permission/requestAuthCode";

window.dd = {
  env: dd.env,
  ready: dd.ready,
  error: dd.error,
  runtime: { permission: { requestAuthCode } },
};
