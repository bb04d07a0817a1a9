// The maps: Leaflet + marker clustering, both served from the installed XStatic packages.
// #map (the list page) draws /api/map's points with a legend; #incident-map (an incident's page)
// draws the one place. Base tiles come from data-tiles: the bundled offline base map (/tiles/...)
// unless the deployment set another tile_url. Labels are set as text, never as HTML.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function baseLayer(map, el) {
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      var native = parseInt(el.getAttribute("data-native-zoom") || "18", 10);
      // past the tiles' own zoom Leaflet enlarges the last ones rather than asking for missing tiles
      L.tileLayer(tiles, { maxNativeZoom: native, maxZoom: 18,
                           attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
      return;
    }
    // No base map: a graticule every 30 degrees so the markers have a frame of reference.
    for (var lat = -60; lat <= 60; lat += 30) {
      L.polyline([[lat, -180], [lat, 180]], { color: "#c9d3dd", weight: 1, interactive: false }).addTo(map);
    }
    for (var lon = -180; lon <= 180; lon += 30) {
      L.polyline([[-85, lon], [85, lon]], { color: "#c9d3dd", weight: 1, interactive: false }).addTo(map);
    }
  }

  function radius(killed) { return 5 + 3 * Math.sqrt(Math.max(0, killed)); }
  var MARKER = { color: "#7a1f1f", weight: 1, fillColor: "#c0392b", fillOpacity: 0.6 };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // The legend: what a marker's size and a cluster's number and colour mean.
  function legend(map) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = el("div", "map-legend leaflet-control");
      box.id = "map-legend";
      box.appendChild(el("div", "legend-title", "Killed (best figure)"));
      var sizes = [0, 10, 100];
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      var w = 0, h = 2 * radius(100) + 4;
      sizes.forEach(function (k) { w += 2 * radius(k) + 30; });
      svg.setAttribute("width", String(w));
      svg.setAttribute("height", String(h + 14));
      var x = 2;
      sizes.forEach(function (k) {
        var r = radius(k);
        var c = document.createElementNS(ns, "circle");
        c.setAttribute("cx", String(x + r)); c.setAttribute("cy", String(h - r - 2)); c.setAttribute("r", String(r));
        c.setAttribute("class", "legend-marker");
        svg.appendChild(c);
        var t = document.createElementNS(ns, "text");
        t.setAttribute("x", String(x + r)); t.setAttribute("y", String(h + 11));
        t.setAttribute("text-anchor", "middle");
        t.textContent = String(k);
        svg.appendChild(t);
        x += 2 * r + 30;
      });
      box.appendChild(svg);
      box.appendChild(el("div", "legend-title", "Clusters: number of incidents"));
      var row = el("div", "legend-clusters");
      [["marker-cluster-small", "< 10"], ["marker-cluster-medium", "10–99"], ["marker-cluster-large", "100+"]]
        .forEach(function (c) {
          var icon = el("div", "legend-cluster marker-cluster " + c[0]);
          icon.appendChild(el("div", "", c[1]));
          row.appendChild(icon);
        });
      box.appendChild(row);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  // a point is [id, lat, lon, killed, place, date, type]
  function label(p) { return [p[4], p[5], p[6]].filter(Boolean).join(" · "); }

  function popup(p) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(p[0]);
    a.textContent = label(p);
    div.appendChild(a);
    div.appendChild(el("div", "", "killed (best): " + p[3]));
    return div;
  }

  function incidentsMap(box) {
    var map = L.map(box, { worldCopyJump: true, maxZoom: 18, minZoom: 1 }).setView([20, 0], 2);
    baseLayer(map, box);
    legend(map);
    var cluster = L.markerClusterGroup({ maxClusterRadius: 40, chunkedLoading: true });
    map.addLayer(cluster);
    fetch(box.getAttribute("data-points"), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var markers = [];
        data.points.forEach(function (p) {
          var m = L.circleMarker([p[1], p[2]], L.extend({ radius: radius(p[3]) }, MARKER));
          m.bindPopup(popup(p));
          // Leaflet puts string content in as HTML; an element with textContent stays text.
          m.bindTooltip(el("span", "", label(p) + " · " + p[3] + " killed"));
          markers.push(m);
        });
        cluster.addLayers(markers);
        map.invalidateSize();
        if (markers.length) {
          map.fitBounds(cluster.getBounds(), { maxZoom: 8, padding: [20, 20] });
        }
        box.setAttribute("data-markers", String(markers.length));
        if (data.truncated) {
          var note = document.getElementById("map-note");
          if (note) { note.textContent += " Only the " + markers.length + " largest tolls are drawn; filter to see others."; }
        }
      })
      .catch(function () { box.setAttribute("data-markers", "error"); });
  }

  // An incident's own place: a marker, at a zoom that fits how precisely the place is known.
  function incidentMap(box) {
    var lat = parseFloat(box.getAttribute("data-lat")), lon = parseFloat(box.getAttribute("data-lon"));
    if (isNaN(lat) || isNaN(lon)) { return; }
    var zoom = { country: 3, admin1: 4, admin2: 5 }[box.getAttribute("data-precision")] || 5;
    var map = L.map(box, { maxZoom: 18, minZoom: 1, scrollWheelZoom: false }).setView([lat, lon], zoom);
    baseLayer(map, box);
    L.circleMarker([lat, lon], L.extend({ radius: 8 }, MARKER)).addTo(map)
      .bindTooltip(el("span", "", box.getAttribute("data-name") || ""));
    box.setAttribute("data-ready", "1");
  }

  var list = document.getElementById("map");
  if (list && L.markerClusterGroup) { incidentsMap(list); }
  var one = document.getElementById("incident-map");
  if (one) { incidentMap(one); }
})();
