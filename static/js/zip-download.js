// Download a unit's certificates with a progress bar: indeterminate while the server
// prepares the ZIP, then the share received. Without script the form downloads directly.
"use strict";
(function () {
  var form = document.querySelector("form[data-zip-progress]");
  if (!form || !window.fetch || !window.ReadableStream) { return; }
  var bar = document.getElementById("zip-progress");
  var label = document.getElementById("zip-progress-label");

  function show(text, value) {
    bar.hidden = false;
    label.textContent = text;
    if (value === null) { bar.removeAttribute("value"); } else { bar.value = value; }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    show(form.dataset.textPreparing, null);
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/zip") !== 0) { window.location = response.url; return null; }
      var total = Number(response.headers.get("Content-Length")) || 0;
      var name = (response.headers.get("Content-Disposition") || "").replace(/.*filename="([^"]+)".*/, "$1");
      var reader = response.body.getReader();
      var chunks = [];
      var received = 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) { return new Blob(chunks, { type: "application/zip" }); }
          chunks.push(step.value);
          received += step.value.length;
          if (total) { show(form.dataset.textReceiving + " " + Math.round(100 * received / total) + "%", received / total); }
          return pump();
        });
      }
      return pump().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = name || "giay-chung-nhan.zip";
        document.body.appendChild(link);
        link.click();
        link.remove();
        show(form.dataset.textDone, 1);
      });
    }).catch(function () { show(form.dataset.textFailed, 0); });
  });
}());
