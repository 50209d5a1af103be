// Charts of the public-funding dashboard. The data comes from the page's json_script
// element (no inline script: CSP); every chart has the same figures in a table.
(function () {
  "use strict";
  var source = document.getElementById("funding-chart-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data;
  try { data = JSON.parse(source.textContent); } catch (e) { return; }
  var palette = ["#0b4f8a", "#e0a100", "#2e8b57", "#b03a2e", "#6c3483", "#148f77", "#7f8c8d", "#d35400"];
  var lang = document.documentElement.lang || "sq";
  var money = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = data[canvas.getAttribute("data-chart")];
    if (!chart || !chart.labels.length) { return; }
    var type = canvas.getAttribute("data-type") || "bar";
    var horizontal = type === "bar" && chart.labels.length > 6;
    var datasets = chart.series.map(function (series, i) {
      var colors = type === "doughnut" ? palette.slice(0, series.data.length) : palette[i % palette.length];
      return { label: series.label, data: series.data, backgroundColor: colors, borderColor: colors, tension: 0.2 };
    });
    new window.Chart(canvas, {
      type: type,
      data: { labels: chart.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: horizontal ? 1.1 : (type === "doughnut" ? 1.6 : 1.8),
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: datasets.length > 1 || type === "doughnut" },
          tooltip: { callbacks: { label: function (ctx) {
            var v = typeof ctx.parsed === "object" ? (horizontal ? ctx.parsed.x : ctx.parsed.y) : ctx.parsed;
            return ctx.dataset.label + ": " + (window.ceaMoney ? window.ceaMoney(v) : money.format(v) + " €");
          } } }
        },
        scales: type === "doughnut" ? {} : { x: { ticks: { autoSkip: true } }, y: { beginAtZero: true } }
      }
    });
  });
})();
