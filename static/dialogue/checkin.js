/* Check-in at the door: scan a registration's QR code with the phone's camera and send its
   code with the check-in form. Uses the browser's BarcodeDetector where there is one, else
   jsQR (vendored) on frames of the video; without a camera the code box and the list remain. */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  if (!box) { return; }
  var start = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var form = document.getElementById("code-form");
  var input = document.getElementById("code");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = box.dataset.unsupported;
    return;
  }
  start.hidden = false;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var detector = null;
  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }

  function found(value) {
    value = (value || "").trim();
    if (!value) { return false; }
    input.value = value;
    var stream = video.srcObject;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    form.submit();
    return true;
  }

  function scanFrame() {
    if (video.readyState < 2) { return Promise.resolve(false); }
    if (detector) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? found(codes[0].rawValue) : false;
      }).catch(function () { detector = null; return false; });
    }
    if (typeof window.jsQR !== "function") { return Promise.resolve(false); }
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return Promise.resolve(code ? found(code.data) : false);
  }

  function loop() {
    scanFrame().then(function (done) { if (!done) { window.requestAnimationFrame(loop); } });
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        start.hidden = true;
        return video.play();
      })
      .then(loop)
      .catch(function () { status.textContent = box.dataset.unsupported; });
  });
})();
