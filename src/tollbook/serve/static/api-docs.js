// The API docs: Swagger UI from the fastapi-offline package, served under /vendor/swagger-ui/.
// A file rather than an inline script, so that the pages' content security policy (script-src
// 'self') holds here too.
(function () {
  "use strict";
  var el = document.getElementById("swagger-ui");
  if (!el || typeof SwaggerUIBundle === "undefined") { return; }
  window.ui = SwaggerUIBundle({
    url: el.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Swagger UI would otherwise ask an online validator for a badge: no request leaves the machine
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
})();
