// A run's page: training loss and loss weight per step and the validation metric per epoch, one line
// per task, loaded from the metrics API and then kept current through the run's Server-Sent Events
// stream (new points, state changes) without reloading the page.
(() => {
  const root = document.getElementById("run");
  if (!root) {
    return;
  }
  const tasks = root.dataset.tasks.split(",").filter((t) => t !== "");
  const validationMetrics = root.dataset.validationMetrics.split(",");
  const FINISHED = ["SUCCEEDED", "FAILED", "CANCELLED"];
  const TABLE_ROWS = 20;
  // chart → which stored series each task's line shows
  const CHARTS = {
    loss: { split: "train", name: () => "loss", x: "step", y: "loss" },
    weight: { split: "train", name: () => "weight", x: "step", y: "ω" },
    validation: { split: "validation", name: (k) => validationMetrics[k], x: "step", y: "validation" },
  };
  const series = new Map(); // "split/name/task" → [[step, value, epoch], …] sorted by step

  const key = (split, name, task) => split + "/" + name + "/" + task;

  const add = (split, name, task, step, value, epoch) => {
    const k = key(split, name, task);
    if (!series.has(k)) {
      series.set(k, []);
    }
    const points = series.get(k);
    if (points.length === 0 || points[points.length - 1][0] < step) {
      points.push([step, value, epoch]);
      return;
    }
    // a resumed run rewrites the steps it repeats; a point already loaded is replaced in place
    let i = points.length - 1;
    while (i > 0 && points[i][0] > step) {
      i--;
    }
    if (points[i][0] === step) {
      points[i] = [step, value, epoch];
    } else {
      points.splice(points[i][0] < step ? i + 1 : i, 0, [step, value, epoch]);
    }
  };

  const linesOf = (chartName) => {
    const spec = CHARTS[chartName];
    return tasks.map((task, k) => ({ task, name: spec.name(k), points: series.get(key(spec.split, spec.name(k), task)) || [] }));
  };

  const fillTable = (chartName, lines) => {
    const table = document.getElementById("table-" + chartName);
    table.tHead.innerHTML = "";
    const head = table.tHead.insertRow();
    [chartName === "validation" ? "epoch" : "step", ...lines.map((l) => l.task + " " + l.name)].forEach((text) => {
      const th = document.createElement("th");
      th.textContent = text;
      head.appendChild(th);
    });
    const byStep = new Map();
    lines.forEach((line, k) => line.points.forEach(([step, value, epoch]) => {
      if (!byStep.has(step)) {
        byStep.set(step, { label: chartName === "validation" ? epoch : step, values: [] });
      }
      byStep.get(step).values[k] = value;
    }));
    const steps = Array.from(byStep.keys()).sort((a, b) => a - b);
    const shown = chartName === "validation" ? steps : steps.slice(-TABLE_ROWS);
    table.tBodies[0].innerHTML = "";
    shown.forEach((step) => {
      const entry = byStep.get(step);
      const row = table.tBodies[0].insertRow();
      row.insertCell().textContent = entry.label;
      lines.forEach((_, k) => {
        const cell = row.insertCell();
        const value = entry.values[k];
        cell.textContent = value === undefined ? "" : Number(value).toPrecision(5);
        cell.dataset.value = value === undefined ? "" : value;
      });
    });
  };

  const draw = () => {
    let any = false;
    for (const chartName of Object.keys(CHARTS)) {
      const lines = linesOf(chartName);
      any = any || lines.some((l) => l.points.length > 0);
      FulcrumCharts.chart(document.getElementById("chart-" + chartName)).setOption({
        animation: false,
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { top: 0 },
        grid: { left: 55, right: 20, top: 30, bottom: 40 },
        xAxis: { type: "value", name: "step", nameLocation: "middle", nameGap: 25, min: "dataMin" },
        yAxis: { type: "value", scale: true, name: CHARTS[chartName].y },
        series: lines.map((l) => ({
          name: l.task + (chartName === "validation" ? " " + l.name : ""),
          type: "line",
          showSymbol: chartName === "validation",
          data: l.points.map((p) => [p[0], p[1]]),
        })),
      });
      fillTable(chartName, lines);
    }
    if (any) {
      document.getElementById("curves-empty").hidden = true;
    }
  };

  let pending = false;
  const drawSoon = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        draw();
      });
    }
  };

  const showState = (state) => {
    const badge = document.getElementById("run-state");
    badge.textContent = state.state;
    badge.className = "badge state-" + state.state.toLowerCase();
    root.dataset.state = state.state;
    if (state.reason) {
      document.getElementById("run-reason").textContent = state.reason;
    }
    document.getElementById("run-checkpoint").textContent = state.checkpoint_epoch;
    const attempt = document.getElementById("run-attempt");
    attempt.textContent = attempt.textContent.replace(/^\d+/, state.attempt);
    if (FINISHED.includes(state.state)) {
      document.getElementById("cancel-form")?.remove();
    }
  };

  const follow = () => {
    const source = new EventSource(root.dataset.streamUrl + "?after=" + root.dataset.after);
    source.addEventListener("metrics", (event) => {
      JSON.parse(event.data).forEach((p) => add(p.split, p.name, p.task, p.step, p.value, p.epoch));
      root.dataset.after = event.lastEventId || root.dataset.after;
      drawSoon();
    });
    source.addEventListener("state", (event) => {
      const state = JSON.parse(event.data);
      showState(state);
      if (FINISHED.includes(state.state)) {
        source.close();
        if (state.state === "SUCCEEDED") {
          // the test metrics and the register link are rendered by the server
          setTimeout(() => window.location.reload(), 1000);
        }
      }
    });
  };

  const load = async () => {
    const response = await fetch(root.dataset.metricsUrl + "?maxPoints=2000", { headers: { Accept: "application/json" } });
    if (response.ok) {
      (await response.json()).forEach((s) => s.points.forEach((p) => add(s.split, s.name, s.task, p.step, p.value, p.epoch)));
    }
    draw();
    if (!FINISHED.includes(root.dataset.state)) {
      follow();
    }
  };

  load();
})();
