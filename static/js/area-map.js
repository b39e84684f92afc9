/* Area maps: draws the web boundary files a page names (JSON in #area-map-config) on the
 * django-leaflet map, links every area to its page and makes the areas reachable by keyboard.
 * No inline script: django-leaflet calls window.zichtAreaMap once the map exists. */
(function () {
  "use strict";

  var STYLE = { color: "#1a3d6d", weight: 1, fillColor: "#6b8fc7", fillOpacity: 0.25 };
  var HIGHLIGHT = { color: "#0b1f3a", weight: 3, fillColor: "#e0a100", fillOpacity: 0.55 };
  var HOVER = { weight: 3, fillOpacity: 0.45 };

  function readConfig() {
    var node = document.getElementById("area-map-config");
    return node ? JSON.parse(node.textContent) : { layers: [] };
  }

  function keyboardAccess(layer, feature, href) {
    var path = layer.getElement && layer.getElement();
    if (!path) return;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "link");
    path.setAttribute("aria-label", feature.properties.name + " (" + feature.properties.code + ")");
    path.addEventListener("keydown", function (event) {
      if (event.key === "Enter") window.location.href = href;
    });
    path.addEventListener("focus", function () { layer.setStyle(HOVER); layer.openTooltip(); });
    path.addEventListener("blur", function () { layer.setStyle(layer.options.baseStyle); layer.closeTooltip(); });
  }

  function drawLayer(map, spec, bounds) {
    return fetch(spec.url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          filter: function (feature) {
            return !spec.parent || feature.properties.parent === spec.parent;
          },
          style: function (feature) {
            return feature.properties.code === spec.highlight ? HIGHLIGHT : STYLE;
          },
          onEachFeature: function (feature, featureLayer) {
            var href = spec.link.replace("{code}", feature.properties.code);
            featureLayer.options.baseStyle = feature.properties.code === spec.highlight ? HIGHLIGHT : STYLE;
            featureLayer.bindTooltip(feature.properties.name, { sticky: true });
            featureLayer.on("click", function () { window.location.href = href; });
            featureLayer.on("mouseover", function () { featureLayer.setStyle(HOVER); });
            featureLayer.on("mouseout", function () { featureLayer.setStyle(featureLayer.options.baseStyle); });
            featureLayer.on("add", function () { keyboardAccess(featureLayer, feature, href); });
          },
        }).addTo(map);
        if (layer.getLayers().length) bounds.extend(layer.getBounds());
      });
  }

  function translateZoomControl(container) {
    // Leaflet labels its zoom buttons in English; the page passes them in its own language.
    [["leaflet-control-zoom-in", "data-zoom-in"], ["leaflet-control-zoom-out", "data-zoom-out"]].forEach(function (pair) {
      var button = container.querySelector("." + pair[0]);
      var label = container.getAttribute(pair[1]);
      if (button && label) { button.setAttribute("title", label); button.setAttribute("aria-label", label); }
    });
  }

  window.zichtAreaMap = function (map) {
    var config = readConfig();
    var bounds = L.latLngBounds([]);
    var container = map.getContainer();
    container.setAttribute("aria-busy", "true");
    translateZoomControl(container);
    Promise.all(config.layers.map(function (spec) { return drawLayer(map, spec, bounds); }))
      .then(function () {
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
      })
      .catch(function () {
        var note = document.createElement("p");
        note.className = "notice";
        note.setAttribute("role", "alert");
        note.textContent = container.getAttribute("data-error");
        container.parentNode.insertBefore(note, container.nextSibling);
      })
      .finally(function () { container.setAttribute("aria-busy", "false"); });
  };
})();
