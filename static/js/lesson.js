// Lesson reader: when the reader reaches the end of the lesson (and has spent a moment on
// the page), mark it done without a click. The button stays for those without script.
"use strict";
(function () {
  var end = document.getElementById("lesson-end");
  if (!end || end.dataset.done === "true" || !("IntersectionObserver" in window)) { return; }
  var MIN_SECONDS_ON_PAGE = 15;
  var openedAt = Date.now();
  var sent = false;

  function updateProgress(percent) {
    var bar = document.querySelector("#course-progress progress");
    var figure = document.querySelector("#course-progress .progress-figure");
    if (bar) { bar.value = percent; }
    if (figure) { figure.textContent = percent + "%"; }
  }

  function complete() {
    if (sent) { return; }
    sent = true;
    fetch(end.dataset.completeUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": end.dataset.csrf }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { updateProgress(data.percent); end.dataset.done = "true"; }
    }).catch(function () { sent = false; });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) { return; }
      var waited = (Date.now() - openedAt) / 1000;
      if (waited >= MIN_SECONDS_ON_PAGE) {
        complete();
      } else {
        window.setTimeout(function () {
          var box = end.getBoundingClientRect();
          if (box.top < window.innerHeight && box.bottom >= 0) { complete(); }
        }, (MIN_SECONDS_ON_PAGE - waited) * 1000);
      }
    });
  });
  observer.observe(end);
}());
