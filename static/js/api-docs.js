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
      deepLinking: true,
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
