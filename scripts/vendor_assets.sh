#!/usr/bin/env bash
# Refresh static/vendor/ from the exact versions pinned in frontend/package-lock.json.
# Only needed to upgrade assets (needs node + npm); `make run`/`make test` use the committed files.
# To change a version: cd frontend && npm install --save-exact <pkg>@<version>; then run this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
nm="$root/frontend/node_modules"
out="$root/static/vendor"

(cd "$root/frontend" && npm ci --no-audit --no-fund --loglevel=error)

rm -rf "$out"
mkdir -p "$out"/{bootstrap,htmx,echarts,bootstrap-icons/fonts,tom-select,dingtalk-jsapi}

# Bootstrap: the .map files must sit next to the minified files, otherwise whitenoise's
# CompressedManifestStaticFilesStorage fails collectstatic on the sourceMappingURL.
cp "$nm"/bootstrap/dist/css/bootstrap.min.css{,.map}      "$out/bootstrap/"
cp "$nm"/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$out/bootstrap/"
cp "$nm"/bootstrap/LICENSE                                 "$out/bootstrap/LICENSE"

cp "$nm"/htmx.org/dist/htmx.min.js "$out/htmx/"
cp "$nm"/htmx.org/LICENSE          "$out/htmx/LICENSE"

# ECharts: a build with only the chart types and components the dashboard uses
# (frontend/echarts/qingdan-echarts.js), about half of the full 1.1 MB dist file.
"$nm"/.bin/esbuild "$root/frontend/echarts/qingdan-echarts.js" --bundle --minify --format=iife --target=es2017 \
  --legal-comments=none --log-level=warning --outfile="$out/echarts/echarts.min.js"
cp "$nm"/echarts/LICENSE             "$out/echarts/LICENSE"

cp "$nm"/bootstrap-icons/font/bootstrap-icons.min.css        "$out/bootstrap-icons/"
cp "$nm"/bootstrap-icons/font/fonts/bootstrap-icons.woff{,2} "$out/bootstrap-icons/fonts/"
cp "$nm"/bootstrap-icons/LICENSE                             "$out/bootstrap-icons/LICENSE"

# Tom Select (the searchable pickers): the complete build bundles its two small dependencies;
# the Bootstrap 5 theme. Maps beside the minified files, as for Bootstrap.
cp "$nm"/tom-select/dist/js/tom-select.complete.min.js{,.map}      "$out/tom-select/"
cp "$nm"/tom-select/dist/css/tom-select.bootstrap5.min.css{,.map}  "$out/tom-select/"
cp "$nm"/tom-select/LICENSE                                          "$out/tom-select/LICENSE"

# dingtalk-jsapi (the 钉钉 workbench sign-in page): a build with only the environment and the 免登
# code (frontend/dingtalk/qingdan-dingtalk.js). The package states its MIT licence in package.json
# only; the bundled promise-polyfill ships its own.
"$nm"/.bin/esbuild "$root/frontend/dingtalk/qingdan-dingtalk.js" --bundle --minify --format=iife --target=es2017 \
  --legal-comments=none --log-level=warning --outfile="$out/dingtalk-jsapi/dingtalk.min.js"
{ printf 'dingtalk-jsapi %s: licence "%s" (package.json, author %s); no LICENSE file in the package.\n\n' \
    "$(node -p 'require(process.argv[1]).version' "$nm/dingtalk-jsapi/package.json")" \
    "$(node -p 'require(process.argv[1]).license' "$nm/dingtalk-jsapi/package.json")" \
    "$(node -p 'require(process.argv[1]).author' "$nm/dingtalk-jsapi/package.json")"
  printf 'Bundled promise-polyfill:\n\n'; cat "$nm"/promise-polyfill/LICENSE; } > "$out/dingtalk-jsapi/LICENSE"

# Record what was vendored.
node -e '
  const lock = require(process.argv[1]);
  for (const n of ["bootstrap", "bootstrap-icons", "dingtalk-jsapi", "echarts", "esbuild", "htmx.org", "promise-polyfill", "tom-select"])
    console.log(n + "@" + lock.packages["node_modules/" + n].version);
' "$root/frontend/package-lock.json" > "$out/VERSIONS.txt"

echo "vendor_assets: refreshed $out" >&2
cat "$out/VERSIONS.txt" >&2
(cd "$out" && find . -type f | sort | xargs ls -l | awk '{printf "  %9d  %s\n", $5, $9}') >&2
