// The reports dashboard: its four charts (data from the page's #chart-data) and the sortable org table
// (the children's rows sort; the org's own row stays on top).
(function () {
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  const charts = [];
  // tooltips drawn on the canvas: an HTML tooltip carries style attributes the CSP refuses
  const TIP = {renderMode: "richText"};
  function mk(id, opt) { const el = document.getElementById(id); if (!el || !window.echarts) return; const c = echarts.init(el); c.setOption(opt); charts.push(c); }
  // a chart's bar colour is its warning colour's, as app.css defines it (the element's qd-colour-* class)
  const colour = id => { const el = document.getElementById(id); return el ? getComputedStyle(el).getPropertyValue("--qd-c").trim() || undefined : undefined; };
  const pctAxis = {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}};
  mk("chart-orgs", {grid: {left: 80, right: 48, top: 10, bottom: 24}, tooltip: TIP, xAxis: pctAxis, yAxis: {type: "category", data: d.orgs, inverse: true}, series: [{type: "bar", data: d.rates, name: d.labels.rate, label: {show: true, position: "right", formatter: p => p.value == null ? "—" : p.value + "%"}}]});
  mk("chart-trend", {grid: {left: 40, right: 40, top: 30, bottom: 24}, tooltip: Object.assign({trigger: "axis"}, TIP), legend: {top: 0}, xAxis: {type: "category", data: d.months}, yAxis: [pctAxis, {type: "value"}], series: [{type: "line", name: d.labels.rate, data: d.trend, connectNulls: false}, {type: "bar", name: d.labels.due, yAxisIndex: 1, data: d.trend_due, itemStyle: {opacity: .35}}]});
  mk("chart-categories", {grid: {left: 90, right: 30, top: 10, bottom: 24}, tooltip: TIP, xAxis: pctAxis, yAxis: {type: "category", data: d.categories.map(c => c.name)}, series: [{type: "bar", data: d.categories.map(c => c.value), itemStyle: {color: colour("chart-categories")}}]});
  mk("chart-late", {grid: {left: 140, right: 30, top: 10, bottom: 24}, tooltip: TIP, xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", inverse: true, data: d.late_items.map(i => i[0]), axisLabel: {width: 130, overflow: "truncate"}}, series: [{type: "bar", data: d.late_items.map(i => i[1]), itemStyle: {color: colour("chart-late")}}]});
  window.addEventListener("resize", () => charts.forEach(c => c.resize()));
  const table = document.getElementById("org-table");
  table.querySelectorAll("th[data-sort]").forEach((th, i) => th.addEventListener("click", () => {
    const body = document.getElementById("org-rows"), rows = Array.from(body.rows), num = th.dataset.sort === "num";
    const dir = th.dataset.dir === "asc" ? -1 : 1; th.dataset.dir = dir === 1 ? "asc" : "desc";
    const key = r => { const t = r.cells[i].dataset.value ?? r.cells[i].textContent.trim(); return num ? (t === "" || t === "—" ? -1 : parseFloat(t)) : t; };
    rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * dir).forEach(r => body.appendChild(r));
  }));
})();
