/* newsaudit dashboard: draws the Plotly charts, switches layers, links highlights to findings.
   No inline scripts anywhere (Content-Security-Policy); figures arrive in data-figure attributes. */
(function () {
  "use strict";

  function drawCharts() {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".chart[data-figure]").forEach(function (el) {
      var fig = JSON.parse(el.getAttribute("data-figure"));
      var layout = fig.layout || {};
      layout.autosize = true;
      Plotly.newPlot(el, fig.data || [], layout, { responsive: true, displaylogo: false }).then(function () {
        el.setAttribute("data-rendered", "1");
      });
      var url = el.getAttribute("data-click-url");
      var target = el.getAttribute("data-click-target");
      if (url || target) {
        el.on("plotly_click", function (ev) {
          var pt = ev && ev.points && ev.points[0];
          if (!pt || pt.customdata === undefined) { return; }
          if (url) { window.location.href = url.replace("__ID__", encodeURIComponent(pt.customdata)); }
          if (target) { showEvidence(target, String(pt.customdata)); }
        });
      }
    });
  }

  function showEvidence(panelId, key) {
    var panel = document.getElementById(panelId);
    if (!panel) { return; }
    var found = false;
    panel.querySelectorAll(".evidence").forEach(function (d) {
      var on = d.getAttribute("data-actor") === key;
      d.hidden = !on;
      found = found || on;
    });
    var hint = panel.querySelector(".evidence-hint");
    if (hint) { hint.textContent = found ? "" : "No scored sentences for this actor."; }
  }

  function setupLayers() {
    var body = document.getElementById("article-body");
    if (!body) { return; }
    document.querySelectorAll("#layers input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        body.classList.toggle("show-" + box.getAttribute("data-layer"), box.checked);
      });
    });
  }

  function clearFocus() {
    document.querySelectorAll(".seg.focus").forEach(function (s) { s.classList.remove("focus"); });
    document.querySelectorAll("tr.hit").forEach(function (r) { r.classList.remove("hit"); });
  }

  function setupLinks() {
    var body = document.getElementById("article-body");
    if (!body) { return; }
    // a highlight -> its finding rows
    body.addEventListener("click", function (ev) {
      var seg = ev.target.closest(".seg");
      if (!seg) { return; }
      clearFocus();
      var first = null;
      seg.getAttribute("data-f").split(" ").forEach(function (fid) {
        var row = document.getElementById("f-" + fid);
        if (row) { row.classList.add("hit"); first = first || row; }
      });
      if (first) { first.scrollIntoView({ behavior: "smooth", block: "center" }); }
    });
    // a finding row -> its highlights
    document.querySelectorAll("a.find").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        clearFocus();
        var fid = a.getAttribute("data-f");
        var segs = Array.prototype.filter.call(body.querySelectorAll(".seg"), function (s) {
          return s.getAttribute("data-f").split(" ").indexOf(fid) >= 0;
        });
        segs.forEach(function (s) { s.classList.add("focus"); });
        if (segs.length) { segs[0].scrollIntoView({ behavior: "smooth", block: "center" }); }
      });
    });
  }

  // Each cell learns its column's heading (data-label), which phone-width CSS shows beside it.
  function labelCells() {
    document.querySelectorAll("table.data").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.replace(/[▲▼]/g, "").trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (heads[i] && !td.hasAttribute("data-label")) { td.setAttribute("data-label", heads[i]); }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelCells();
    setupLayers();
    setupLinks();
    drawCharts();
  });
})();
