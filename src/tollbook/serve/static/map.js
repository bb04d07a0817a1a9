// The incidents map: Leaflet + marker clustering, both served from the installed XStatic packages.
// Markers come from /api/map as JSON; their labels are set as text, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { worldCopyJump: true, maxZoom: 18, minZoom: 1 }).setView([20, 0], 2);
  var tiles = el.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute("data-attribution") || "" }).addTo(map);
  } else {
    // No tile server: a graticule every 30 degrees so the markers have a frame of reference.
    for (var lat = -60; lat <= 60; lat += 30) {
      L.polyline([[lat, -180], [lat, 180]], { color: "#c9d3dd", weight: 1, interactive: false }).addTo(map);
    }
    for (var lon = -180; lon <= 180; lon += 30) {
      L.polyline([[-85, lon], [85, lon]], { color: "#c9d3dd", weight: 1, interactive: false }).addTo(map);
    }
  }
  var cluster = L.markerClusterGroup({ maxClusterRadius: 40, chunkedLoading: true });
  map.addLayer(cluster);

  function radius(killed) { return 5 + 3 * Math.sqrt(Math.max(0, killed)); }

  // a point is [id, lat, lon, killed, place, date, type]
  function label(p) { return [p[4], p[5], p[6]].filter(Boolean).join(" · "); }

  function popup(p) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/incidents/" + encodeURIComponent(p[0]);
    a.textContent = label(p);
    div.appendChild(a);
    var k = document.createElement("div");
    k.textContent = "killed (best): " + p[3];
    div.appendChild(k);
    return div;
  }

  fetch(el.getAttribute("data-points"), { headers: { "Accept": "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var markers = [];
      data.points.forEach(function (p) {
        var m = L.circleMarker([p[1], p[2]], {
          radius: radius(p[3]), color: "#7a1f1f", weight: 1, fillColor: "#c0392b", fillOpacity: 0.6
        });
        m.bindPopup(popup(p));
        // Leaflet puts string content in as HTML; an element with textContent stays text.
        var tip = document.createElement("span");
        tip.textContent = label(p) + " · " + p[3] + " killed";
        m.bindTooltip(tip);
        markers.push(m);
      });
      cluster.addLayers(markers);
      map.invalidateSize();
      if (markers.length) {
        map.fitBounds(cluster.getBounds(), { maxZoom: 8, padding: [20, 20] });
      }
      el.setAttribute("data-markers", String(markers.length));
      if (data.truncated) {
        var note = document.getElementById("map-note");
        if (note) { note.textContent += " Only the " + markers.length + " largest tolls are drawn; filter to see others."; }
      }
    })
    .catch(function () { el.setAttribute("data-markers", "error"); });
})();
