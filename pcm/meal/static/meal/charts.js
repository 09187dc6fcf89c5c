/* MEAL charts: each <canvas data-meal-chart="ID"> is drawn from the JSON block with that id
   (rendered by the server with json_script). Suppressed values arrive as null and are left
   out of the drawing; the table beside each chart holds every figure, "<5" included. */
(function () {
  "use strict";

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-meal-chart"));
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var rtl = document.documentElement.getAttribute("dir") === "rtl";
    var percent = spec.unit === "percent";
    var datasets = spec.series.map(function (series, index) {
      return {
        label: series.label,
        data: series.data,
        borderWidth: 2,
        spanGaps: false,
        borderColor: index === 0 ? "#0b5ed7" : "#6c757d",
        backgroundColor: index === 0 ? "rgba(11, 94, 215, 0.6)" : "rgba(108, 117, 125, 0.5)",
        borderDash: index === 0 ? [] : [6, 4],
        pointRadius: index === 0 ? 3 : 0,
        type: series.type || spec.type
      };
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || "en",
        plugins: {
          legend: { display: datasets.length > 1, rtl: rtl },
          tooltip: { rtl: rtl }
        },
        scales: {
          x: { reverse: rtl },
          y: {
            beginAtZero: true,
            position: rtl ? "right" : "left",
            suggestedMax: percent ? 100 : undefined,
            // Counts are whole numbers: no "4.5 cases" on the axis.
            ticks: { precision: percent ? undefined : 0 }
          }
        }
      }
    });
  }

  function start() {
    var canvases = document.querySelectorAll("canvas[data-meal-chart]");
    for (var i = 0; i < canvases.length; i += 1) {
      draw(canvases[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
