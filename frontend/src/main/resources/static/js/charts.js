// Shared chart plumbing for the dashboard's pages (load after /webjars/echarts/dist/echarts.min.js).
// Every chart has a table alternative and CSV/PNG downloads: a button with data-download-csv="<table id>"
// saves that table as CSV, one with data-download-png="<chart element id>" saves the chart as PNG.
// Tooltips use renderMode "richText" (drawn on the canvas): ECharts' HTML tooltips write style="…"
// attributes through innerHTML, which the Content-Security-Policy (style-src 'self') refuses.
window.FulcrumCharts = (() => {
  const charts = new Map();

  /** Creates (or returns) the ECharts instance of an element and keeps it sized with the window. */
  const chart = (element) => {
    const id = element.id;
    if (!charts.has(id)) {
      charts.set(id, echarts.init(element, null, { renderer: "canvas" }));
    }
    return charts.get(id);
  };

  const csvCell = (text) => {
    const value = String(text).trim();
    return /[",\n]/.test(value) ? '"' + value.replaceAll('"', '""') + '"' : value;
  };

  /** The rows of a table (header included) as CSV text. */
  const tableToCsv = (table) => Array.from(table.rows)
    .map((row) => Array.from(row.cells).map((cell) => csvCell(cell.dataset.value ?? cell.textContent)).join(","))
    .join("\n");

  const save = (href, filename) => {
    const link = document.createElement("a");
    link.href = href;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-download-csv], [data-download-png]");
    if (!button) {
      return;
    }
    if (button.dataset.downloadCsv) {
      const table = document.getElementById(button.dataset.downloadCsv);
      const blob = new Blob([tableToCsv(table)], { type: "text/csv" });
      save(URL.createObjectURL(blob), (button.dataset.filename || table.id) + ".csv");
    } else {
      const instance = charts.get(button.dataset.downloadPng);
      if (instance) {
        save(instance.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" }),
          (button.dataset.filename || button.dataset.downloadPng) + ".png");
      }
    }
  });

  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

  return { chart, tableToCsv };
})();
