/* The cockpit: charts from the page's JSON (json_script), a sortable, paged table.
   No inline script, so the page works under a strict Content-Security-Policy. */
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#d63384",
                 "#0dcaf0", "#6c757d", "#ffc107", "#dc3545"];
  var charts = [];

  function drillTo(index) {
    if (!data.drillable || index == null || data.keys[index] == null) { return; }
    window.location.search = "?level=" + data.level + "&id=" + data.keys[index];
  }

  function chart(id, option, onClick) {
    var element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") { return null; }
    var instance = echarts.init(element, null, { renderer: "canvas" });
    option.color = option.color || palette;
    option.animation = false;
    instance.setOption(option);
    if (onClick) { instance.on("click", onClick); }
    charts.push(instance);
    element.setAttribute("data-ready", "1");
    return instance;
  }

  var category = {
    type: "category", data: data.names,
    axisLabel: { interval: 0, rotate: data.names.length > 4 ? 35 : 0, width: 80, overflow: "truncate" }
  };
  var grid = { left: 36, right: 12, top: 34, bottom: data.names.length > 4 ? 70 : 30, containLabel: false };
  var clickCategory = function (params) { drillTo(params.dataIndex); };

  var trendSeries = data.trend.map(function (row) {
    return { name: row.name, type: "line", data: row.data, connectNulls: true, symbolSize: 6 };
  });
  trendSeries.push({
    name: data.labels.city, type: "line", data: data.total_trend, connectNulls: true,
    lineStyle: { width: 4, color: "#212529" }, itemStyle: { color: "#212529" }, z: 10
  });
  chart("chart-trend", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "–" : v + "%"; } },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: trendSeries
  }, function (params) { drillTo(params.seriesIndex < data.keys.length ? params.seriesIndex : null); });

  chart("chart-coverage", {
    tooltip: { trigger: "axis" }, grid: grid, xAxis: category,
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ name: data.labels.coverage, type: "bar", data: data.coverage, label: { show: data.names.length <= 8, position: "top" } }]
  }, clickCategory);

  chart("chart-zones", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid, xAxis: category,
    yAxis: { type: "value", minInterval: 1 },
    color: ["#dc3545", "#ffc107", "#0d6efd"],
    series: [
      { name: data.labels.red, type: "bar", stack: "zones", data: data.zones.red },
      { name: data.labels.yellow, type: "bar", stack: "zones", data: data.zones.yellow },
      { name: data.labels.changes, type: "line", data: data.zones.changes }
    ]
  }, clickCategory);

  chart("chart-reports", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: grid, xAxis: category,
    yAxis: { type: "value", minInterval: 1 },
    color: ["#198754", "#dc3545", "#adb5bd"],
    series: [
      { name: data.labels.on_time, type: "bar", stack: "r", data: data.reports.on_time },
      { name: data.labels.late, type: "bar", stack: "r", data: data.reports.late },
      { name: data.labels.open, type: "bar", stack: "r", data: data.reports.open }
    ]
  }, clickCategory);

  chart("chart-unpaired", {
    tooltip: { trigger: "axis" }, grid: grid, xAxis: category, yAxis: { type: "value", minInterval: 1 },
    color: ["#d63384"],
    series: [{ name: data.labels.unpaired, type: "bar", data: data.unpaired, label: { show: true, position: "top" } }]
  }, clickCategory);

  chart("chart-away", {
    tooltip: { trigger: "axis" }, grid: grid, xAxis: category, yAxis: { type: "value", minInterval: 1 },
    color: ["#fd7e14"],
    series: [{ name: data.labels.away, type: "bar", data: data.away, label: { show: true, position: "top" } }]
  }, clickCategory);

  var statusColor = { active: "#198754", handover: "#fd7e14", forming: "#0dcaf0", ended: "#6c757d", "": "#dc3545" };
  var byStatus = {};
  data.villages.forEach(function (v) { (byStatus[v.status] = byStatus[v.status] || []).push(v); });
  var mapSeries = Object.keys(byStatus).map(function (status) {
    return {
      name: data.labels.status[status] || status, type: "scatter", symbolSize: 9,
      itemStyle: { color: statusColor[status] || "#6c757d" },
      data: byStatus[status].map(function (v) { return { name: v.name, value: v.value, village: v.village }; })
    };
  });
  /* Axes around the villages with a margin, so one village is not lost in a wide box. */
  function bounds(index) {
    var values = data.villages.map(function (v) { return v.value[index]; });
    if (!values.length) { return {}; }
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var pad = Math.max(0.2, (high - low) * 0.08);
    return { min: Math.floor((low - pad) * 10) / 10, max: Math.ceil((high + pad) * 10) / 10 };
  }
  var lng = bounds(0), lat = bounds(1);
  chart("chart-map", {
    tooltip: { trigger: "item", formatter: function (p) { return p.data.name; } },
    legend: { top: 0, type: "scroll" },
    grid: { left: 44, right: 12, top: 34, bottom: 28 },
    xAxis: { type: "value", scale: true, name: "E", min: lng.min, max: lng.max, axisLabel: { formatter: "{value}°" } },
    yAxis: { type: "value", scale: true, name: "N", min: lat.min, max: lat.max, axisLabel: { formatter: "{value}°" } },
    series: mapSeries
  }, function (params) {
    if (params.data && params.data.village) {
      window.location.search = "?level=village&id=" + params.data.village;
    }
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });

  /* The table: sort by a header, page by 20 rows. */
  var table = document.querySelector(".cockpit-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var pager = document.querySelector(".table-pager");
  var size = parseInt(table.getAttribute("data-page-size"), 10) || 20;
  var page = 0;
  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr[data-key]")); }
  function render() {
    var all = rows();
    var pages = Math.max(1, Math.ceil(all.length / size));
    page = Math.min(page, pages - 1);
    all.forEach(function (row, i) { row.hidden = Math.floor(i / size) !== page; });
    pager.innerHTML = "";
    if (pages <= 1) { return; }
    function button(text, target, disabled) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "btn btn-outline-secondary"; b.textContent = text; b.disabled = disabled;
      b.addEventListener("click", function () { page = target; render(); });
      pager.appendChild(b);
    }
    button(pager.getAttribute("data-prev") || "‹", page - 1, page === 0);
    var label = document.createElement("span");
    label.textContent = (page + 1) + " / " + pages;
    label.setAttribute("data-testid", "pager-label");
    pager.appendChild(label);
    button(pager.getAttribute("data-next") || "›", page + 1, page >= pages - 1);
  }
  Array.prototype.forEach.call(table.querySelectorAll(".sort-button"), function (button, index) {
    button.addEventListener("click", function () {
      var numeric = button.getAttribute("data-sort") === "number";
      var descending = button.getAttribute("aria-sort") !== "descending";
      Array.prototype.forEach.call(table.querySelectorAll(".sort-button"), function (b) { b.removeAttribute("aria-sort"); });
      button.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var sorted = rows().sort(function (a, b) {
        var x = a.children[index].getAttribute("data-value");
        var y = b.children[index].getAttribute("data-value");
        var result = numeric ? (parseFloat(x) || -1) - (parseFloat(y) || -1) : x.localeCompare(y, "zh");
        return descending ? -result : result;
      });
      sorted.forEach(function (row) { body.appendChild(row); });
      page = 0;
      render();
    });
  });
  render();
})();
