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
  // Amounts are read as the page writes them (<body data-money-decimal/-thousands>, as
  // core.money does: "1.500,00" in sq and sr-Latn, "1,500.00" in en) and computed exactly in
  // cents, rounded half up like grants.models.to_cents: the totals shown here are the ones
  // the server computes, so the editor never says OK where the submission refuses.
  function separators() {
    var root = document.body ? document.body.dataset : {};
    return { decimal: root.moneyDecimal || ".", thousands: root.moneyThousands || "," };
  }
  // "1.500,00" → {digits: 150000n, scale: 2}; "" → zero; anything else → null.
  function parseExact(text) {
    var sep = separators();
    var value = String(text || "").replace(/[\s\u00a0\u202f€]/g, "");
    if (value === "") { return { digits: BigInt(0), scale: 0 }; }
    if (sep.thousands) { value = value.split(sep.thousands).join(""); }
    if (sep.decimal !== ".") { value = value.split(sep.decimal).join("."); }
    var match = /^(\d*)(?:\.(\d*))?$/.exec(value);
    if (!match || (match[1] + (match[2] || "")) === "") { return null; }
    var fraction = match[2] || "";
    return { digits: BigInt(match[1] + fraction || "0"), scale: fraction.length };
  }
  function ten(power) { return BigInt(10) ** BigInt(power); }
  // digits / 10^scale in cents, half up (values are never negative here).
  function centsHalfUp(digits, scale) {
    if (scale <= 2) { return digits * ten(2 - scale); }
    var unit = ten(scale - 2);
    return (digits * BigInt(2) + unit) / (unit * BigInt(2));
  }
  function toCents(text) {
    var n = parseExact(text);
    return n === null ? null : centsHalfUp(n.digits, n.scale);
  }
  function lineCents(quantity, unit) {  // grants.models.budget_line_amount
    var q = parseExact(quantity), u = parseExact(unit);
    if (q === null || u === null) { return null; }
    return centsHalfUp(q.digits * u.digits, q.scale + u.scale);
  }
  function neededCents(totalCents, percentText) {  // services.cofinancing_needed
    var p = parseExact(percentText);
    if (p === null) { return null; }
    var denominator = BigInt(100) * ten(p.scale);
    return (totalCents * p.digits * BigInt(2) + denominator) / (denominator * BigInt(2));
  }
  function format(cents, sign) {
    if (cents === null) { return "?"; }
    var number = Number(cents) / 100;
    return window.ceaMoney ? window.ceaMoney(number, sign) : number.toFixed(2);
  }

  // --- budget -----------------------------------------------------------------------------
  function updateBudget() {
    var table = document.getElementById("budget-table");
    if (!table) { return; }
    var zero = BigInt(0);
    var totals = { amount: zero, requested: zero, cofinancing: zero };
    var bad = false;
    table.querySelectorAll("tbody tr[data-row]").forEach(function (row) {
      var get = function (col) {
        var input = row.querySelector("[data-col='" + col + "']");
        return input ? input.value : "";
      };
      var amount = lineCents(get("quantity"), get("unit_cost"));
      var cofinancing = toCents(get("cofinancing"));
      var requestedInput = row.querySelector("input[data-col='requested']");
      var requestedText = get("requested").trim();
      var auto = amount === null || cofinancing === null ? null : amount - cofinancing;
      var requested = requestedText === "" ? auto : toCents(requestedText);
      var cell = row.querySelector("td[data-col='amount']");
      var empty = !get("quantity") && !get("unit_cost") && !get("cofinancing") && !requestedText;
      if (cell) { cell.textContent = empty ? "" : format(amount); }
      // An empty "Requested" follows quantity × unit cost less the co-financing: say how much.
      if (requestedInput) {
        requestedInput.placeholder = empty || auto === null || auto < zero
          ? (requestedInput.dataset.autoLabel || "") : format(auto, false);
      }
      if (empty) { return; }
      if (amount === null || requested === null || cofinancing === null) { bad = true; return; }
      totals.amount += amount;
      totals.requested += requested;
      totals.cofinancing += cofinancing;
    });
    var live = table.querySelector("[data-live-totals]");
    if (!live) { return; }
    live.classList.remove("d-none");
    ["amount", "requested", "cofinancing"].forEach(function (key) {
      var cell = live.querySelector("[data-total='" + key + "']");
      if (cell) { cell.textContent = bad ? "?" : format(totals[key]); }
    });
    var min = toCents(table.dataset.min), max = toCents(table.dataset.max);
    var total = totals.requested + totals.cofinancing;
    var needed = table.dataset.percent ? neededCents(total, table.dataset.percent) : zero;
    var ok = !bad && min !== null && max !== null && needed !== null &&
      totals.requested >= min && totals.requested <= max &&
      (needed === zero || (total > zero && totals.cofinancing >= needed));
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
  // Rows swapped in after an autosave: their placeholders and the live totals again.
  document.addEventListener("htmx:afterSettle", updateBudget);

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
