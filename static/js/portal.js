// CEA Portal — progressive enhancement only; every page works without JavaScript.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("htmx-error");
  if (box) { box.hidden = false; }
});
