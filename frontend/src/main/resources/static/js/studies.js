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
  const signed = (x) => (x == null || Number.isNaN(x) ? "" : (x >= 0 ? "+" : "") + Number(x).toFixed(4));
  // a task's call: its gain's 95% interval against the tolerance band (docs/engine.md)
  const CALL_MARK = { BETTER: "↑", WORSE: "↓", NO_CHANGE: "=", UNDEFINED: "?" };
  const CALL_CLASS = { BETTER: "gain-positive", WORSE: "gain-negative", NO_CHANGE: "gain-none", UNDEFINED: "gain-none" };
  const interval = (gain) => (gain.ci ? "[" + signed(gain.ci.low) + ", " + signed(gain.ci.high) + "]" : "[one seed]");
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
  const statCell = (stat) => {
    const cell = el("td", { class: "num" });
    if (!stat) {
      cell.textContent = "—";
      return cell;
    }
    cell.dataset.value = String(stat.mean);
    cell.dataset.std = String(stat.std);
    cell.textContent = fixed(stat.mean) + " ± " + fixed(stat.std);
    return cell;
  };

  // the mean gain, its 95% interval over seeds and the call, coloured by the call (not by the sign)
  const gainCell = (task) => {
    const cell = el("td", { class: "num" });
    const gain = task.gain;
    if (!gain) {
      cell.textContent = "—";
      return cell;
    }
    cell.dataset.value = String(gain.mean);
    cell.dataset.std = String(gain.std);
    cell.dataset.call = task.call;
    if (gain.ci) {
      cell.dataset.low = String(gain.ci.low);
      cell.dataset.high = String(gain.ci.high);
    }
    cell.textContent = signed(gain.mean) + " " + interval(gain) + " " + CALL_MARK[task.call];
    cell.title = task.call.replace("_", " ").toLowerCase() + ": ± " + fixed(gain.std) + " std over " + gain.n
      + " seed" + (gain.n === 1 ? "" : "s") + ", tolerance ± " + fixed(task.tolerance);
    cell.classList.add(CALL_CLASS[task.call]);
    return cell;
  };

  const renderGainTable = (comparison) => {
    const tasks = Object.keys(comparison.metrics);
    const table = document.getElementById("gain-table");
    const head = el("tr");
    const headers = ["Model", "Architecture", "Seeds done"];
    tasks.forEach((t) => headers.push(t + " " + comparison.metrics[t].metric, t + " MTL gain [95% CI]"));
    headers.push("Parameters", "Verdict");
    headers.forEach((h, i) => head.append(el("th", { "data-column": String(i), tabindex: "0", "aria-sort": "none" }, h)));
    const rows = comparison.models.map((m) => {
      const row = el("tr", { "data-model": m.model });
      row.append(el("td", { "data-value": m.model }, m.model), el("td", {}, m.architecture),
        el("td", { class: "num", "data-value": String(m.seedsDone) }, m.seedsDone + " / " + m.seedsTotal));
      tasks.forEach((t) => {
        const task = m.tasks[t] || {};
        row.append(statCell(task.value), gainCell(task));
      });
      row.append(el("td", { class: "num", "data-value": String(m.parameters) }, m.parameters.toLocaleString("en")));
      const verdict = el("td", { "data-value": m.verdict || "" });
      if (m.verdict) {
        verdict.append(el("span", { class: "verdict verdict-" + m.verdict.toLowerCase(),
          title: m.verdict === "INCONCLUSIVE" ? "fewer than 3 seeds done: no verdict yet" : null },
        m.verdict.replace("_", " ")));
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
      .map((m) => {
        const [gx, gy] = [m.tasks[tx].gain, m.tasks[ty].gain];
        return { model: m.model, parameters: m.parameters, verdict: m.verdict,
          x: gx.mean, xLow: gx.ci ? gx.ci.low : null, xHigh: gx.ci ? gx.ci.high : null, xCall: m.tasks[tx].call,
          y: gy.mean, yLow: gy.ci ? gy.ci.low : null, yHigh: gy.ci ? gy.ci.high : null, yCall: m.tasks[ty].call,
          tolX: m.tasks[tx].tolerance || 0, tolY: m.tasks[ty].tolerance || 0 };
      });
    // what the two calls say together, the seesaw verdict restricted to these two tasks
    const pairCall = (p) => {
      const calls = [p.xCall, p.yCall];
      if (calls.includes("UNDEFINED")) {
        return "undefined";
      }
      const better = calls.includes("BETTER");
      const worse = calls.includes("WORSE");
      return better ? (worse ? "seesaw" : "better") : (worse ? "worse" : "no change");
    };
    const PAIR_COLORS = { better: "#1f7a46", seesaw: "#e07b24", worse: "#c0362c", "no change": "#8a94a6", undefined: "#c4c9d2" };
    const reach = (values) => Math.max(1e-6, ...values.filter((v) => v != null).map(Math.abs)) * 1.25;
    const tolX = Math.max(0, ...points.map((p) => p.tolX));
    const tolY = Math.max(0, ...points.map((p) => p.tolY));
    const limX = reach(points.flatMap((p) => [p.x, p.xLow, p.xHigh, 2 * tolX]));
    const limY = reach(points.flatMap((p) => [p.y, p.yLow, p.yHigh, 2 * tolY]));
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
          const line = (task, mean, low, high, call) => `${task} gain ${signed(mean)} `
            + (low == null ? "[one seed]" : `[${signed(low)}, ${signed(high)}]`) + ` ${call.replace("_", " ").toLowerCase()}`;
          return p ? `${p.model}\n${line(tx, p.x, p.xLow, p.xHigh, p.xCall)}\n${line(ty, p.y, p.yLow, p.yHigh, p.yCall)}`
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
          // an interval lying wholly inside a quadrant calls both tasks; the grey cross is the tolerance band
          markArea: {
            silent: true,
            data: [
              quadrant(tolX, tolY, limX, limY, "both better", "rgba(31,122,70,0.08)"),
              quadrant(-limX, tolY, -tolX, limY, "seesaw", "rgba(224,123,36,0.08)"),
              quadrant(tolX, -limY, limX, -tolY, "seesaw", "rgba(224,123,36,0.08)"),
              quadrant(-limX, -limY, -tolX, -tolY, "negative transfer", "rgba(192,54,44,0.08)"),
              ...(tolX > 0 ? [quadrant(-tolX, -limY, tolX, limY, "", "rgba(138,148,166,0.12)")] : []),
              ...(tolY > 0 ? [quadrant(-limX, -tolY, limX, tolY, "", "rgba(138,148,166,0.12)")] : []),
            ],
          },
        },
        {
          id: "error-bars", name: "95% interval over seeds", type: "custom", silent: true, z: 2,
          data: points.map((p) => [p.x, p.y, p.xLow ?? p.x, p.xHigh ?? p.x, p.yLow ?? p.y, p.yHigh ?? p.y]),
          renderItem: (params, api) => {
            const [x, y, x0, x1, y0, y1] = [0, 1, 2, 3, 4, 5].map((i) => api.value(i));
            const style = { stroke: "#1d2433", lineWidth: 1.2, opacity: 0.7 };
            const line = (a, b) => ({ type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style });
            const l = api.coord([x0, y]);
            const r = api.coord([x1, y]);
            const t = api.coord([x, y1]);
            const b = api.coord([x, y0]);
            return { type: "group", children: [line(l, r), line(b, t),
              line([l[0], l[1] - 4], [l[0], l[1] + 4]), line([r[0], r[1] - 4], [r[0], r[1] + 4]),
              line([t[0] - 4, t[1]], [t[0] + 4, t[1]]), line([b[0] - 4, b[1]], [b[0] + 4, b[1]])] };
          },
        },
        {
          id: "models", name: "models", type: "scatter", z: 4,
          data: points.map((p) => ({ name: p.model, value: [p.x, p.y, p.parameters], call: pairCall(p),
            symbolSize: diameter(p.parameters), itemStyle: { color: PAIR_COLORS[pairCall(p)], opacity: 0.75 } })),
          label: { show: true, position: "right", formatter: (item) => item.name, color: "#1d2433" },
        },
      ],
    }, { notMerge: true });

    const table = document.getElementById("bubble-table");
    const head = el("tr");
    ["Model", "Parameters", tx + " gain", tx + " CI low", tx + " CI high", tx + " call",
      ty + " gain", ty + " CI low", ty + " CI high", ty + " call", "Verdict"]
      .forEach((h) => head.append(el("th", {}, h)));
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    const num = (v) => el("td", { class: "num", "data-value": v == null ? "" : String(v) }, fixed(v));
    tbody.append(...points.map((p) => {
      const row = el("tr", { "data-model": p.model });
      row.append(el("td", {}, p.model), el("td", { "data-value": String(p.parameters) }, String(p.parameters)),
        num(p.x), num(p.xLow), num(p.xHigh), el("td", {}, p.xCall),
        num(p.y), num(p.yLow), num(p.yHigh), el("td", {}, p.yCall),
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
