// The A/B experiment page's results: fetches /api/ab-experiments/{id}/results and draws, per compared
// metric, each treatment's relative lift against the control as a horizontal bar with its 95 % interval
// as whiskers, a table of variants × metrics, the analysis in force with its CUPED, sequential and
// corrected figures, the sample-ratio-mismatch verdict and the guardrails.
// A 404 (nothing computed yet) or an empty answer leaves "No results yet" on the page.
(() => {
  const box = document.getElementById("ab-results");
  if (!box) {
    return;
  }
  const LOWER_IS_BETTER = new Set(["p99_latency_ms"]);
  const GOOD = "#1f7a46";
  const BAD = "#c0362c";
  const NEUTRAL = "#8a94a6";
  const empty = document.getElementById("results-empty");
  const results = document.getElementById("results");

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
  const finite = (x) => typeof x === "number" && Number.isFinite(x);
  const num = (x, digits = 4) => (finite(x) ? Number(x.toPrecision(digits)).toLocaleString("en") : "—");
  const pct = (x) => (finite(x) ? (x >= 0 ? "+" : "") + (100 * x).toFixed(2) + " %" : "—");
  const pValue = (p) => (finite(p) ? (p < 0.0001 ? "< 0.0001" : p.toFixed(4)) : "—");
  const list = (x) => (Array.isArray(x) ? x : []);
  const axisPercent = (v) => (Math.abs(v) >= 10 ? Math.round(v) : Number(v.toFixed(1))) + " %";

  const done = (state) => {
    box.dataset.state = state;
    box.dataset.ready = "true";
  };

  const showEmpty = (text) => {
    if (text) {
      empty.textContent = text;
    }
    empty.hidden = false;
    results.hidden = true;
  };

  /** Whether a lift is good news: higher is better for every metric but latency. */
  const colorOf = (c) => {
    if (!c.significant || !finite(c.lift)) {
      return NEUTRAL;
    }
    const better = LOWER_IS_BETTER.has(c.metric) ? c.lift < 0 : c.lift > 0;
    return better ? GOOD : BAD;
  };

  const renderMeta = (data) => {
    const parts = [];
    if (data.computedAt) {
      parts.push("Computed " + String(data.computedAt).replace("T", " ").replace(/\.\d+/, ""));
    }
    if (data.targetMetric) {
      parts.push("target metric " + data.targetMetric);
    }
    if (data.control) {
      parts.push("control " + data.control);
    }
    document.getElementById("results-meta").textContent = parts.join(" · ");
  };

  const renderSrm = (srm) => {
    const p = document.getElementById("srm-verdict");
    if (!srm) {
      p.hidden = true;
      return;
    }
    p.hidden = false;
    p.classList.toggle("mismatch", Boolean(srm.mismatch));
    p.textContent = (srm.mismatch
      ? "Sample ratio mismatch: the variants did not get the users their allocations promise, so the assignment"
        + " or the logging is broken — do not trust these results"
      : "No sample ratio mismatch")
      + " (χ² = " + num(srm.chiSquare) + ", p = " + pValue(srm.pValue) + ")";
    p.dataset.mismatch = String(Boolean(srm.mismatch));
  };

  const renderLiftCharts = (data) => {
    const holder = document.getElementById("lift-charts");
    holder.replaceChildren();
    const byMetric = new Map();
    list(data.comparisons).forEach((c) => {
      if (c && c.metric) {
        if (!byMetric.has(c.metric)) {
          byMetric.set(c.metric, []);
        }
        byMetric.get(c.metric).push(c);
      }
    });
    const metrics = Array.from(byMetric.keys())
      .sort((a, b) => (a === data.targetMetric ? -1 : b === data.targetMetric ? 1 : a.localeCompare(b)));
    metrics.forEach((metric, index) => {
      const comparisons = byMetric.get(metric);
      const figure = el("figure", { class: "lift-chart", "data-metric": metric });
      figure.append(el("figcaption", {}, metric + (metric === data.targetMetric ? " (target)" : "")
        + " — lift against control, 95 % interval"));
      const chartId = "lift-chart-" + index;
      const chartBox = el("div", { class: "chart", id: chartId, role: "img",
        "aria-label": "Lift of " + metric + " against control" });
      chartBox.style.height = Math.max(140, 60 + 48 * comparisons.length) + "px";
      figure.append(chartBox);
      holder.append(figure);
      if (typeof echarts === "undefined") {
        return;
      }
      const values = comparisons.flatMap((c) => [c.lift, c.ciLow, c.ciHigh]).filter(finite).map((x) => 100 * x);
      const reach = Math.max(0.5, ...values.map(Math.abs)) * 1.2;
      const chart = FulcrumCharts.chart(chartBox);
      chart.setOption({
        animation: false,
        grid: { left: 110, right: 40, top: 20, bottom: 40 },
        tooltip: {
          trigger: "item",
          renderMode: "richText",
          formatter: (item) => {
            const c = comparisons[item.dataIndex];
            return c ? `${c.variant} ${metric}\ncontrol ${num(c.control)} → ${num(c.treatment)}`
              + `\nlift ${pct(c.lift)} [${pct(c.ciLow)}, ${pct(c.ciHigh)}]\np = ${pValue(c.pValue)}`
              + (c.significant ? " (significant)" : "") : "";
          },
        },
        xAxis: { type: "value", min: -reach, max: reach, name: "lift %", nameLocation: "middle", nameGap: 26,
          axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: axisPercent } },
        yAxis: { type: "category", data: comparisons.map((c) => c.variant), inverse: true },
        series: [
          {
            id: "lift", type: "bar", barWidth: "45%",
            data: comparisons.map((c) => ({ value: finite(c.lift) ? 100 * c.lift : 0,
              itemStyle: { color: colorOf(c), opacity: 0.85 } })),
            markLine: { silent: true, symbol: "none", data: [{ xAxis: 0 }], lineStyle: { color: "#1d2433" },
              label: { show: false } },
          },
          {
            id: "interval", type: "custom", silent: true, z: 5,
            data: comparisons.map((c, i) => [i, finite(c.ciLow) ? 100 * c.ciLow : NaN,
              finite(c.ciHigh) ? 100 * c.ciHigh : NaN]),
            renderItem: (params, api) => {
              const [i, low, high] = [api.value(0), api.value(1), api.value(2)];
              if (!Number.isFinite(low) || !Number.isFinite(high)) {
                return null;
              }
              const a = api.coord([low, i]);
              const b = api.coord([high, i]);
              const h = 6;
              const style = { stroke: "#1d2433", lineWidth: 1.5 };
              const line = (p, q) => ({ type: "line", shape: { x1: p[0], y1: p[1], x2: q[0], y2: q[1] }, style });
              return { type: "group", children: [line(a, b), line([a[0], a[1] - h], [a[0], a[1] + h]),
                line([b[0], b[1] - h], [b[0], b[1] + h])] };
            },
          },
        ],
      }, { notMerge: true });
    });
  };

  const renderTable = (data) => {
    const table = document.getElementById("results-table");
    const variants = list(data.variants);
    const metricNames = [];
    variants.forEach((v) => Object.keys((v && v.metrics) || {}).forEach((m) => {
      if (!metricNames.includes(m)) {
        metricNames.push(m);
      }
    }));
    const lift = new Map(list(data.comparisons).map((c) => [c.variant + "|" + c.metric, c]));
    const head = el("tr");
    ["Variant", "Model version", "Users", "Exposures", "Expected share", ...metricNames]
      .forEach((h) => head.append(el("th", {}, h)));
    const rows = variants.map((v) => {
      const row = el("tr", { "data-variant": v.name });
      row.append(el("td", {}, v.name + (v.control ? " (control)" : "")),
        el("td", {}, v.modelVersion != null ? "v" + v.modelVersion : "—"),
        el("td", { class: "num", "data-value": String(v.users ?? "") }, num(v.users, 12)),
        el("td", { class: "num", "data-value": String(v.exposures ?? "") }, num(v.exposures, 12)),
        el("td", { class: "num", "data-value": String(v.expectedShare ?? "") },
          finite(v.expectedShare) ? (100 * v.expectedShare).toFixed(2) + " %" : "—"));
      metricNames.forEach((m) => {
        const value = v.metrics ? v.metrics[m] : null;
        const c = lift.get(v.name + "|" + m);
        const cell = el("td", { class: "num", "data-value": String(value ?? "") },
          num(value) + (c && !v.control ? " (" + pct(c.lift) + ")" : ""));
        if (c && c.significant) {
          cell.classList.add(colorOf(c) === GOOD ? "gain-positive" : "gain-negative");
        }
        row.append(cell);
      });
      return row;
    });
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    tbody.append(...rows);
    table.replaceChildren(thead, tbody);
  };

  const interval = (low, high) => (finite(low) && finite(high) ? "[" + pct(low) + ", " + pct(high) + "]" : "");

  // The analysis in force in one line, how far the sample is from the plan, and per comparison the
  // fixed, CUPED and sequential figures side by side with the corrected p-value.
  const renderAnalysis = (data) => {
    const meaning = document.getElementById("analysis-meaning");
    meaning.textContent = (data.analysisMeaning || "")
      + (data.correction ? " P-values corrected across metrics: " + data.correction + "." : "")
      + (data.preExposure ? " CUPED window: " + data.preExposure + " before the start." : "");
    meaning.dataset.analysis = data.analysis || "";
    const note = document.getElementById("sample-note");
    note.hidden = !data.sampleNote;
    note.textContent = data.sampleNote || "";
    const table = document.getElementById("analysis-table");
    const head = el("tr");
    ["Variant", "Metric", "Lift (fixed)", "p", "CUPED lift", "Variance reduction", "Sequential interval",
      "Sequential p", "Corrected p", "Significant"]
      .forEach((h) => head.append(el("th", {}, h)));
    const rows = list(data.comparisons).map((c) => {
      const row = el("tr", { "data-variant": c.variant, "data-metric": c.metric });
      const cuped = c.cuped || {};
      const seq = c.sequential || {};
      row.append(el("td", {}, c.variant), el("td", {}, c.metric),
        el("td", { class: "num" }, pct(c.lift) + " " + interval(c.ciLow, c.ciHigh)),
        el("td", { class: "num" }, pValue(c.pValue)),
        el("td", { class: "num", "data-cuped": String(finite(cuped.lift)) },
          c.cuped ? pct(cuped.lift) + " " + interval(cuped.ciLow, cuped.ciHigh) : "—"),
        el("td", { class: "num" }, c.cuped && finite(cuped.varianceReduction)
          ? (100 * cuped.varianceReduction).toFixed(1) + " %" : "—"),
        el("td", { class: "num" }, interval(seq.ciLow, seq.ciHigh) || "—"),
        el("td", { class: "num" }, pValue(seq.pValue)),
        el("td", { class: "num" }, pValue(c.adjustedPValue)),
        el("td", { class: c.significantAfterCorrection ? "gain-positive" : "" },
          c.significantAfterCorrection ? "yes" : "no"));
      return row;
    });
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    tbody.append(...rows);
    table.replaceChildren(thead, tbody);
  };

  const renderGuardrails = (data) => {
    const table = document.getElementById("guardrail-table");
    const guardrails = list(data.guardrails);
    document.getElementById("guardrail-none").hidden = guardrails.length > 0;
    table.hidden = guardrails.length === 0;
    const head = el("tr");
    ["Variant", "Metric", "Rule", "Threshold", "Observed", "p-value", "Status", "Explanation"]
      .forEach((h) => head.append(el("th", {}, h)));
    const rows = guardrails.map((g) => {
      const row = el("tr", { "data-variant": g.variant, "data-metric": g.metric });
      row.append(el("td", {}, g.variant), el("td", {}, g.metric), el("td", {}, g.rule || ""),
        el("td", { class: "num" }, num(g.threshold)), el("td", { class: "num" }, num(g.observed)),
        el("td", { class: "num" }, pValue(g.pValue)),
        el("td", { class: g.breached ? "breached" : "holds" }, g.breached ? "breached" : "holds"),
        el("td", { class: "muted" }, g.explanation || ""));
      return row;
    });
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    tbody.append(...rows);
    table.replaceChildren(thead, tbody);
  };

  const render = (data) => {
    // a running experiment that has served nobody yet answers variants with zero users
    const users = list(data && data.variants).reduce((sum, v) => sum + (Number(v.users) || 0), 0);
    if (!data || typeof data !== "object" || users === 0) {
      showEmpty();
      done("empty");
      return;
    }
    empty.hidden = true;
    results.hidden = false;
    renderMeta(data);
    renderSrm(data.srm);
    renderLiftCharts(data);
    renderTable(data);
    renderAnalysis(data);
    renderGuardrails(data);
    done("shown");
  };

  const load = async () => {
    let response;
    try {
      response = await fetch(box.dataset.resultsUrl, { headers: { Accept: "application/json" } });
    } catch (e) {
      showEmpty("Results could not be loaded: " + e.message);
      done("error");
      return;
    }
    if (response.status === 404) {
      showEmpty();
      done("none");
      return;
    }
    if (!response.ok) {
      showEmpty("Results could not be loaded: the server answered " + response.status);
      done("error");
      return;
    }
    const text = await response.text();
    let data = null;
    try {
      data = text.trim() === "" ? null : JSON.parse(text);
    } catch (e) {
      data = null;
    }
    render(data);
  };

  load();
})();
