// The attempt page: every answer is saved the moment it is given. Answers that cannot be
// sent (no connection) wait in the browser's storage and are resent when the connection
// returns, also after the page is closed and opened again. The countdown submits the
// attempt when time runs out. Without this script the form still posts everything.
"use strict";
(function () {
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var status = document.getElementById("save-status");
  var storageKey = "lms-attempt-" + form.dataset.attempt;
  var closed = false;

  function pending() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "{}"); } catch (e) { return {}; }
  }
  function setPending(map) {
    try {
      if (Object.keys(map).length) { window.localStorage.setItem(storageKey, JSON.stringify(map)); }
      else { window.localStorage.removeItem(storageKey); }
    } catch (e) { /* storage full or disabled: the server copy still counts */ }
  }
  function show(text, kind) {
    if (!status) { return; }
    status.textContent = text;
    status.title = text;  // the line is cut short on a narrow screen; hovering shows it whole
    status.className = "save-status small " + (kind || "");
  }

  function rawFor(fieldset) {
    var prefix = "q" + fieldset.dataset.position + "-";
    var raw = {};
    fieldset.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (!field.name || field.name.indexOf(prefix) !== 0) { return; }
      var key = field.name.slice(prefix.length);
      if (!(key in raw)) { raw[key] = []; }
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      raw[key].push(field.value);
    });
    return raw;
  }

  function applyRaw(position, raw) {
    var fieldset = form.querySelector('fieldset[data-position="' + position + '"]');
    if (!fieldset) { return; }
    var prefix = "q" + position + "-";
    fieldset.querySelectorAll("input, select, textarea").forEach(function (field) {
      var values = raw[field.name.slice(prefix.length)];
      if (!values) { return; }
      if (field.type === "radio" || field.type === "checkbox") { field.checked = values.indexOf(field.value) !== -1; }
      else { field.value = values[0] || ""; }
    });
  }

  // One save at a time; a flush asked for meanwhile waits for it, then sends what is left.
  // Resolves true when nothing is left unsent.
  var inFlight = null;
  function flush() {
    if (inFlight) { return inFlight.then(flush); }
    var queue = pending();
    var positions = Object.keys(queue);
    if (closed || !positions.length) { return Promise.resolve(positions.length === 0); }
    show(form.dataset.textSaving);
    var position = positions[0];
    inFlight = fetch(form.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: JSON.stringify({ position: Number(position), raw: queue[position] })
    }).then(function (response) {
      inFlight = null;
      if (response.status === 409) { closed = true; show(form.dataset.textClosed, "text-danger"); return false; }
      if (response.status === 401 || response.status === 403) { return retryLater(form.dataset.textSignedOut); }
      if (!response.ok && !refusesTheAnswer(response.status)) { return retryLater(form.dataset.textBusy); }
      retryDelay = 0;
      var latest = pending();
      if (JSON.stringify(latest[position]) === JSON.stringify(queue[position])) { delete latest[position]; }
      setPending(latest);
      if (!response.ok) {
        return response.json().then(function (data) { show(data.error || "", "text-danger"); return false; });
      }
      show(form.dataset.textSaved, "text-success");
      return flush();
    }, function () {
      inFlight = null;
      return retryLater(form.dataset.textOffline);
    });
    return inFlight;
  }

  // The server refused this answer itself (400, 422): sending it again would not help. Any
  // other failure (a busy or restarting server, a proxy's 502, a session to sign in again)
  // keeps the answer queued for a later try.
  function refusesTheAnswer(status) { return status === 400 || status === 422; }

  // Try again after 2, 4, 8 … up to 15 s, with jitter so a whole room does not retry at once.
  var retryDelay = 0;
  var retryTimer = null;
  function retryLater(message) {
    show(message, "text-warning-emphasis");
    retryDelay = Math.min(15000, Math.max(2000, retryDelay * 2));
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, retryDelay * (0.5 + Math.random() / 2));
    return false;
  }

  function remember(fieldset) {
    var queue = pending();
    queue[fieldset.dataset.position] = rawFor(fieldset);
    setPending(queue);
    flush();
  }

  // Typing is saved 0.8 s after the last key, or at once when the field is left or the
  // page is hidden or closed, so the last words typed are never lost.
  var typingTimer = null;
  var typingIn = null;
  function rememberTyping() {
    if (typingIn) { window.clearTimeout(typingTimer); remember(typingIn); typingIn = null; }
  }
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) { remember(fieldset); }
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset || event.target.type === "radio" || event.target.type === "checkbox") { return; }
    if (typingIn && typingIn !== fieldset) { rememberTyping(); }
    typingIn = fieldset;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(rememberTyping, 800);
  });
  window.addEventListener("pagehide", rememberTyping);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { rememberTyping(); }
  });

  // Answers given while offline (or before the page was closed) go back into the form and out again.
  var saved = pending();
  Object.keys(saved).forEach(function (position) { applyRaw(position, saved[position]); });
  window.addEventListener("online", flush);
  window.setInterval(flush, 15000);
  flush();

  var submitButton = document.getElementById("submit-attempt");
  var confirmed = false;
  form.addEventListener("submit", function (event) {
    if (event.submitter !== submitButton || confirmed) { return; }
    event.preventDefault();
    if (!window.confirm(submitButton.dataset.confirmSubmit)) { return; }
    flush().then(function (allSent) {
      if (!allSent && Object.keys(pending()).length) { window.alert(form.dataset.textUnsent); return; }
      confirmed = true;
      submitAttempt();
    });
  });

  function submitAttempt() {
    var marker = document.createElement("input");
    marker.type = "hidden";
    marker.name = "submit";
    marker.value = "1";
    form.appendChild(marker);
    setPending({});
    HTMLFormElement.prototype.submit.call(form);  // form.submit is shadowed by the button named "submit"
  }

  // The server's "now" was taken as it wrote the page: compare it with this device's clock
  // when the page began to arrive, not when the script runs, which on a slow link is seconds
  // later and would show that much too much time left.
  function clientTimeOfResponse() {
    var timing = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    return timing && timing.responseStart > 0 ? performance.timeOrigin + timing.responseStart : Date.now();
  }

  var clock = document.getElementById("countdown");
  if (clock) {
    var deadline = Date.parse(clock.dataset.deadline);
    var offset = Date.parse(clock.dataset.now) - clientTimeOfResponse();
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      clock.classList.toggle("text-danger", left < 120);
      if (left === 0) {
        window.clearInterval(timer);
        flush().then(function () { if (!closed) { submitAttempt(); } else { window.location.reload(); } });
      }
    };
    var timer = window.setInterval(tick, 1000);
    tick();
  }
}());
