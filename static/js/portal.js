// CEA Portal — progressive enhancement only; every page works without JavaScript.
// The page's #htmx-error box tells the outcome of the latest htmx request only: a refusal
// sent as plain text (a translated sentence) is shown as it is, any other failure the box's
// own message (never an earlier refusal's sentence), and a request that succeeds hides it.
(function () {
  function box() {
    var el = document.getElementById("htmx-error");
    if (el && el.dataset.defaultText === undefined) { el.dataset.defaultText = el.textContent; }
    return el;
  }
  function show(text) {
    var el = box();
    if (!el) { return; }
    el.textContent = text || el.dataset.defaultText;
    el.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail && evt.detail.xhr;
    var plain = xhr && /^text\/plain/.test(xhr.getResponseHeader("Content-Type") || "");
    show(plain ? (xhr.responseText || "").slice(0, 500) : "");
  });
  document.addEventListener("htmx:sendError", function () { show(""); });
  document.addEventListener("htmx:afterRequest", function (evt) {
    var el = box();
    if (el && evt.detail && evt.detail.successful) {
      el.hidden = true;
      el.textContent = el.dataset.defaultText;
    }
  });
})();

// An amount as the page writes it (core.money: "1.554.050,00 €" in sq and sr-Latn,
// "€1,554,050.00" in en); the format comes from <body data-money-*>. `sign` false: no €.
window.ceaMoney = function (number, sign) {
  var root = document.body ? document.body.dataset : {};
  if (number === null || number === "" || !isFinite(Number(number))) { return ""; }
  var cents = Math.round(Math.abs(Number(number)) * 100);
  var whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, root.moneyThousands || ",");
  var fraction = String(cents % 100).padStart(2, "0");
  var text = whole + (root.moneyDecimal || ".") + fraction;
  if (sign !== false) { text = (root.moneyPattern || "{} €").replace("{}", text); }
  return (Number(number) < 0 && cents !== 0 ? "-" : "") + text;
};

// The language switcher's links open this page in another language; remember the choice in
// the language cookie too, as Django's set_language did (for `/`, /admin/ and, when signed
// in, the profile: core.i18n.PreferredLanguageMiddleware).
document.addEventListener("click", function (evt) {
  var link = evt.target.closest ? evt.target.closest(".language-switcher a[hreflang]") : null;
  if (!link) { return; }
  var name = link.parentElement.dataset.cookieName || "django_language";
  document.cookie = name + "=" + encodeURIComponent(link.hreflang) + "; path=/; max-age=31536000; samesite=lax";
});

// A table too wide for the screen scrolls inside its .table-responsive box: make that box
// reachable and scrollable with the keyboard (tabindex=0) and name it for screen readers
// (role=group, named after the table's caption or the heading above it) — only while it
// really scrolls, so that boxes that fit add no tab stop. Again on resize and htmx swaps.
(function () {
  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var labelled = box.closest("[aria-labelledby]");
    var heading = labelled ? document.getElementById(labelled.getAttribute("aria-labelledby").split(" ")[0]) : null;
    if (!heading) {
      var headings = document.querySelectorAll("main h1, main h2, main h3, main h4, main h5, main h6");
      for (var i = 0; i < headings.length; i++) {
        if (headings[i].compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING) { heading = headings[i]; }
      }
    }
    return heading ? heading.textContent.trim() : "";
  }
  function update(root) {
    var boxes = (root && root.querySelectorAll ? root : document).querySelectorAll(".table-responsive");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.dataset.autoLabel = "1";
        var name = nameOf(box);
        // role=group, not region: a landmark per table would clutter the landmarks and repeat
        // the name of the section around it.
        if (name) { box.setAttribute("role", "group"); box.setAttribute("aria-label", name); }
      } else if (box.dataset.autoLabel) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.autoLabel;
      }
    }
  }
  var pending = null;
  function later() { if (pending) { clearTimeout(pending); } pending = setTimeout(function () { pending = null; update(); }, 100); }
  update();
  window.addEventListener("resize", later);
  document.addEventListener("htmx:load", later);
})();
