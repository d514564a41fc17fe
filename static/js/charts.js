// Draws each <canvas data-chart="ID"> from the JSON in <script id="ID" type="application/json">
// (a data island: the Content Security Policy allows no inline script). Every chart has its
// figures in a table beside it, for screen readers and for print.
(() => {
  "use strict";
  if (typeof Chart === "undefined") return;
  const colours = ["#0a53be", "#b02a37", "#495057", "#146c43"];
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    const chart = new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((set, n) => ({
          label: set.label,
          data: set.data,
          borderColor: colours[n % colours.length],
          backgroundColor: colours[n % colours.length],
          spanGaps: true,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
        scales: { y: { beginAtZero: spec.type === "bar", ticks: { callback: (v) => `${v}${spec.unit || ""}` } } },
      },
    });
    canvas.dataset.drawn = chart ? "yes" : "no";
  }
})();
