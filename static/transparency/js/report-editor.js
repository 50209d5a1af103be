// Transparency report editor — progressive enhancement of the autosaving section forms.
// The form posts itself with htmx (hx-post on change); the server answers a failed
// validation with 400 and the error fragment, which htmx would otherwise not swap.
document.addEventListener("htmx:beforeSwap", function (evt) {
  var elt = evt.detail.elt || evt.detail.requestConfig && evt.detail.requestConfig.elt;
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
