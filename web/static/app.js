// workwell web page: a little help where it helps. Every page works without it.
"use strict";

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Check a chosen workbook at once and list its mistakes beside the form.
function checkOnChoose(input) {
  const report = document.getElementById(input.dataset.report);
  input.addEventListener("change", async () => {
    report.replaceChildren();
    if (!input.files.length) return;
    report.append(el("p", "Checking " + input.files[0].name + "…", "hint"));
    const body = new FormData();
    body.append("workbook", input.files[0]);
    let found;
    try {
      const response = await fetch(input.dataset.check, { method: "POST", body });
      found = await response.json();
    } catch (error) {
      report.replaceChildren(el("p", "Could not check the file just now; press Plan to try anyway.", "hint"));
      return;
    }
    const box = el("section", undefined, found.status === "done" ? "ok" : "problems");
    box.setAttribute("role", found.status === "done" ? "status" : "alert");
    const warnings = el("ul", undefined, "warnings");
    for (const warning of found.warnings || []) {
      const item = el("li", "", "warning");
      item.append(el("strong", "Warning: "), document.createTextNode(warning));
      warnings.append(item);
    }
    if (warnings.children.length) box.append(warnings);
    box.append(el("h2", found.heading));
    const list = el("ul");
    found.problems.forEach((problem, index) => {
      const item = el("li", problem);
      const row = (found.rows || [])[index];
      if (row) {
        const shown = el("span", "", "row-shown");
        shown.append(el("span", "the row reads: ", "vh"), el("code", row));
        item.append(shown);
      }
      list.append(item);
    });
    for (const line of found.lines) list.append(el("li", line));
    box.append(list);
    report.replaceChildren(box);
  });
}

// Let a file be dropped on its box.
function dropZone(zone) {
  const input = zone.querySelector("input[type=file]");
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change"));
    }
  });
}

// While a job runs: ask the server how it is going, and show the result when ready.
function followProgress(box) {
  const words = document.getElementById("progress-words");
  const limit = box.dataset.limit;
  async function poll() {
    let state;
    try {
      state = await (await fetch(box.dataset.status, { cache: "no-store" })).json();
    } catch (error) {
      setTimeout(poll, 3000);
      return;
    }
    if (state.state === "done" || state.state === "failed") {
      window.location.reload();
      return;
    }
    words.textContent = state.state === "waiting"
      ? "Waiting for a free solver (" + state.ahead + " ahead of you). " + state.elapsed + " s so far."
      : "Solving: the solver takes at most " + limit + " seconds for each team. " + state.elapsed + " s so far.";
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 700);
}

// The gaps heat map: hover, tap or tab to a day for who is short and why.
function heatMap(table) {
  const panel = document.getElementById("heat-details");
  let pressed = null;
  function show(button) {
    if (pressed) pressed.setAttribute("aria-pressed", "false");
    pressed = button;
    button.setAttribute("aria-pressed", "true");
    const list = el("ul");
    for (const line of button.dataset.details.split("\n")) list.append(el("li", line));
    panel.replaceChildren(el("h3", button.dataset.where), list);
  }
  for (const button of table.querySelectorAll(".heat-cell")) {
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", "heat-details");
    for (const name of ["click", "focus", "mouseenter"]) button.addEventListener(name, () => show(button));
  }
}

// Say that a form is on its way, and stop a second press sending it twice.
function busyOnSubmit(form) {
  form.addEventListener("submit", () => {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = form.dataset.busy || "Working…";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-check]").forEach(checkOnChoose);
  document.querySelectorAll("[data-drop]").forEach(dropZone);
  document.querySelectorAll("form.upload").forEach(busyOnSubmit);
  document.querySelectorAll("table[data-heat]").forEach(heatMap);
  const progress = document.getElementById("progress");
  if (progress) followProgress(progress);
});
