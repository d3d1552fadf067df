// The ECharts the dashboard uses, and nothing more: bar and line charts on a grid with
// tooltips and a legend, drawn on canvas. scripts/vendor_assets.sh bundles this file into
// static/vendor/echarts/echarts.min.js (window.echarts); add a chart type or component here
// before using it in static/js/.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
window.echarts = echarts;
