// CEA Portal — progressive enhancement only; every page works without JavaScript.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("htmx-error");
  if (box) { box.hidden = false; }
});

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
