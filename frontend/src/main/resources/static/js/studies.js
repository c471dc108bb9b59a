// The study page: follows the study's runs until they are all finished, then draws what the
// comparison API reports: the MTL-gain table, the seesaw bubble chart (paper Fig. 3) and the expert
// utilization (paper Fig. 8). Every chart has a table with the same numbers next to it.
(() => {
  const page = document.getElementById("study");
  if (!page) {
    return;
  }
  const BASELINE = "single";
  const SHARED_COLOR = "#8a94a6";
  const TASK_COLORS = ["#2f5bea", "#e07b24", "#1f9d74", "#b4359b", "#c0362c", "#6c4bd8", "#0f8fb3", "#8f7a12"];
  const fixed = (x) => (x == null || Number.isNaN(x) ? "" : Number(x).toFixed(4));
  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => {
      if (v != null) {
        node.setAttribute(k, v);
      }
    });
    if (text != null) {
      node.textContent = text;
    }
    return node;
  };
  const getJson = async (url) => {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(url + " answered " + response.status);
    }
    return response.json();
  };

  // ---- runs and progress -------------------------------------------------------------------
  const renderRuns = (study) => {
    const body = document.querySelector("#study-runs tbody");
    body.replaceChildren(...study.runs.map((run) => {
      const row = el("tr");
      const link = el("a", { href: page.dataset.runUrl + run.id }, "#" + run.id);
      const id = el("td");
      id.append(link);
      const state = el("td");
      state.append(el("span", { class: "state state-" + run.state.toLowerCase() }, run.state));
      row.append(id, el("td", {}, run.model), el("td", {}, String(run.seed)), state,
        el("td", { class: "muted" }, (run.reason || "") + (run.reused ? " (reused)" : "")));
      return row;
    }));
    const done = study.runs.filter((r) => ["SUCCEEDED", "FAILED", "CANCELLED"].includes(r.state)).length;
    const total = study.runs.length;
    document.getElementById("study-progress").value = total === 0 ? 100 : Math.floor((100 * done) / total);
    document.getElementById("study-progress-text").textContent = done + " of " + total + " runs finished";
    return done === total;
  };

  // ---- MTL-gain table ----------------------------------------------------------------------
  const statCell = (stat, signed) => {
    const cell = el("td", { class: "num" });
    if (!stat) {
      cell.textContent = "—";
      return cell;
    }
    cell.dataset.value = String(stat.mean);
    cell.dataset.std = String(stat.std);
    cell.textContent = fixed(stat.mean) + " ± " + fixed(stat.std);
    if (signed && stat.mean > 0) {
      cell.classList.add("gain-positive");
    } else if (signed && stat.mean < 0) {
      cell.classList.add("gain-negative");
    }
    return cell;
  };

  const renderGainTable = (comparison) => {
    const tasks = Object.keys(comparison.metrics);
    const table = document.getElementById("gain-table");
    const head = el("tr");
    const headers = ["Model", "Architecture", "Seeds done"];
    tasks.forEach((t) => headers.push(t + " " + comparison.metrics[t].metric, t + " MTL gain"));
    headers.push("Parameters", "Verdict");
    headers.forEach((h, i) => head.append(el("th", { "data-column": String(i), tabindex: "0", "aria-sort": "none" }, h)));
    const rows = comparison.models.map((m) => {
      const row = el("tr", { "data-model": m.model });
      row.append(el("td", { "data-value": m.model }, m.model), el("td", {}, m.architecture),
        el("td", { class: "num", "data-value": String(m.seedsDone) }, m.seedsDone + " / " + m.seedsTotal));
      tasks.forEach((t) => {
        const task = m.tasks[t] || {};
        row.append(statCell(task.value, false), statCell(task.gain, true));
      });
      row.append(el("td", { class: "num", "data-value": String(m.parameters) }, m.parameters.toLocaleString("en")));
      const verdict = el("td", { "data-value": m.verdict || "" });
      if (m.verdict) {
        verdict.append(el("span", { class: "verdict verdict-" + m.verdict.toLowerCase() }, m.verdict.replace("_", " ")));
      } else {
        verdict.textContent = m.model === BASELINE ? "baseline" : "—";
      }
      row.append(verdict);
      return row;
    });
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    tbody.append(...rows);
    table.replaceChildren(thead, tbody);
  };

  const sortBy = (th) => {
    const table = th.closest("table");
    const column = Number(th.dataset.column);
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach((h) => h.setAttribute("aria-sort", "none"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const key = (row) => {
      const cell = row.cells[column];
      return cell.dataset.value ?? cell.textContent;
    };
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const nx = Number(x);
      const ny = Number(y);
      const order = x !== "" && y !== "" && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y);
      return ascending ? order : -order;
    });
    body.append(...rows);
  };
  document.getElementById("gain-table").addEventListener("click", (event) => {
    const th = event.target.closest("th[data-column]");
    if (th) {
      sortBy(th);
    }
  });
  document.getElementById("gain-table").addEventListener("keydown", (event) => {
    const th = event.target.closest("th[data-column]");
    if (th && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      sortBy(th);
    }
  });

  // ---- seesaw bubble chart (paper Fig. 3) -------------------------------------------------
  let lastComparison = null;

  const fillAxisPickers = (tasks) => {
    const x = document.getElementById("bubble-x");
    const y = document.getElementById("bubble-y");
    if (x.options.length === tasks.length) {
      return;
    }
    [x, y].forEach((select) => select.replaceChildren(...tasks.map((t) => el("option", { value: t }, t))));
    x.value = tasks[0];
    y.value = tasks[1];
    document.getElementById("bubble-axes").hidden = tasks.length <= 2;
  };

  const renderBubble = (comparison) => {
    const tasks = Object.keys(comparison.metrics);
    if (tasks.length < 2) {
      return;
    }
    fillAxisPickers(tasks);
    const tx = document.getElementById("bubble-x").value;
    const ty = document.getElementById("bubble-y").value;
    const points = comparison.models
      .filter((m) => m.model !== BASELINE && m.tasks[tx] && m.tasks[tx].gain && m.tasks[ty] && m.tasks[ty].gain)
      .map((m) => ({ model: m.model, parameters: m.parameters, verdict: m.verdict,
        x: m.tasks[tx].gain.mean, sx: m.tasks[tx].gain.std || 0,
        y: m.tasks[ty].gain.mean, sy: m.tasks[ty].gain.std || 0 }));
    const reach = (values) => Math.max(1e-6, ...values.map(Math.abs)) * 1.25;
    const limX = reach(points.flatMap((p) => [p.x - p.sx, p.x + p.sx]));
    const limY = reach(points.flatMap((p) => [p.y - p.sy, p.y + p.sy]));
    const maxParams = Math.max(1, ...points.map((p) => p.parameters));
    const diameter = (p) => Math.max(8, 64 * Math.sqrt(p / maxParams)); // area ∝ parameters
    const quadrant = (x0, y0, x1, y1, name, color) => [
      { xAxis: x0, yAxis: y0, name, itemStyle: { color }, label: { show: true, position: "insideTop", color: "#667085" } },
      { xAxis: x1, yAxis: y1 },
    ];
    const chart = FulcrumCharts.chart(document.getElementById("bubble-chart"));
    chart.setOption({
      animation: false,
      grid: { left: 70, right: 30, top: 30, bottom: 60 },
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: (item) => {
          if (item.seriesId === "baseline") {
            return "single-task baseline: gain 0 on every task";
          }
          const p = points[item.dataIndex];
          return p ? `${p.model}\n${tx} gain ${fixed(p.x)} ± ${fixed(p.sx)}\n${ty} gain ${fixed(p.y)} ± ${fixed(p.sy)}`
            + `\n${p.parameters.toLocaleString("en")} parameters\n${p.verdict || ""}` : "";
        },
      },
      xAxis: { type: "value", name: "MTL gain on " + tx, nameLocation: "middle", nameGap: 32, min: -limX, max: limX,
        axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: (v) => Number(v).toPrecision(2) } },
      yAxis: { type: "value", name: "MTL gain on " + ty, nameLocation: "middle", nameGap: 52, min: -limY, max: limY,
        axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: (v) => Number(v).toPrecision(2) } },
      series: [
        {
          id: "baseline", name: "single-task baseline", type: "scatter", symbol: "diamond", symbolSize: 14,
          itemStyle: { color: "#1d2433" }, data: [[0, 0]], z: 3,
          label: { show: true, position: "bottom", formatter: "baseline", color: "#1d2433" },
          markArea: {
            silent: true,
            data: [
              quadrant(0, 0, limX, limY, "both better", "rgba(31,122,70,0.08)"),
              quadrant(-limX, 0, 0, limY, "seesaw", "rgba(224,123,36,0.08)"),
              quadrant(0, -limY, limX, 0, "seesaw", "rgba(224,123,36,0.08)"),
              quadrant(-limX, -limY, 0, 0, "negative transfer", "rgba(192,54,44,0.08)"),
            ],
          },
        },
        {
          id: "error-bars", name: "± std over seeds", type: "custom", silent: true, z: 2,
          data: points.map((p) => [p.x, p.y, p.sx, p.sy]),
          renderItem: (params, api) => {
            const [x, y, sx, sy] = [api.value(0), api.value(1), api.value(2), api.value(3)];
            const style = { stroke: "#1d2433", lineWidth: 1.2, opacity: 0.7 };
            const line = (a, b) => ({ type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style });
            const l = api.coord([x - sx, y]);
            const r = api.coord([x + sx, y]);
            const t = api.coord([x, y + sy]);
            const b = api.coord([x, y - sy]);
            return { type: "group", children: [line(l, r), line(b, t),
              line([l[0], l[1] - 4], [l[0], l[1] + 4]), line([r[0], r[1] - 4], [r[0], r[1] + 4]),
              line([t[0] - 4, t[1]], [t[0] + 4, t[1]]), line([b[0] - 4, b[1]], [b[0] + 4, b[1]])] };
          },
        },
        {
          id: "models", name: "models", type: "scatter", z: 4,
          data: points.map((p, i) => ({ name: p.model, value: [p.x, p.y, p.parameters], symbolSize: diameter(p.parameters),
            itemStyle: { color: TASK_COLORS[i % TASK_COLORS.length], opacity: 0.75 } })),
          label: { show: true, position: "right", formatter: (item) => item.name, color: "#1d2433" },
        },
      ],
    }, { notMerge: true });

    const table = document.getElementById("bubble-table");
    const head = el("tr");
    ["Model", "Parameters", tx + " gain", tx + " std", ty + " gain", ty + " std", "Verdict"]
      .forEach((h) => head.append(el("th", {}, h)));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    tbody.append(...points.map((p) => {
      const row = el("tr", { "data-model": p.model });
      row.append(el("td", {}, p.model), el("td", { "data-value": String(p.parameters) }, String(p.parameters)),
        ...[p.x, p.sx, p.y, p.sy].map((v) => el("td", { class: "num", "data-value": String(v) }, fixed(v))),
        el("td", {}, p.verdict || ""));
      return row;
    }));
    table.replaceChildren(thead, tbody);
  };
  ["bubble-x", "bubble-y"].forEach((id) => document.getElementById(id).addEventListener("change", () => {
    if (lastComparison) {
      renderBubble(lastComparison);
    }
  }));

  // ---- expert utilization (paper Fig. 8) ---------------------------------------------------
  let utilization = null;

  const ownerOf = (expert) => expert.split("#")[0];

  const renderUtilization = () => {
    const select = document.getElementById("utilization-model");
    const model = utilization.find((m) => m.model === select.value);
    if (!model) {
      return;
    }
    const gates = model.gates;
    const owners = [...new Set(gates.flatMap((g) => g.experts.map(ownerOf)))].sort((a, b) =>
      (a === "shared" ? -1 : b === "shared" ? 1 : a.localeCompare(b)));
    const colorOf = (owner) => (owner === "shared" ? SHARED_COLOR
      : TASK_COLORS[owners.filter((o) => o !== "shared").indexOf(owner) % TASK_COLORS.length]);
    const legend = document.getElementById("utilization-legend");
    legend.replaceChildren(...owners.map((o) => {
      const chip = el("span", { class: "owner-chip" }, o === "shared" ? "shared experts" : o + "'s experts");
      chip.style.setProperty("--owner", colorOf(o));
      return chip;
    }));

    const perRow = Math.min(3, gates.length);
    const rowsOfGrids = Math.ceil(gates.length / perRow);
    const container = document.getElementById("utilization-chart");
    container.style.height = Math.max(320, rowsOfGrids * 240) + "px";
    const grids = [];
    const xAxes = [];
    const yAxes = [];
    const series = [];
    const top = Math.max(...gates.map((g) => Math.max(...g.mean.map((m, i) => m + (g.std[i] || 0)))), 0.01);
    gates.forEach((gate, gi) => {
      const col = gi % perRow;
      const row = Math.floor(gi / perRow);
      grids.push({ left: (col * 100) / perRow + 4 + "%", width: 100 / perRow - 7 + "%",
        top: row * 240 + 36, height: 150, containLabel: false });
      xAxes.push({ type: "category", gridIndex: gi, data: gate.experts, name: gate.gate, nameLocation: "middle",
        nameGap: 40, nameTextStyle: { fontWeight: "bold" }, axisLabel: { interval: 0, rotate: gate.experts.length > 4 ? 40 : 0 } });
      yAxes.push({ type: "value", gridIndex: gi, min: 0, max: Math.min(1, top * 1.1), axisLabel: { formatter: (v) => Number(v).toFixed(2) } });
      series.push({
        id: "gate-" + gi, name: gate.gate, type: "bar", xAxisIndex: gi, yAxisIndex: gi, barMaxWidth: 28,
        data: gate.experts.map((e, i) => ({ name: e, value: gate.mean[i], itemStyle: { color: colorOf(ownerOf(e)) } })),
      });
      series.push({
        id: "gate-std-" + gi, name: gate.gate + " ± std", type: "custom", xAxisIndex: gi, yAxisIndex: gi, silent: true, z: 5,
        data: gate.experts.map((e, i) => [i, gate.mean[i], gate.std[i] || 0]),
        renderItem: (params, api) => {
          const [i, m, s] = [api.value(0), api.value(1), api.value(2)];
          const hi = api.coord([i, m + s]);
          const lo = api.coord([i, Math.max(0, m - s)]);
          const style = { stroke: "#1d2433", lineWidth: 1.2 };
          return { type: "group", children: [
            { type: "line", shape: { x1: hi[0], y1: hi[1], x2: lo[0], y2: lo[1] }, style },
            { type: "line", shape: { x1: hi[0] - 4, y1: hi[1], x2: hi[0] + 4, y2: hi[1] }, style },
            { type: "line", shape: { x1: lo[0] - 4, y1: lo[1], x2: lo[0] + 4, y2: lo[1] }, style }] };
        },
      });
    });
    const chart = FulcrumCharts.chart(container);
    chart.resize();
    chart.setOption({
      animation: false,
      title: { text: model.model + " (" + model.architecture + ", " + model.runs + " runs)", left: "center",
        textStyle: { fontSize: 13 } },
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: (item) => {
          const gate = gates[Number(item.seriesId.replace("gate-", ""))];
          return gate ? `${gate.gate}\n${gate.experts[item.dataIndex]}: ${fixed(gate.mean[item.dataIndex])}`
            + ` ± ${fixed(gate.std[item.dataIndex])}` : "";
        },
      },
      grid: grids, xAxis: xAxes, yAxis: yAxes, series,
    }, { notMerge: true });

    const table = document.getElementById("utilization-table");
    const head = el("tr");
    ["Gate", "Expert", "Owner", "Mean weight", "Std"].forEach((h) => head.append(el("th", {}, h)));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    gates.forEach((gate) => gate.experts.forEach((e, i) => {
      const row = el("tr");
      row.append(el("td", {}, gate.gate), el("td", {}, e), el("td", {}, ownerOf(e)),
        el("td", { class: "num", "data-value": String(gate.mean[i]) }, fixed(gate.mean[i])),
        el("td", { class: "num", "data-value": String(gate.std[i]) }, fixed(gate.std[i])));
      tbody.append(row);
    }));
    table.replaceChildren(thead, tbody);
  };
  document.getElementById("utilization-model").addEventListener("change", renderUtilization);

  const loadUtilization = async () => {
    const report = await getJson(page.dataset.utilizationUrl);
    utilization = report.models.filter((m) => m.gates.length > 0);
    const none = utilization.length === 0;
    document.getElementById("utilization-empty").hidden = !none;
    document.getElementById("utilization").hidden = none;
    if (none) {
      return;
    }
    const select = document.getElementById("utilization-model");
    const previous = select.value;
    select.replaceChildren(...utilization.map((m) => el("option", { value: m.model }, m.model)));
    select.value = utilization.some((m) => m.model === previous) ? previous : utilization[0].model;
    renderUtilization();
  };

  // ---- the loop --------------------------------------------------------------------------
  const loadComparison = async () => {
    const comparison = await getJson(page.dataset.comparisonUrl);
    const anyDone = comparison.models.some((m) => m.model !== BASELINE && m.seedsDone > 0);
    document.getElementById("comparison-empty").hidden = anyDone;
    document.getElementById("comparison").hidden = !anyDone;
    if (!anyDone) {
      return false;
    }
    lastComparison = comparison;
    renderGainTable(comparison);
    renderBubble(comparison);
    await loadUtilization();
    return true;
  };

  let finishedSeen = -1;
  const poll = async () => {
    try {
      const study = await getJson(page.dataset.studyUrl);
      const complete = renderRuns(study);
      const finished = study.runs.filter((r) => r.state === "SUCCEEDED").length;
      if (finished !== finishedSeen) {
        finishedSeen = finished;
        await loadComparison();
      }
      if (complete) {
        page.dataset.ready = "true";
        return;
      }
    } catch (error) {
      console.error(error);
    }
    setTimeout(poll, 2000);
  };
  poll();
})();
