/* ecogis web map renderer.
 *
 * Reads one JSON document (written by ecogis.webmap, embedded in a
 * <script type="application/json"> element) and draws every layer of it on a Leaflet
 * map: GeoJSON polygons and lines, point layers from column arrays (clustered in the
 * browser when asked), legends, popups, a layer switcher, search, measure, fullscreen
 * and a scale bar.
 *
 * Data values never go through innerHTML: popups, legends and search results are built
 * with textContent, so a name holding markup or script stays plain text.
 */
(function () {
  "use strict";

  function esc(text) {
    return String(text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function fmt(value, lang, unit) {
    if (value === null || value === undefined || value === "") { return "–"; }
    var out;
    if (typeof value === "number") {
      out = value.toLocaleString(lang === "th" ? "th-TH" : "en-GB", { maximumFractionDigits: 2 });
    } else if (typeof value === "boolean") {
      out = value ? (lang === "th" ? "ใช่" : "yes") : (lang === "th" ? "ไม่ใช่" : "no");
    } else {
      out = String(value);
    }
    return unit ? out + " " + unit : out;
  }

  function classOf(style, value) {
    var classes = style.classes || [];
    var i;
    if (style.type === "categorized") {
      for (i = 0; i < classes.length; i++) {
        if (String(classes[i].value) === String(value)) { return classes[i]; }
      }
      return null;
    }
    if (style.type === "graduated") {
      if (value === null || value === undefined || typeof value !== "number") { return null; }
      for (i = 0; i < classes.length; i++) {
        var c = classes[i];
        var last = i === classes.length - 1;
        var top = value < c.max || (value === c.max && (last || c.min === c.max));
        if (value >= c.min && top) { return c; }
      }
      return null;
    }
    return null;
  }

  function colorOf(style, props) {
    if (style.type === "single") { return style.color; }
    var c = classOf(style, props[style.field]);
    return c ? c.color : (style.other_color || "#9e9e9e");
  }

  function scaled(value, domain, range) {
    if (typeof value !== "number" || !domain || domain[1] <= domain[0]) { return range[0]; }
    var t = (Math.sqrt(Math.max(value, domain[0])) - Math.sqrt(domain[0])) /
      (Math.sqrt(domain[1]) - Math.sqrt(domain[0]));
    t = Math.min(Math.max(t, 0), 1);
    return range[0] + t * (range[1] - range[0]);
  }

  function popupNode(layer, props, lang) {
    var box = el("div", "eco-popup");
    var titleValue = layer.title_field ? props[layer.title_field] : null;
    box.appendChild(el("div", "eco-popup-title", titleValue || layer.title));
    var table = el("table", "eco-popup-table");
    (layer.popup || []).forEach(function (f) {
      var row = el("tr");
      row.appendChild(el("th", null, f.label));
      var value = props[f.field];
      var cls = layer.style.type === "categorized" && f.field === layer.style.field ? classOf(layer.style, value) : null;
      row.appendChild(el("td", null, cls ? cls.label : fmt(value, lang, f.unit)));
      table.appendChild(row);
    });
    box.appendChild(table);
    return box;
  }

  function pointProps(points, i) {
    var props = {};
    Object.keys(points.cols).forEach(function (name) {
      var v = points.cols[name][i];
      var dict = points.dict && points.dict[name];
      props[name] = dict && v !== null ? dict[v] : v;
    });
    return props;
  }

  function buildPoints(layer, ctx) {
    var pts = layer.points;
    var style = layer.style;
    var markers = [];
    var n = pts.lat.length;
    for (var i = 0; i < n; i++) {
      var props = pointProps(pts, i);
      var color = colorOf(style, props);
      var radius = style.size_field ? scaled(props[style.size_field], style.size_domain, [style.size_min, style.size_max]) : style.radius;
      var marker = L.circleMarker([pts.lat[i], pts.lon[i]], {
        radius: radius, color: style.stroke || "#333333", weight: 1, fillColor: color,
        fillOpacity: style.fill_opacity, opacity: 0.9, renderer: ctx.renderer
      });
      marker.ecoProps = props;
      marker.bindPopup(popupNode.bind(null, layer, props, ctx.lang), { maxWidth: 360 });
      markers.push(marker);
      ctx.index(layer, props, marker);
    }
    if (layer.cluster) {
      var group = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
      group.addLayers(markers);
      group.ecoCluster = true;
      return group;
    }
    return L.featureGroup(markers);
  }

  function buildGeoJSON(layer, ctx) {
    var style = layer.style;
    var renderer = ctx.renderer;
    if (layer.pane) {
      // Its own pane and canvas: the layer's place in the drawing order stays fixed when
      // layers are ticked off and on again (grade A links above B above C).
      if (!ctx.map.getPane(layer.pane.name)) {
        ctx.map.createPane(layer.pane.name).style.zIndex = String(layer.pane.z);
      }
      renderer = L.canvas({ padding: 0.5, pane: layer.pane.name });
    }
    var line = function (feature) { return feature.geometry && /LineString/.test(feature.geometry.type); };
    return L.geoJSON(layer.geojson, {
      renderer: renderer,
      pane: layer.pane ? layer.pane.name : "overlayPane",
      style: function (feature) {
        var p = feature.properties || {};
        var color = colorOf(style, p);
        var weight = style.width_field ? scaled(p[style.width_field], style.width_domain, [style.width_min, style.width_max]) : style.weight;
        var line = feature.geometry && /LineString/.test(feature.geometry.type);
        return {
          color: line ? color : (style.stroke || color), weight: weight, dashArray: style.dash || null,
          fillColor: color, fillOpacity: style.fill === "none" ? 0 : style.fill_opacity,
          opacity: style.opacity, fill: style.fill !== "none" && !line
        };
      },
      pointToLayer: function (feature, latlng) {
        var p = feature.properties || {};
        var radius = style.size_field ? scaled(p[style.size_field], style.size_domain, [style.size_min, style.size_max]) : style.radius;
        return L.circleMarker(latlng, {
          radius: radius, color: style.stroke || "#333333", weight: 1, fillColor: colorOf(style, p),
          fillOpacity: style.fill_opacity, renderer: ctx.renderer
        });
      },
      onEachFeature: function (feature, lyr) {
        var p = feature.properties || {};
        if ((layer.popup || []).length) {
          lyr.bindPopup(popupNode.bind(null, layer, p, ctx.lang), { maxWidth: 360 });
        }
        if (layer.tooltip_field && p[layer.tooltip_field] !== null && p[layer.tooltip_field] !== undefined) {
          lyr.bindTooltip(esc(p[layer.tooltip_field]), { sticky: true });
        }
        if (line(feature) && lyr.setStyle) {
          // A hovered line stands out from the ones around it.
          var base = { weight: lyr.options.weight, opacity: lyr.options.opacity };
          lyr.on("mouseover", function () { lyr.setStyle({ weight: base.weight + 3, opacity: 1 }); });
          lyr.on("mouseout", function () { lyr.setStyle(base); });
        }
        ctx.index(layer, p, lyr);
      }
    });
  }

  function swatch(entry) {
    var s = el("span", "eco-swatch eco-swatch-" + (entry.shape || "polygon"));
    s.style.background = entry.shape === "line" ? "none" : entry.color;
    if (entry.shape === "line") { s.style.borderTop = Math.max(2, entry.width || 3) + "px solid " + entry.color; }
    if (entry.stroke) { s.style.borderColor = entry.stroke; }
    if (entry.fill === "none" && entry.shape === "polygon") {
      s.style.background = "transparent";
      s.style.borderWidth = "2px";
      s.style.borderColor = entry.stroke || entry.color;
    }
    if (entry.dash) { s.style.borderStyle = "dashed"; }
    return s;
  }

  function legendControl(cfg, layersById, map) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", "eco-legend leaflet-bar" + (cfg.collapse_legend ? " eco-collapsed" : ""));
      var head = el("button", "eco-legend-toggle", cfg.labels.legend + " ▾");
      head.type = "button";
      var body = el("div", "eco-legend-body");
      head.addEventListener("click", function () { box.classList.toggle("eco-collapsed"); });
      box.appendChild(head);
      box.appendChild(body);
      cfg.layers.forEach(function (layer) {
        if (!layer.legend || !layer.legend.length) { return; }
        var section = el("div", "eco-legend-section");
        section.setAttribute("data-layer", layer.id);
        if (layer.legend_group) { section.setAttribute("data-group", layer.legend_group); }
        section.appendChild(el("div", "eco-legend-title", layer.legend_title || layer.title));
        layer.legend.forEach(function (entry) {
          var row = el("div", "eco-legend-row");
          if (entry.note) {
            row.className += " eco-legend-noterow";
            row.appendChild(el("span", "eco-legend-note", entry.note));
          } else {
            row.appendChild(swatch(entry));
            row.appendChild(el("span", null, entry.label));
          }
          section.appendChild(row);
        });
        body.appendChild(section);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      // Layers split from one (symbiosis links by grade) share one legend entry: the title
      // and the notes show once, in the first of them that is on the map.
      function sync() {
        var seen = {};
        Array.prototype.forEach.call(body.children, function (section) {
          var lyr = layersById[section.getAttribute("data-layer")];
          var on = lyr && map.hasLayer(lyr);
          section.style.display = on ? "" : "none";
          var group = section.getAttribute("data-group");
          var first = !group || !seen[group];
          if (group && on) { seen[group] = true; }
          section.classList.toggle("eco-legend-cont", !first);
        });
      }
      sync();
      map.on("overlayadd overlayremove", sync);
      return box;
    };
    return control;
  }

  function searchControl(cfg, entries, map) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = el("div", "eco-search leaflet-bar");
      var input = el("input", "eco-search-input");
      input.type = "search";
      input.placeholder = cfg.labels.search;
      input.setAttribute("aria-label", cfg.labels.search);
      var list = el("div", "eco-search-results");
      box.appendChild(input);
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      function go(entry) {
        var parent = entry.parent;
        if (parent && parent.ecoCluster && !map.hasLayer(parent)) { map.addLayer(parent); }
        if (parent && parent.ecoCluster) {
          parent.zoomToShowLayer(entry.layer, function () { entry.layer.openPopup(); });
        } else if (entry.layer.getLatLng) {
          map.setView(entry.layer.getLatLng(), Math.max(map.getZoom(), 15));
          entry.layer.openPopup();
        } else if (entry.layer.getBounds) {
          map.fitBounds(entry.layer.getBounds());
          entry.layer.openPopup();
        }
      }
      input.addEventListener("input", function () {
        var q = input.value.trim().toLowerCase();
        list.textContent = "";
        if (q.length < 1) { return; }
        var hits = 0;
        for (var i = 0; i < entries.length && hits < 12; i++) {
          if (entries[i].text.indexOf(q) >= 0) {
            var b = el("button", "eco-search-hit", entries[i].label);
            b.type = "button";
            b.addEventListener("click", go.bind(null, entries[i]));
            list.appendChild(b);
            hits++;
          }
        }
        if (!hits) { list.appendChild(el("div", "eco-search-none", cfg.labels.no_results)); }
      });
      return box;
    };
    return control;
  }

  function titleControl(cfg) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "eco-title");
      box.appendChild(el("div", "eco-title-main", cfg.title));
      if (cfg.subtitle) { box.appendChild(el("div", "eco-title-sub", cfg.subtitle)); }
      (cfg.notes || []).forEach(function (note) { box.appendChild(el("div", "eco-title-note", note)); });
      return box;
    };
    return control;
  }

  function addBasemap(map, basemap) {
    if (!basemap) { return; }
    if (basemap.kind === "raster") {
      var tiles = L.tileLayer(basemap.url, { maxZoom: basemap.max_zoom || 19, attribution: "" });
      tiles.addTo(map);
      // The attribution is text (never HTML), whatever the option said.
      if (basemap.attribution && map.attributionControl) {
        map.attributionControl.addAttribution(esc(basemap.attribution));
      }
    }
  }

  function render(map, cfg) {
    // Clustering needs a maximum zoom; without a tile layer the map has none.
    if (map.options.maxZoom === undefined) { map.setMaxZoom(cfg.max_zoom || 19); }
    addBasemap(map, cfg.basemap);
    var entries = [];
    var layersById = {};
    var overlays = {};
    var ctx = {
      // Data layers draw on one canvas (fast for thousands of features); the map's default
      // renderer stays SVG because the measure tool styles its own paths as SVG elements.
      renderer: L.canvas({ padding: 0.5 }),
      map: map,
      lang: cfg.lang,
      index: function (layer, props, lyr) {
        if (!layer.search || !layer.search.length) { return; }
        var parts = layer.search.map(function (f) { return props[f]; }).filter(function (v) { return v !== null && v !== undefined && v !== ""; });
        if (!parts.length) { return; }
        entries.push({ text: parts.join(" ").toLowerCase(), label: parts.join(" · "), layer: lyr, parent: null, owner: layer.id });
      }
    };
    cfg.layers.forEach(function (layer) {
      var first = entries.length;
      var lyr = layer.points ? buildPoints(layer, ctx) : buildGeoJSON(layer, ctx);
      for (var i = first; i < entries.length; i++) { entries[i].parent = lyr; }
      lyr.ecoId = layer.id;
      layersById[layer.id] = lyr;
      var count = layer.count !== undefined ? " (" + fmt(layer.count, cfg.lang) + ")" : "";
      overlays[esc(layer.title + count)] = lyr;
      if (layer.show) { lyr.addTo(map); }
    });
    L.control.layers(null, overlays, { collapsed: cfg.collapse_layers, position: "topright" }).addTo(map);
    if (cfg.search && entries.length) { searchControl(cfg, entries, map).addTo(map); }
    if (L.control.fullscreen) {
      L.control.fullscreen({ position: "topleft", title: cfg.labels.fullscreen, titleCancel: cfg.labels.exit_fullscreen }).addTo(map);
    }
    if (L.control.measure) {
      L.control.measure({ position: "topleft", primaryLengthUnit: "meters", secondaryLengthUnit: "kilometers", primaryAreaUnit: "hectares", secondaryAreaUnit: "sqmeters", activeColor: "#d73027", completedColor: "#7b3294" }).addTo(map);
    }
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    titleControl(cfg).addTo(map);
    legendControl(cfg, layersById, map).addTo(map);
    if (cfg.bounds) {
      map.fitBounds(cfg.bounds, { padding: [12, 12] });
    }
    // What a test (or a curious user in the console) can check after rendering.
    window.ecogisMaps = window.ecogisMaps || [];
    window.ecogisMaps.push({
      map: map,
      layers: layersById,
      searchEntries: entries.length,
      counts: cfg.layers.map(function (l) {
        var lyr = layersById[l.id];
        var n = 0;
        if (lyr.getLayers) { n = lyr.getLayers().length; }
        return { id: l.id, shown: map.hasLayer(lyr), features: n };
      })
    });
  }

  window.ecogisRender = function (map, dataElementId) {
    var node = document.getElementById(dataElementId);
    var cfg = JSON.parse(node.textContent);
    render(map, cfg);
  };
})();
