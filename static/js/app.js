// Small behaviours, no build step. Loaded on every page; no inline script (CSP).
"use strict";

// Forms that change something irreversible carry data-confirm="question".
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
