// The schedule editor: shows the chosen type's fields and a live preview of the weights ω_k(t) per
// task, computed by the server (POST /api/loss-weight-schedules/preview) a moment after each edit.
(() => {
  const form = document.getElementById("schedule-form");
  const panel = document.getElementById("schedule-preview");
  if (!form || !panel) {
    return;
  }
  const LISTS = ["weights", "initial", "gamma", "start", "target", "boundaries"];
  const SCALARS = ["length", "temperature", "initialLogVariance"];
  const FIELDS = {
    constant: ["weights"],
    exponential: ["initial", "gamma", "unit"],
    warmup: ["start", "target", "length", "unit"],
    piecewise: ["boundaries", "values", "unit"],
    dwa: ["temperature"],
    uncertainty: ["initialLogVariance"],
  };
  const QUERY = { tasks: "preview-tasks", epochs: "preview-epochs", stepsPerEpoch: "preview-steps" };
  const status = document.getElementById("preview-status");
  const chartElement = document.getElementById("preview-chart");
  const table = document.getElementById("preview-table");
  const typeSelect = document.getElementById("type");

  const value = (id) => (document.getElementById(id)?.value ?? "").trim();

  // the same reading of the fields as the server's ScheduleForm: numbers where they parse, text otherwise
  const token = (text) => (text !== "" && Number.isFinite(Number(text)) ? Number(text) : text);
  const list = (text) => (text === "" ? [] : text.split(",").map((t) => token(t.trim())));

  const spec = () => {
    const type = typeSelect.value;
    const result = { type };
    for (const name of FIELDS[type] || []) {
      const given = value(name);
      if (given === "") {
        continue;
      }
      if (name === "unit") {
        result.unit = given;
      } else if (SCALARS.includes(name)) {
        result[name] = token(given);
      } else if (name === "values") {
        result.values = given.split(";").map((row) => list(row.trim()));
      } else if (LISTS.includes(name)) {
        result[name] = list(given);
      }
    }
    return result;
  };

  const showTypeFields = () => {
    document.querySelectorAll(".spec-field").forEach((field) => {
      field.hidden = !field.dataset.types.split(" ").includes(typeSelect.value);
    });
  };

  // the editor's field an API error names: spec.gamma[1] → gamma, tasks → preview-tasks
  const fieldId = (apiField) => {
    if (QUERY[apiField]) {
      return QUERY[apiField];
    }
    if (apiField === "spec" || apiField === "spec.type") {
      return "type";
    }
    return apiField.replace(/^spec\./, "").replace(/\[.*$/, "");
  };

  const clearLiveErrors = () => {
    document.querySelectorAll(".field-error.live").forEach((p) => p.remove());
    document.querySelectorAll(".field.live-error").forEach((f) => f.classList.remove("has-error", "live-error"));
  };

  const showErrors = (errors) => {
    clearLiveErrors();
    const unplaced = [];
    for (const error of errors) {
      const input = document.getElementById(fieldId(error.field));
      const field = input && input.closest(".field");
      if (!field || field.querySelector(".field-error.live")) {
        if (!field) {
          unplaced.push(error.field + ": " + error.message);
        }
        continue;
      }
      field.querySelectorAll(".field-error").forEach((p) => p.remove());
      const message = document.createElement("p");
      message.className = "field-error live";
      message.textContent = error.message;
      field.appendChild(message);
      field.classList.add("has-error", "live-error");
    }
    status.textContent = "The preview waits for these fields to be fixed." + (unplaced.length ? " " + unplaced.join("; ") : "");
  };

  const render = (preview) => {
    const points = preview.points;
    const chart = FulcrumCharts.chart(chartElement);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 30, bottom: 40 },
      xAxis: { type: "value", name: preview.unit, nameLocation: "middle", nameGap: 25 },
      yAxis: { type: "value", name: "ω" },
      series: preview.tasks.map((task, k) => ({
        name: task,
        type: "line",
        showSymbol: points.length < 60,
        step: preview.type === "piecewise" ? "end" : false,
        data: points.map((p) => [p.t, p.weights[k]]),
      })),
    }, true);
    // the table alternative: every point of an epoch curve, about 50 rows of a step curve
    const every = Math.max(1, Math.ceil(points.length / 50));
    table.tHead.innerHTML = "";
    const head = table.tHead.insertRow();
    [preview.unit, ...preview.tasks].forEach((text) => {
      const th = document.createElement("th");
      th.textContent = text;
      head.appendChild(th);
    });
    table.tBodies[0].innerHTML = "";
    points.forEach((p, i) => {
      if (i % every !== 0 && i !== points.length - 1) {
        return;
      }
      const row = table.tBodies[0].insertRow();
      row.insertCell().textContent = p.t;
      p.weights.forEach((w) => {
        const cell = row.insertCell();
        cell.textContent = Number(w).toPrecision(4);
        cell.dataset.value = w;
      });
    });
    status.textContent = preview.note || (points.length + " points, one per " + preview.unit + ".");
  };

  let sequence = 0;
  // a signed-in page's POST must carry the CSRF token the layout puts in its meta tags
  const csrfHeaders = () => {
    const token = document.querySelector('meta[name="csrf-token"]');
    const header = document.querySelector('meta[name="csrf-header"]');
    return token && header ? { [header.content]: token.content } : {};
  };

  const refresh = async () => {
    const mine = ++sequence;
    const body = {
      spec: spec(),
      tasks: value("preview-tasks"),
      epochs: token(value("preview-epochs")),
      stepsPerEpoch: token(value("preview-steps")),
    };
    status.textContent = "Updating the preview…";
    try {
      const response = await fetch(panel.dataset.previewUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...csrfHeaders() },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (mine !== sequence) {
        return; // a newer edit is on its way
      }
      if (response.ok) {
        clearLiveErrors();
        render(answer);
      } else {
        showErrors(answer.errors || [{ field: "spec", message: answer.detail || "cannot be previewed" }]);
      }
    } catch (e) {
      status.textContent = "The preview could not be loaded: " + e.message;
    }
  };

  let timer;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  };

  // a sensible task count: as many as the first per-task list of the saved or default spec has
  const firstList = LISTS.map(value).find((v) => v !== "");
  if (firstList) {
    document.getElementById("preview-tasks").value = String(firstList.split(",").length);
  }
  typeSelect.addEventListener("change", showTypeFields);
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  panel.addEventListener("input", later);
  showTypeFields();
  refresh();
})();
