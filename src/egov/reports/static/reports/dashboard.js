/* Draw the dashboard's charts from the JSON the page carries (#reports-data); each chart
   also has a data table below it, for screen readers and when scripts are off. */
(function () {
  "use strict";
  var COLOURS = ["#0d6efd", "#6c757d", "#dc3545", "#198754", "#fd7e14", "#6f42c1"];

  function draw() {
    var source = document.getElementById("reports-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var byKey = {};
    data.charts.forEach(function (chart) { byKey[chart.key] = chart; });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = byKey[canvas.getAttribute("data-chart")];
      if (!chart) {
        return;
      }
      var datasets = chart.datasets.map(function (d, i) {
        return {
          label: d.label,
          data: d.data,
          backgroundColor: COLOURS[i % COLOURS.length],
          borderColor: COLOURS[i % COLOURS.length],
          spanGaps: true,
          tension: 0.2
        };
      });
      var options = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true } }
      };
      if (chart.unit === "%") {
        options.scales.y.max = 100;
        options.scales.y.ticks = { callback: function (v) { return v + "%"; } };
      }
      new window.Chart(canvas, {
        type: chart.type,
        data: { labels: chart.labels, datasets: datasets },
        options: options
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
