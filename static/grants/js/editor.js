// Grant application editor — progressive enhancement. Without JavaScript every form still
// works with its Save / Upload / Submit button; with it:
// - section forms autosave with htmx (hx-post on change); a 400 answer (not saved, with the
//   errors) is swapped like a success so that the errors show next to the fields;
// - tables (budget, work plan, group members) get "add a line" / "remove" buttons;
// - the budget shows each line's amount and the totals live (the server's totals, shown
//   after each save, are the ones that count);
// - long answers count their words against the limit;
// - the Submit button is disabled after the first click (the server refuses a second one).
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var elt = evt.detail.elt || (evt.detail.requestConfig && evt.detail.requestConfig.elt);
    if (elt && elt.closest && elt.closest("[data-autosave]") && evt.detail.xhr.status === 400) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-autosave")) {
      var status = document.getElementById("autosave-status");
      if (status) { status.textContent = status.dataset.saving || "…"; }
    }
  });

  // --- numbers --------------------------------------------------------------------------
  function parseNumber(text) {
    var value = String(text || "").replace(/\s/g, "").replace(",", ".");
    if (value === "") { return 0; }
    var number = Number(value);
    return isFinite(number) ? number : NaN;
  }
  function cents(number) { return Math.round(number * 100) / 100; }
  var lang = document.documentElement.lang || "sq";
  var money;
  try {
    money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch (e) {
    money = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function format(number) {
    if (isNaN(number)) { return "?"; }
    // As the server writes it (core.money through portal.js); the old way if that is missing.
    return window.ceaMoney ? window.ceaMoney(number) : money.format(number) + " EUR";
  }

  // --- budget -----------------------------------------------------------------------------
  function updateBudget() {
    var table = document.getElementById("budget-table");
    if (!table) { return; }
    var totals = { amount: 0, requested: 0, cofinancing: 0 };
    var bad = false;
    table.querySelectorAll("tbody tr[data-row]").forEach(function (row) {
      var get = function (col) {
        var input = row.querySelector("[data-col='" + col + "']");
        return input ? input.value : "";
      };
      var quantity = parseNumber(get("quantity"));
      var unit = parseNumber(get("unit_cost"));
      var cofinancing = parseNumber(get("cofinancing"));
      var amount = cents(quantity * unit);
      var requestedText = get("requested").trim();
      var requested = requestedText === "" ? cents(amount - cofinancing) : parseNumber(requestedText);
      var cell = row.querySelector("td[data-col='amount']");
      var empty = !get("quantity") && !get("unit_cost") && !get("cofinancing") && !requestedText;
      if (cell) { cell.textContent = empty ? "" : format(amount); }
      if (empty) { return; }
      if (isNaN(amount) || isNaN(requested) || isNaN(cofinancing)) { bad = true; return; }
      totals.amount += amount;
      totals.requested += requested;
      totals.cofinancing += cofinancing;
    });
    var live = table.querySelector("[data-live-totals]");
    if (!live) { return; }
    live.classList.remove("d-none");
    ["amount", "requested", "cofinancing"].forEach(function (key) {
      var cell = live.querySelector("[data-total='" + key + "']");
      if (cell) { cell.textContent = bad ? "?" : format(cents(totals[key])); }
    });
    var min = parseNumber(table.dataset.min), max = parseNumber(table.dataset.max);
    var percent = parseNumber(table.dataset.percent);
    var ok = !bad && totals.requested >= min && totals.requested <= max &&
      (!percent || (totals.amount > 0 && totals.cofinancing + 0.005 >= totals.amount * percent / 100));
    live.classList.toggle("table-success", ok);
    live.classList.toggle("table-warning", !ok);
    live.title = ok ? table.dataset.ok : table.dataset.notOk;
  }

  // --- rows of the tables -------------------------------------------------------------------
  function renumber(body) {
    var i = 0;
    body.querySelectorAll("tr[data-row]").forEach(function (row) {
      i += 1;
      var cell = row.querySelector("[data-row-number]");
      if (cell) { cell.textContent = String(i); }
    });
  }
  function nextIndex(body, prefix) {
    var max = -1;
    body.querySelectorAll("[name^='" + prefix + "-']").forEach(function (input) {
      var n = parseInt(input.name.split("-")[1], 10);
      if (!isNaN(n) && n > max) { max = n; }
    });
    return max + 1;
  }
  function changed(form) {
    if (form && window.htmx) { window.htmx.trigger(form, "change"); }
  }
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-row");
    var body = document.querySelector("tbody[data-rowset='" + prefix + "']");
    var template = document.getElementById(prefix + "-row-template");
    if (!body || !template) { return; }
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var html = template.innerHTML.replace(/__n__/g, String(nextIndex(body, prefix)));
      body.insertAdjacentHTML("beforeend", html);
      var row = body.lastElementChild;
      var remove = row.querySelector("[data-remove-row]");
      if (remove) { remove.classList.remove("d-none"); }
      renumber(body);
      var first = row.querySelector("input, select");
      if (first) { first.focus(); }
    });
  });
  document.querySelectorAll("tbody[data-rowset] [data-remove-row]").forEach(function (b) {
    b.classList.remove("d-none");
  });
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-remove-row]");
    if (!button) { return; }
    var row = button.closest("tr");
    var body = row && row.parentElement;
    var form = button.closest("form");
    if (!row || !body) { return; }
    row.remove();
    renumber(body);
    updateBudget();
    changed(form);
  });

  // --- word counters ----------------------------------------------------------------------
  function countWords(text) {
    var trimmed = String(text || "").trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }
  function updateCounter(textarea) {
    var counter = document.querySelector("[data-word-count-for='" + textarea.id + "']");
    if (!counter) { return; }
    var limit = parseInt(textarea.getAttribute("data-word-limit"), 10);
    var count = countWords(textarea.value);
    counter.textContent = (counter.dataset.template || "__count__").replace("__count__", String(count));
    var over = !isNaN(limit) && count > limit;
    counter.classList.toggle("text-danger", over);
    textarea.classList.toggle("is-invalid", over);
  }

  document.addEventListener("input", function (evt) {
    var target = evt.target;
    if (target.matches && target.matches("textarea[data-word-limit]")) { updateCounter(target); }
    if (target.closest && target.closest("#budget-table")) { updateBudget(); }
  });
  document.querySelectorAll("textarea[data-word-limit]").forEach(updateCounter);
  updateBudget();

  // --- submit once ------------------------------------------------------------------------
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (evt) {
      if (form.dataset.sent) { evt.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type='submit']").forEach(function (button) {
        window.setTimeout(function () {
          button.disabled = true;
          if (button.dataset.sending) { button.textContent = button.dataset.sending; }
        }, 0);
      });
    });
  });
})();
