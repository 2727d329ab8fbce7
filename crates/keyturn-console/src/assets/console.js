// The live audit log: polls /audit/events and appends each new event as a row. Text only
// (textContent): nothing from an event is ever parsed as markup.
"use strict";
(function () {
  const table = document.getElementById("audit");
  if (!table) { return; }
  const body = table.tBodies[0];
  const status = document.getElementById("audit-status");
  const url = table.dataset.poll;
  let last = 0;

  function cell(row, text, cls) {
    const td = row.insertCell();
    td.textContent = text == null ? "" : String(text);
    if (cls) { td.className = cls; }
    return td;
  }

  function add(e) {
    const row = body.insertRow(0);
    row.id = "event-" + e.seq;
    row.className = e.decision === "allowed" ? "allowed" : (e.denied ? "denied" : "failed");
    row.dataset.action = e.action || "";
    row.dataset.decision = e.decision;
    cell(row, e.seq);
    cell(row, e.time);
    cell(row, e.caller || "(not authenticated)", "arn");
    cell(row, e.action || "");
    cell(row, e.decision, "decision");
    const why = cell(row, "", "why");
    if (e.message) {
      const p = document.createElement("div");
      p.className = "message";
      p.textContent = e.message;
      why.appendChild(p);
    }
    if (e.reasons && e.reasons.length) {
      const ul = document.createElement("ul");
      ul.className = "reasons";
      for (const r of e.reasons) {
        const li = document.createElement("li");
        li.textContent = r;
        ul.appendChild(li);
      }
      why.appendChild(ul);
    }
  }

  async function poll() {
    try {
      const resp = await fetch(url + "?after=" + last, { credentials: "same-origin" });
      if (resp.status === 401) { status.textContent = "Signed out: reload to sign in again."; return; }
      const data = await resp.json();
      for (const e of data.events) { add(e); last = Math.max(last, e.seq); }
      status.textContent = "Live: " + last + " requests seen.";
    } catch (err) {
      status.textContent = "Cannot reach the console: retrying.";
    }
    setTimeout(poll, 1000);
  }
  poll();
})();
