// Draws each <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
// (a data island: the Content Security Policy allows no inline script). Every chart has its
// figures and their 95% intervals in a table beside it, for screen readers and for print.
// Each series brings its one look (dashboards.figures.SERIES): colour, marker, dash, pattern;
// intervals are drawn as error bars by the vendored chartjs-chart-error-bars plugin.
(() => {
  "use strict";
  if (typeof Chart === "undefined") return;
  const errorBars = typeof ChartErrorBars !== "undefined";
  const types = { line: "lineWithErrorBars", bar: "barWithErrorBars" };

  // A bar's fill: its colour with a pattern, so that bars differ without colour too.
  const pattern = (colour, kind) => {
    if (kind === "solid") return colour;
    const tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    const pen = tile.getContext("2d");
    pen.fillStyle = "#ffffff";
    pen.fillRect(0, 0, 8, 8);
    pen.strokeStyle = pen.fillStyle = colour;
    pen.lineWidth = 2;
    const line = (x1, y1, x2, y2) => { pen.beginPath(); pen.moveTo(x1, y1); pen.lineTo(x2, y2); pen.stroke(); };
    if (kind === "stripes") { line(0, 8, 8, 0); line(-2, 2, 2, -2); line(6, 10, 10, 6); }
    if (kind === "backstripes") { line(0, 0, 8, 8); line(-2, 6, 2, 10); line(6, -2, 10, 2); }
    if (kind === "grid") { line(0, 4, 8, 4); line(4, 0, 4, 8); }
    if (kind === "dots") { pen.beginPath(); pen.arc(4, 4, 2, 0, 2 * Math.PI); pen.fill(); }
    return pen.createPattern(tile, "repeat");
  };

  // Every point an object, a withheld figure (null) too: the plugin reads each point's yMin,
  // and Chart.js reads a whole series as plain numbers when its first point is not an object.
  const point = (value, interval) =>
    interval && value !== null
      ? { y: value, yMin: interval[0], yMax: interval[1] }
      : { y: value, yMin: value, yMax: value };

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    const line = spec.type === "line";
    const chart = new Chart(canvas, {
      type: errorBars ? types[spec.type] : spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((set) => ({
          label: set.label,
          data: errorBars ? set.data.map((v, n) => point(v, (set.intervals || [])[n])) : set.data,
          borderColor: set.colour,
          backgroundColor: line ? set.colour : pattern(set.colour, set.pattern),
          borderWidth: 2,
          borderDash: line ? set.dash : [],
          pointStyle: set.marker,
          pointRadius: 5,
          errorBarColor: set.colour,
          errorBarWhiskerColor: set.colour,
          errorBarLineWidth: 1.5,
          spanGaps: true,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom", labels: { usePointStyle: line } } },
        scales: { y: { beginAtZero: !line, ticks: { callback: (v) => `${v}${spec.unit || ""}` } } },
      },
    });
    canvas.dataset.drawn = chart ? "yes" : "no";
    canvas.dataset.errorBars = errorBars ? "yes" : "no";
  }
})();
