/* Area maps: draws the web boundary files a page names (JSON in #area-map-config) on the
 * django-leaflet map, links every area to its page and makes the areas reachable by keyboard.
 * A layer with "values" is a choropleth: the release's values file is joined by area code and
 * each area coloured by the classes the page's legend states; suppressed areas are hatched.
 * A layer with "plainValues" reads a values file of bare numbers by code instead.
 * No inline script (the pages are cached, so they cannot carry a per-request CSP nonce): this file
 * starts django-leaflet's map itself, with the options its leaflet_map tag would have written
 * (JSON in #area-map-leaflet, see apps/dashboards/templatetags/area_maps.py). */
(function () {
  "use strict";

  var STYLE = { color: "#1a3d6d", weight: 1, fillColor: "#6b8fc7", fillOpacity: 0.25 };
  var HIGHLIGHT = { color: "#0b1f3a", weight: 3, fillColor: "#e0a100", fillOpacity: 0.55 };
  // Focus and hover: a thick black border, visible on every class colour and on the hatching.
  var HOVER = { weight: 4, color: "#000000" };
  var SUPPRESSED = "ABTDS";  //: a value withheld to protect people
  var HATCH_ID = "zicht-hatch";

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  function classOf(value, breaks) {
    for (var i = 0; i < breaks.length; i++) if (value <= breaks[i]) return i;
    return breaks.length - 1;
  }

  // Hatching is a pattern in the map's own SVG, so "geheim" differs from every class by more
  // than its colour.
  function addHatch(map) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#" + HATCH_ID)) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", HATCH_ID);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6");
    pattern.setAttribute("height", "6");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var back = document.createElementNS(ns, "rect");
    back.setAttribute("width", "6"); back.setAttribute("height", "6"); back.setAttribute("fill", "#d9d9d9");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0"); line.setAttribute("x2", "0"); line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#595959"); line.setAttribute("stroke-width", "2");
    pattern.appendChild(back); pattern.appendChild(line); defs.appendChild(pattern); svg.insertBefore(defs, svg.firstChild);
  }

  function choropleth(spec, values, labels) {
    return function (feature) {
      var row = values[feature.properties.code];
      var base = { color: "#4d4d4d", weight: 1, fillOpacity: 0.85 };
      if (!row) return Object.assign(base, { fillColor: "#ffffff", dashArray: "3 3" });
      if (row[0] !== null && row[1] === "V") {
        return Object.assign(base, { fillColor: spec.colours[classOf(row[0], spec.breaks)] });
      }
      if (SUPPRESSED.indexOf(row[1]) >= 0) return Object.assign(base, { fillColor: "url(#" + HATCH_ID + ")" });
      return Object.assign(base, { fillColor: "#ffffff", dashArray: "3 3" });
    };
  }

  function valueLabel(feature, values, labels) {
    var row = values[feature.properties.code];
    if (!row) return labels.missing;
    if (row[0] !== null && row[1] === "V") return labels.format.format(row[0]);
    return SUPPRESSED.indexOf(row[1]) >= 0 ? labels.secret : labels.missing;
  }

  function asPublished(plain) {
    var rows = {};
    Object.keys(plain).forEach(function (code) {
      if (plain[code] !== null && plain[code] !== undefined) rows[code] = [plain[code], "V"];
    });
    return rows;
  }

  function readConfig() {
    var node = document.getElementById("area-map-config");
    return node ? JSON.parse(node.textContent) : { layers: [] };
  }

  function keyboardAccess(layer, feature, href) {
    var path = layer.getElement && layer.getElement();
    if (!path) return;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "link");
    path.setAttribute("aria-label", (layer.options.accessibleName || feature.properties.name) + " (" + feature.properties.code + ")");
    path.addEventListener("keydown", function (event) {
      if (event.key === "Enter") window.location.href = href;
    });
    path.addEventListener("focus", function () { layer.setStyle(HOVER); layer.openTooltip(); });
    path.addEventListener("blur", function () { layer.setStyle(layer.options.baseStyle); layer.closeTooltip(); });
  }

  function drawLayer(map, spec, bounds, labels) {
    var wanted = [fetchJson(spec.url)];
    if (spec.values) wanted.push(fetchJson(spec.values));
    return Promise.all(wanted)
      .then(function (loaded) {
        var collection = loaded[0];
        var values = spec.values ? loaded[1].values : null;
        // "plainValues": the values file maps each code to a bare number (a workspace's own
        // data layer, nothing withheld), read as a published value.
        if (values && spec.plainValues) values = asPublished(values);
        var styleOf = values ? choropleth(spec, values, labels) : null;
        var layer = L.geoJSON(collection, {
          filter: function (feature) {
            return !spec.parent || feature.properties.parent === spec.parent;
          },
          style: function (feature) {
            if (styleOf) return styleOf(feature);
            return feature.properties.code === spec.highlight ? HIGHLIGHT : STYLE;
          },
          onEachFeature: function (feature, featureLayer) {
            var href = spec.link.replace("{code}", feature.properties.code);
            var label = feature.properties.name;
            if (values) label += ": " + valueLabel(feature, values, labels);
            featureLayer.options.baseStyle = styleOf ? styleOf(feature) : (feature.properties.code === spec.highlight ? HIGHLIGHT : STYLE);
            featureLayer.options.accessibleName = label;
            featureLayer.bindTooltip(label, { sticky: true });
            featureLayer.on("click", function () { window.location.href = href; });
            featureLayer.on("mouseover", function () { featureLayer.setStyle(HOVER); });
            featureLayer.on("mouseout", function () { featureLayer.setStyle(featureLayer.options.baseStyle); });
            featureLayer.on("add", function () { keyboardAccess(featureLayer, feature, href); });
          },
        }).addTo(map);
        // The renderer's SVG exists only once a layer is on the map: define the hatching now and
        // restyle, so withheld areas pick the pattern up.
        if (values) { addHatch(map); layer.eachLayer(function (item) { item.setStyle(styleOf(item.feature)); }); }
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
    var labels = {
      secret: container.getAttribute("data-secret") || "geheim",
      missing: container.getAttribute("data-missing") || "n.b.",
      format: new Intl.NumberFormat(document.documentElement.lang || "nl", { maximumFractionDigits: Number(container.getAttribute("data-digits") || 1) }),
    };
    container.setAttribute("aria-busy", "true");
    translateZoomControl(container);
    Promise.all(config.layers.map(function (spec) { return drawLayer(map, spec, bounds, labels); }))
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

  function startMap() {
    var node = document.getElementById("area-map-leaflet");
    if (!node || !document.getElementById("area-map") || !window.L || !L.Map.djangoMap) return;
    var settings = JSON.parse(node.textContent);
    var start = function () {
      // djangoMap starts a container once; a second load event does nothing.
      L.Map.djangoMap("area-map", { djoptions: settings.djoptions, globals: settings.globals, callback: window.zichtAreaMap });
    };
    var events = settings.loadevents || [];
    // This script is deferred: "load" is still to come, unless the page was restored from cache.
    if (!events.length || (document.readyState === "complete" && events.indexOf("load") >= 0)) start();
    else events.forEach(function (name) { window.addEventListener(name, start, false); });
  }

  startMap();
})();
