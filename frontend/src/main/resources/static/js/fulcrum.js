// Asks before submitting any form that carries a data-confirm question (e.g. deleting a task group).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Follows a background dataset import: updates its progress bar and opens the dataset when done.
(() => {
  const job = document.getElementById("import-job");
  if (!job || job.dataset.state !== "RUNNING") {
    return;
  }
  const bar = document.getElementById("import-progress");
  const state = document.getElementById("import-state");
  const poll = async () => {
    const response = await fetch(job.dataset.jobUrl, { headers: { Accept: "application/json" } });
    const status = await response.json();
    bar.value = status.progress;
    if (status.state === "SUCCEEDED") {
      window.location.assign(job.dataset.datasetUrl + status.datasetId);
    } else if (status.state === "FAILED") {
      window.location.reload();
    } else {
      state.textContent = Math.round(status.progress * 100) + "% read";
      setTimeout(poll, 500);
    }
  };
  setTimeout(poll, 300);
})();

// Copies a shown-once secret (a new API token) to the clipboard: a button with data-copy names the input.
document.addEventListener("click", async (event) => {
  const button = event.target.closest && event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const input = document.getElementById(button.dataset.copy);
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    button.textContent = button.dataset.copied || "Copied";
  } catch (e) {
    // without clipboard access the secret stays selected for Ctrl+C
  }
});
