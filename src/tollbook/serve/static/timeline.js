// The timeline is brushable: drag across the bars (or click one) and the list shows those dates
// (since/until of the first and last period touched), the other filters kept.
(function () {
  "use strict";
  var svg = document.getElementById("timeline");
  if (!svg) { return; }
  var bars = Array.prototype.slice.call(svg.querySelectorAll("rect.bar"));
  var ns = "http://www.w3.org/2000/svg";
  var brush = null, from = null;

  function xOf(evt) {  // the pointer's x in the chart's own units
    var box = svg.getBoundingClientRect();
    return (evt.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
  }

  function go(a, b) {
    var lo = Math.min(a, b), hi = Math.max(a, b);
    var hit = bars.filter(function (r) {
      var x = r.x.baseVal.value, w = r.width.baseVal.value;
      return x + w >= lo - 1 && x <= hi + 1;
    });
    if (!hit.length) { return; }
    var params = new URLSearchParams(window.location.search);
    params.set("since", hit[0].getAttribute("data-start"));
    params.set("until", hit[hit.length - 1].getAttribute("data-end"));
    params.delete("offset");
    window.location.search = params.toString();
  }

  svg.addEventListener("pointerdown", function (evt) {
    evt.preventDefault();  // a drag selects dates, not the axis labels' text
    from = xOf(evt);
    brush = document.createElementNS(ns, "rect");
    brush.setAttribute("class", "brush");
    brush.setAttribute("y", "0");
    brush.setAttribute("height", String(svg.viewBox.baseVal.height));
    brush.setAttribute("x", String(from));
    brush.setAttribute("width", "0");
    svg.appendChild(brush);
    svg.setPointerCapture(evt.pointerId);
  });
  svg.addEventListener("pointermove", function (evt) {
    if (from === null) { return; }
    var x = xOf(evt);
    brush.setAttribute("x", String(Math.min(x, from)));
    brush.setAttribute("width", String(Math.abs(x - from)));
  });
  svg.addEventListener("pointerup", function (evt) {
    if (from === null) { return; }
    var a = from;
    from = null;
    go(a, xOf(evt));
  });
})();
