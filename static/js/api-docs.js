/* Starts Swagger UI on the API documentation page (templates/api/docs.html). A static file,
 * not an inline script, so the portal's Content-Security-Policy holds; the schema URL and the
 * CSRF token come from data attributes. Writes from "Try it out" use the portal's session and
 * need the CSRF token, as any session write does. */
(function () {
  "use strict";

  function start() {
    var container = document.getElementById("swagger-ui");
    if (!container || typeof window.SwaggerUIBundle !== "function") return;
    var csrfHeader = container.getAttribute("data-csrf-header");
    var csrfToken = container.getAttribute("data-csrf-token");

    window.ui = window.SwaggerUIBundle({
      url: container.getAttribute("data-schema-url"),
      domNode: container,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      // Deep links put a link inside each operation's expand button (nested controls, which a
      // screen reader cannot reach or announce: axe's nested-interactive): off.
      deepLinking: false,
      defaultModelsExpandDepth: 0,
      requestInterceptor: function (request) {
        var method = (request.method || "GET").toUpperCase();
        if (method !== "GET" && method !== "HEAD" && csrfHeader && csrfToken) {
          request.headers[csrfHeader] = csrfToken;
        }
        return request;
      }
    });
  }

  // Swagger UI draws parameter choices and the request body's editor without a label, and
  // example payloads as boxes that scroll but take no focus. Its config has no switch for these:
  // name each field by its parameter or section and let a scrolling example take focus (so a
  // keyboard can scroll it), whenever Swagger UI draws them.
  function repairAccessibility(root) {
    root.querySelectorAll("tr[data-param-name] :is(select, input, textarea):not([aria-label])").forEach(function (field) {
      field.setAttribute("aria-label", field.closest("tr").getAttribute("data-param-name"));
    });
    root.querySelectorAll(".opblock-section-request-body textarea:not([aria-label])").forEach(function (field) {
      var title = field.closest(".opblock-section-request-body").querySelector(".opblock-title");
      field.setAttribute("aria-label", title ? title.textContent.trim() : "Request body");
    });
    root.querySelectorAll(".highlight-code > pre:not([tabindex])").forEach(function (example) {
      example.setAttribute("tabindex", "0");
    });
  }

  function watch() {
    var container = document.getElementById("swagger-ui");
    if (!container || typeof window.MutationObserver !== "function") return;
    new MutationObserver(function () { repairAccessibility(container); })
      .observe(container, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { watch(); start(); });
  } else {
    watch();
    start();
  }
})();
