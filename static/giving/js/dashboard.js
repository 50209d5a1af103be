/* The charts of the giving dashboard (Chart.js, vendored). The numbers come from the
 * json_script element #giving-data; every chart also has a table of its data in the page,
 * so nothing is lost without JavaScript. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  var source = document.getElementById("giving-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels || {};
  var blue = "#0b4f8a";
  var palette = ["#0b4f8a", "#f5b700", "#146c43", "#b02a37", "#6f42c1", "#0dcaf0", "#fd7e14", "#6c757d", "#20c997", "#d63384", "#198754"];
  var narrow = window.matchMedia && window.matchMedia("(max-width: 575.98px)").matches;
  Chart.defaults.font.size = narrow ? 11 : 12;
  Chart.defaults.maintainAspectRatio = false;

  function num(value) { return parseFloat(value) || 0; }

  function draw(id, type, rows, labelOf, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !rows || !rows.length) { return; }
    var horizontal = options && options.horizontal;
    new Chart(canvas, {
      type: type,
      data: {
        labels: rows.map(labelOf),
        datasets: [{
          label: labels.total || "EUR",
          data: rows.map(function (r) { return num(r.total); }),
          backgroundColor: type === "doughnut" ? palette : blue,
          borderColor: type === "line" ? blue : undefined,
          fill: false,
          tension: 0.2,
          pointRadius: type === "line" ? 0 : undefined
        }]
      },
      options: {
        responsive: true,
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        plugins: {
          legend: { display: type === "doughnut", position: narrow ? "bottom" : "right" },
          // Amounts as the page writes them (core.money, through portal.js's ceaMoney).
          tooltip: { callbacks: { label: function (ctx) {
            var v = typeof ctx.parsed === "object" ? (horizontal ? ctx.parsed.x : ctx.parsed.y) : ctx.parsed;
            return ctx.dataset.label + ": " + (window.ceaMoney ? window.ceaMoney(v) : v);
          } } }
        },
        scales: type === "doughnut" ? {} : { x: { ticks: { autoSkip: true, maxRotation: 0 } }, y: { ticks: { autoSkip: !horizontal } } }
      }
    });
  }

  draw("chart-by-year", "bar", data.by_year, function (r) { return String(r.year); });
  draw("chart-by-month", "line", data.by_month, function (r) { return r.month; });
  draw("chart-by-donor-type", "doughnut", data.by_donor_type, function (r) { return r.label; });
  draw("chart-diaspora", "doughnut", [
    { label: labels.diaspora, total: data.diaspora.diaspora.total },
    { label: labels.domestic, total: data.diaspora.domestic.total }
  ], function (r) { return r.label; });
  draw("chart-top-causes", "bar", data.top_causes, function (r) { return r.label; }, { horizontal: true });
  draw("chart-by-recipient-type", "bar", data.by_recipient_type, function (r) { return r.label; }, { horizontal: true });
  draw("chart-by-support-kind", "bar", data.by_support_kind, function (r) { return r.label; }, { horizontal: true });
})();
