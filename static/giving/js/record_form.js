// Giving record forms: show the diaspora fields only for diaspora donors and the
// municipality only when the gift was in one municipality. Progressive enhancement:
// without JavaScript every field shows and the server validates the same rules.
(function () {
  "use strict";
  function setup(form) {
    var diasporaTypes = (form.getAttribute("data-diaspora-types") || "").split(" ");
    var donorType = form.querySelector("[name=donor_type]");
    var geography = form.querySelector("[name=geography]");
    function toggle(selector, show) {
      form.querySelectorAll(selector).forEach(function (el) { el.hidden = !show; });
    }
    function update() {
      if (donorType) {
        toggle("[data-show-for=diaspora]", diasporaTypes.indexOf(donorType.value) !== -1);
        toggle("[data-show-for=named-donor]", donorType.value !== "anonymous");
      }
      if (geography) {
        toggle("[data-show-for=municipality]", geography.value === "municipality");
      }
    }
    if (donorType) { donorType.addEventListener("change", update); }
    if (geography) { geography.addEventListener("change", update); }
    update();
  }
  document.querySelectorAll("form[data-giving-record-form]").forEach(setup);
})();
