/* Follows an import run in the admin: polls its progress JSON and updates the panel, so the
 * steward sees the step, rows, percentage and elapsed time without reloading by hand. */
(function () {
  "use strict";
  var INTERVAL_MS = 1500;

  function update(panel, data) {
    Object.keys(data).forEach(function (key) {
      panel.querySelectorAll('[data-field="' + key + '"]').forEach(function (node) {
        if (node.tagName === "PROGRESS") { node.value = data[key]; node.textContent = data[key] + "%"; }
        else if (key === "error") {
          node.textContent = data[key];
          var box = panel.querySelector('[data-field="error-box"]');
          if (box) box.hidden = !data[key];
        }
        else if (key !== "release") { node.textContent = data[key]; }
      });
    });
    var percent = panel.querySelector('[data-field="percent_text"]');
    if (percent) percent.textContent = data.percent + "%";
  }

  function poll(panel) {
    fetch(panel.getAttribute("data-progress-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        update(panel, data);
        if (data.finished) {
          // Reload once so the release link and buttons match the final state.
          if (panel.getAttribute("data-finished") !== "true") window.location.reload();
        } else {
          window.setTimeout(function () { poll(panel); }, INTERVAL_MS);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(panel); }, INTERVAL_MS * 2); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("run-progress");
    if (panel && panel.getAttribute("data-finished") !== "true") poll(panel);
  });
})();
