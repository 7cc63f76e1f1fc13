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
      var named = f.values && value !== null && value !== undefined && Object.prototype.hasOwnProperty.call(f.values, String(value)) ? f.values[String(value)] : null;
      row.appendChild(el("td", null, cls ? cls.label : named !== null ? named : fmt(value, lang, f.unit)));
      table.appendChild(row);
    });
    box.appendChild(table);
    return box;
  }

  // ------------------------------------------------------------------ the document
  var ARRAYS = { i32: Int32Array, u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, f64: Float64Array };

  function decodeDocument(text) {
    var bin = atob(text.trim());
    var packed = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { packed[i] = bin.charCodeAt(i); }
    var raw = fflate.inflateSync(packed);
    var magic = String.fromCharCode(raw[0], raw[1], raw[2], raw[3]);
    if (magic !== "ECO1") { throw new Error("not an ecogis map document"); }
    var length = new DataView(raw.buffer, raw.byteOffset, 8).getUint32(4, true);
    var cfg = JSON.parse(new TextDecoder("utf-8").decode(raw.subarray(8, 8 + length)));
    var start = 8 + length + ((8 - ((8 + length) % 8)) % 8);
    // A copy starting at offset 0, so every array view is aligned.
    var body = raw.slice(start).buffer;
    function resolve(value) {
      if (Array.isArray(value)) { return value.map(resolve); }
      if (value && typeof value === "object") {
        if (value.$b) { return new ARRAYS[value.$b[0]](body, value.$b[1], value.$b[2]); }
        Object.keys(value).forEach(function (k) { value[k] = resolve(value[k]); });
      }
      return value;
    }
    // Only the point layers hold arrays; GeoJSON and labels stay as parsed.
    (cfg.layers || []).forEach(function (layer) { if (layer.points) { resolve(layer.points); } });
    return cfg;
  }

  function columnReader(spec) {
    if (spec.bool) { return function (i) { var b = spec.bool[i]; return b === 2 ? null : b === 1; }; }
    if (spec.int) { return function (i) { var v = spec.int[i]; return v === -2147483648 ? null : v; }; }
    if (spec.num) { return function (i) { var v = spec.num[i]; return v !== v ? null : v; }; }
    var values = spec.values;
    var codes = spec.codes;
    if (!codes) { return function (i) { return values[i]; }; }
    return function (i) { var c = codes[i]; return c === 0 ? null : values[c - 1]; };
  }

  // ------------------------------------------------------------------ point layers
  // One canvas per point layer draws only the points in view; clustered layers ask a
  // supercluster index for the clusters of the view (cluster bubbles are a few DOM
  // markers). No object per point exists: popups are built when a point is clicked.
  var EcoPoints = L.Layer.extend({
    initialize: function (layer, ctx) {
      var pts = layer.points;
      var n = pts.n;
      var self = this;
      this.spec = layer;
      this.ctx = ctx;
      this.n = n;
      this.lat = new Float64Array(n);
      this.lon = new Float64Array(n);
      for (var i = 0; i < n; i++) { this.lon[i] = pts.xy[2 * i] / 1e5; this.lat[i] = pts.xy[2 * i + 1] / 1e5; }
      this.readers = {};
      Object.keys(pts.cols).forEach(function (name) { self.readers[name] = columnReader(pts.cols[name]); });
      var style = layer.style;
      this.fill = new Array(n);
      this.radius = new Float32Array(n);
      var colorCache = {};
      for (var k = 0; k < n; k++) {
        var value = style.field && this.readers[style.field] ? this.readers[style.field](k) : null;
        var key = String(value);
        if (!(key in colorCache)) {
          var probe = {};
          probe[style.field] = value;
          colorCache[key] = colorOf(style, probe);
        }
        this.fill[k] = colorCache[key];
        this.radius[k] = style.size_field && this.readers[style.size_field]
          ? scaled(this.readers[style.size_field](k), style.size_domain, [style.size_min, style.size_max])
          : style.radius;
      }
      this.index = null;
      if (layer.cluster && n > 0) {
        var features = new Array(n);
        for (var f = 0; f < n; f++) {
          features[f] = { type: "Feature", properties: { i: f }, geometry: { type: "Point", coordinates: [this.lon[f], this.lat[f]] } };
        }
        this.index = new Supercluster({ radius: 60, maxZoom: 15, minPoints: 3 }).load(features);
      }
      this.drawn = new Int32Array(0);
      this.drawnCount = 0;
    },
    props: function (i) {
      var out = {};
      var readers = this.readers;
      Object.keys(readers).forEach(function (name) { out[name] = readers[name](i); });
      return out;
    },
    getLatLng: function (i) { return L.latLng(this.lat[i], this.lon[i]); },
    onAdd: function (map) {
      this._map = map;
      var paneName = this.spec.pane ? this.spec.pane.name : "overlayPane";
      if (this.spec.pane && !map.getPane(paneName)) {
        map.createPane(paneName).style.zIndex = String(this.spec.pane.z);
      }
      this.canvas = L.DomUtil.create("canvas", "eco-points leaflet-zoom-hide");
      this.canvas.setAttribute("data-layer", this.spec.id);
      map.getPane(paneName).appendChild(this.canvas);
      this.bubbles = L.layerGroup().addTo(map);
      map.on("moveend", this.redraw, this);
      map.on("resize", this.redraw, this);
      map.on("click", this.onClick, this);
      this.redraw();
    },
    onRemove: function (map) {
      map.off("moveend", this.redraw, this);
      map.off("resize", this.redraw, this);
      map.off("click", this.onClick, this);
      L.DomUtil.remove(this.canvas);
      map.removeLayer(this.bubbles);
      this._map = null;
    },
    redraw: function () {
      var map = this._map;
      if (!map) { return; }
      var size = map.getSize();
      var pad = 0.3;
      var min = L.point(-size.x * pad, -size.y * pad);
      var dim = L.point(size.x * (1 + 2 * pad), size.y * (1 + 2 * pad));
      var topLeft = map.containerPointToLayerPoint(min).round();
      var ratio = window.devicePixelRatio || 1;
      var canvas = this.canvas;
      canvas.width = Math.round(dim.x * ratio);
      canvas.height = Math.round(dim.y * ratio);
      canvas.style.width = dim.x + "px";
      canvas.style.height = dim.y + "px";
      L.DomUtil.setPosition(canvas, topLeft);
      var g = canvas.getContext("2d");
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      g.clearRect(0, 0, dim.x, dim.y);
      var sw = map.containerPointToLatLng(L.point(min.x, min.y + dim.y));
      var ne = map.containerPointToLatLng(L.point(min.x + dim.x, min.y));
      var west = sw.lng, south = sw.lat, east = ne.lng, north = ne.lat;
      var zoom = map.getZoom();
      var origin = map.containerPointToLayerPoint(min);
      var style = this.spec.style;
      var self = this;
      var drawn = [];
      function dot(i) {
        var p = map.latLngToLayerPoint([self.lat[i], self.lon[i]]);
        var x = p.x - origin.x, y = p.y - origin.y;
        g.beginPath();
        g.arc(x, y, self.radius[i], 0, 2 * Math.PI);
        g.globalAlpha = style.fill_opacity;
        g.fillStyle = self.fill[i];
        g.fill();
        g.globalAlpha = 0.9;
        g.lineWidth = 1;
        g.strokeStyle = style.stroke || "#333333";
        g.stroke();
        drawn.push(i);
      }
      this.bubbles.clearLayers();
      if (this.index && zoom <= 15) {
        var clusters = this.index.getClusters([west, south, east, north], Math.round(zoom));
        for (var c = 0; c < clusters.length; c++) {
          var item = clusters[c];
          if (item.properties.cluster) { this.bubbles.addLayer(this.bubble(item)); } else { dot(item.properties.i); }
        }
      } else {
        for (var i = 0; i < this.n; i++) {
          var la = this.lat[i], lo = this.lon[i];
          if (la >= south && la <= north && lo >= west && lo <= east) { dot(i); }
        }
      }
      this.drawn = drawn;
    },
    bubble: function (item) {
      var count = item.properties.point_count;
      var size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
      var label = el("span", null, count >= 10000 ? Math.round(count / 1000) + "k" : String(count));
      var inner = el("div");
      inner.appendChild(label);
      var icon = L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
      var latlng = L.latLng(item.geometry.coordinates[1], item.geometry.coordinates[0]);
      var marker = L.marker(latlng, { icon: icon, keyboard: false });
      var index = this.index;
      var map = this._map;
      marker.on("click", function () {
        map.setView(latlng, Math.min(index.getClusterExpansionZoom(item.properties.cluster_id), 18));
      });
      return marker;
    },
    onClick: function (e) {
      if (e.originalEvent && e.originalEvent.ecoHandled) { return; }
      var map = this._map;
      var best = -1, bestD = Infinity;
      for (var k = 0; k < this.drawn.length; k++) {
        var i = this.drawn[k];
        var p = map.latLngToContainerPoint([this.lat[i], this.lon[i]]);
        var d = p.distanceTo(e.containerPoint);
        if (d <= this.radius[i] + 3 && d < bestD) { best = i; bestD = d; }
      }
      if (best < 0) { return; }
      if (e.originalEvent) { e.originalEvent.ecoHandled = true; }
      this.openPopup(best);
    },
    openPopup: function (i) {
      L.popup({ maxWidth: 360 }).setLatLng(this.getLatLng(i))
        .setContent(popupNode(this.spec, this.props(i), this.ctx.lang)).openOn(this._map);
    },
    showPoint: function (i) {
      // Zoom in far enough that the point is not inside a cluster, then open its popup.
      var map = this._map;
      var zoom = Math.max(map.getZoom(), this.index ? 16 : 14);
      map.setView(this.getLatLng(i), zoom, { animate: false });
      this.redraw();
      this.openPopup(i);
    },
    features: function () { return this.n; }
  });

  function buildPoints(layer, ctx) {
    var lyr = new EcoPoints(layer, ctx);
    if (layer.search && layer.search.length) { ctx.indexPoints(layer, lyr); }
    return lyr;
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
          // A long popup (a bundle lists its exchanges) scrolls inside the map.
          lyr.bindPopup(popupNode.bind(null, layer, p, ctx.lang), { maxWidth: 380, maxHeight: 360 });
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

  // Arrowheads at 60% of the way along each line (straight or curved), pointing from
  // provider to receiver; redrawn in screen space after each zoom so they keep their size.
  function addArrows(group, map) {
    var heads = [];
    function draw() {
      heads.forEach(function (h) { group.removeLayer(h); });
      heads = [];
      group.eachLayer(function (lyr) {
        if (!lyr.getLatLngs || lyr.ecoHead || !/LineString/.test(((lyr.feature || {}).geometry || {}).type || "")) { return; }
        var pts = lyr.getLatLngs();
        if (pts.length && Array.isArray(pts[0])) { pts = pts[0]; }
        if (pts.length < 2) { return; }
        var xy = pts.map(function (p) { return map.latLngToLayerPoint(p); });
        var total = 0;
        for (var i = 1; i < xy.length; i++) { total += xy[i - 1].distanceTo(xy[i]); }
        if (total < 12) { return; }
        // The segment that holds the point 60% along the line, and that point.
        var want = total * 0.6, run = 0, a = xy[0], b = xy[1];
        for (var j = 1; j < xy.length; j++) {
          var seg = xy[j - 1].distanceTo(xy[j]);
          a = xy[j - 1]; b = xy[j];
          if (run + seg >= want || j === xy.length - 1) { break; }
          run += seg;
        }
        var len = a.distanceTo(b);
        if (len === 0) { return; }
        var ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
        var along = Math.min(Math.max(want - run, 0), len);
        var size = 5 + (lyr.options.weight || 2) * 1.2;
        var tip = L.point(a.x + ux * along + ux * size, a.y + uy * along + uy * size);
        var left = L.point(tip.x - ux * size * 1.6 - uy * size, tip.y - uy * size * 1.6 + ux * size);
        var right = L.point(tip.x - ux * size * 1.6 + uy * size, tip.y - uy * size * 1.6 - ux * size);
        var head = L.polygon([tip, left, right].map(function (p) { return map.layerPointToLatLng(p); }), {
          color: lyr.options.color, fillColor: lyr.options.color, fillOpacity: 0.95, weight: 1,
          interactive: false, pane: lyr.options.pane, renderer: lyr.options.renderer
        });
        head.ecoHead = true;
        heads.push(head);
        group.addLayer(head);
      });
    }
    group.on("add", function () { draw(); map.on("zoomend", draw); });
    group.on("remove", function () { map.off("zoomend", draw); });
  }

  function sankeyControl(cfg) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      // Open from the start only in a large window (1600 x 900 and up), where it leaves the
      // exchanges in view; folded on an office laptop (it would cover a third of the map),
      // and in a compact map embedded in a report, which draws the same diagram beside it.
      var folded = cfg.collapse_layers || window.innerWidth < 1600 || window.innerHeight < 900;
      var box = el("div", "eco-sankey leaflet-bar" + (folded ? " eco-collapsed" : ""));
      var head = el("button", "eco-sankey-toggle", cfg.sankey.button + " ▾");
      head.type = "button";
      var img = el("img", "eco-sankey-image");
      img.alt = cfg.sankey.title;
      img.src = cfg.sankey.image;  // a data: URI of an SVG built by ecogis: inert, no request
      head.addEventListener("click", function () {
        var folded = box.classList.toggle("eco-collapsed");
        head.textContent = cfg.sankey.button + (folded ? " ▸" : " ▾");
      });
      if (folded) { head.textContent = cfg.sankey.button + " ▸"; }
      box.appendChild(head);
      box.appendChild(img);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  function swatch(entry) {
    var s = el("span", "eco-swatch eco-swatch-" + (entry.shape || "polygon"));
    s.style.background = entry.shape === "line" ? "none" : entry.color;
    if (entry.shape === "line") { s.style.borderTop = Math.max(1, entry.width || 3) + "px solid " + entry.color; }
    if (entry.radius) {
      s.style.width = s.style.height = Math.round(2 * entry.radius) + "px";
      s.style.background = "transparent";
      s.style.borderColor = entry.color;
    }
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
        if (entry.points) {
          if (!map.hasLayer(entry.points)) { map.addLayer(entry.points); }
          entry.points.showPoint(entry.index);
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
        for (var s = 0; s < entries.length && hits < 12; s++) {
          entries[s].find(q, 12 - hits).forEach(function (entry) {
            var b = el("button", "eco-search-hit", entry.label);
            b.type = "button";
            b.addEventListener("click", go.bind(null, entry));
            list.appendChild(b);
            hits++;
          });
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

  // The light basemap drawn from the workspace's own layers (no tiles, no network).
  var BASE_STYLE = {
    provinces: function () { return { color: "#9a9a9a", weight: 1.2, fillColor: "#f8f5ef", fillOpacity: 1 }; },
    districts: function () { return { color: "#c4c4c4", weight: 0.7, dashArray: "3 3", fill: false }; },
    industrial_zones: function () { return { color: "#c8bcd8", weight: 0.8, fillColor: "#ece6f3", fillOpacity: 1 }; },
    water: function (f) {
      var line = f.geometry && /LineString/.test(f.geometry.type);
      var kind = (f.properties || {}).water_kind;
      var width = kind === "river" ? 2.2 : kind === "canal" ? 1.3 : 0.9;
      return line ? { color: "#8fc3dd", weight: width, fill: false } : { color: "#8fc3dd", weight: 0.5, fillColor: "#b7dbea", fillOpacity: 1 };
    },
    roads: function (f) {
      var c = (f.properties || {}).road_class;
      var look = { motorway: ["#e39a4f", 3.2], trunk: ["#eeb86b", 2.6], primary: ["#f3cf8f", 2.1], secondary: ["#f6dfb2", 1.6], tertiary: ["#ffffff", 1.2] }[c] || ["#ffffff", 0.9];
      return { color: look[0], weight: look[1], fill: false, opacity: 0.95 };
    }
  };

  function addWorkspaceBasemap(map, basemap, cfg) {
    map.getContainer().style.background = "#d9e6ee";  // the sea, around the provinces
    var pane = map.createPane("eco-base");
    pane.style.zIndex = "250";
    pane.style.pointerEvents = "none";
    var labelPane = map.createPane("eco-base-labels");
    labelPane.style.zIndex = "450";
    labelPane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "eco-base", padding: 0.5 });
    var byId = {};
    cfg.layers.forEach(function (layer) { byId[layer.id] = layer; });
    basemap.layers.forEach(function (entry) {
      var data = entry.ref ? (byId[entry.ref] || {}).geojson : entry.geojson;
      if (!data) { return; }
      L.geoJSON(data, { pane: "eco-base", renderer: renderer, interactive: false, style: BASE_STYLE[entry.layer] }).addTo(map);
    });
    var groups = {};
    (basemap.labels || []).forEach(function (label) {
      var group = groups[label.zoom] || (groups[label.zoom] = L.layerGroup());
      var text = el("span", "eco-place eco-place-" + label.kind, label.text);
      var icon = L.divIcon({ html: text, className: "eco-place-icon", iconSize: null });
      group.addLayer(L.marker([label.lat, label.lon], { icon: icon, pane: "eco-base-labels", interactive: false, keyboard: false }));
    });
    function sync() {
      var zoom = map.getZoom();
      Object.keys(groups).forEach(function (z) {
        var on = zoom >= Number(z);
        if (on && !map.hasLayer(groups[z])) { groups[z].addTo(map); }
        if (!on && map.hasLayer(groups[z])) { map.removeLayer(groups[z]); }
      });
    }
    map.on("zoomend", sync);
    sync();
  }

  function addBasemap(map, basemap, cfg) {
    if (!basemap) { return; }
    if (basemap.kind === "workspace") { addWorkspaceBasemap(map, basemap, cfg); return; }
    if ((basemap.kind === "pmtiles" || basemap.kind === "vector") && window.protomapsL) {
      protomapsL.leafletLayer({ url: basemap.url, flavor: "light", lang: cfg.lang, maxZoom: basemap.max_zoom || 19 }).addTo(map);
      return;
    }
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
    addBasemap(map, cfg.basemap, cfg);
    var entries = [];
    var layersById = {};
    var overlays = {};
    var ctx = {
      // Data layers draw on one canvas (fast for thousands of features); the map's default
      // renderer stays SVG because the measure tool styles its own paths as SVG elements.
      renderer: L.canvas({ padding: 0.5 }),
      map: map,
      lang: cfg.lang,
      // Search sources: features of GeoJSON layers one by one; a point layer as a whole,
      // its lower-case texts made on the first search (not for every point at load).
      index: function (layer, props, lyr) {
        if (!layer.search || !layer.search.length) { return; }
        var parts = searchParts(layer, function (f) { return props[f]; });
        if (!parts.length) { return; }
        var entry = { label: parts.join(" · "), layer: lyr };
        var text = parts.join(" ").toLowerCase();
        entries.push({ find: function (q) { return text.indexOf(q) >= 0 ? [entry] : []; } });
      },
      indexPoints: function (layer, points) {
        var texts = null;
        entries.push({
          find: function (q, limit) {
            if (texts === null) {
              texts = new Array(points.n);
              for (var i = 0; i < points.n; i++) {
                texts[i] = searchParts(layer, function (f) { return points.readers[f] ? points.readers[f](i) : null; }).join(" ").toLowerCase();
              }
            }
            var out = [];
            for (var k = 0; k < texts.length && out.length < limit; k++) {
              if (texts[k].indexOf(q) >= 0) {
                var parts = searchParts(layer, function (f) { return points.readers[f] ? points.readers[f](k) : null; });
                out.push({ label: parts.join(" · "), points: points, index: k });
              }
            }
            return out;
          }
        });
      }
    };
    cfg.layers.forEach(function (layer) {
      var lyr = layer.points ? buildPoints(layer, ctx) : buildGeoJSON(layer, ctx);
      if (layer.arrows && !layer.points) { addArrows(lyr, map); }
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
    if (cfg.sankey) { sankeyControl(cfg).addTo(map); }
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
        if (lyr.features) { n = lyr.features(); } else if (lyr.getLayers) { n = lyr.getLayers().length; }
        return { id: l.id, shown: map.hasLayer(lyr), features: n };
      })
    });
  }

  function searchParts(layer, value) {
    return layer.search.map(value).filter(function (v) { return v !== null && v !== undefined && v !== ""; });
  }

  window.ecogisRender = function (map, dataElementId) {
    var started = performance.now();
    var node = document.getElementById(dataElementId);
    var cfg = decodeDocument(node.textContent);
    render(map, cfg);
    // When the first frame with every layer is on screen (for tests and benchmarks).
    requestAnimationFrame(function () {
      window.ecogisRendered = { ms: performance.now() - started, at: performance.now() };
      document.documentElement.setAttribute("data-ecogis-rendered", String(Math.round(performance.now())));
    });
  };
})();
