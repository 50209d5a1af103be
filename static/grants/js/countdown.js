// Live countdown of a call's deadline (or opening). The server renders the remaining time,
// so the page works without JavaScript; this script only keeps it current.
// <p data-countdown data-deadline="ISO 8601" data-template="{time} left" data-done="...">
(function () {
  "use strict";
  var nodes = document.querySelectorAll("[data-countdown][data-deadline]");
  if (!nodes.length) { return; }
  var lang = document.documentElement.lang || "sq";
  try { lang = Intl.getCanonicalLocales(lang.replace(/-latn$/i, "-Latn"))[0]; } catch (e) { lang = "sq"; }

  function unit(name, value) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
    } catch (e) {
      return value + " " + name + (value === 1 ? "" : "s");
    }
  }

  function remaining(ms) {
    var seconds = Math.max(Math.floor(ms / 1000), 0);
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var parts = [];
    if (days) { parts.push(unit("day", days)); }
    if (days || hours) { parts.push(unit("hour", hours)); }
    if (days < 2) { parts.push(unit("minute", minutes)); }
    if (!days && !hours) { parts.push(unit("second", seconds % 60)); }
    return parts.join(", ");
  }

  function tick() {
    var now = Date.now();
    nodes.forEach(function (node) {
      var deadline = Date.parse(node.getAttribute("data-deadline"));
      if (isNaN(deadline)) { return; }
      var left = deadline - now;
      if (left <= 0) {
        node.textContent = node.getAttribute("data-done") || "";
        return;
      }
      var template = node.getAttribute("data-template") || "{time}";
      node.textContent = template.replace("{time}", remaining(left));
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();
