/* Tradewind UI behaviour: theme and time zone switches, menus, the pause toggle, live Grid/Graph/log. */
(function () {
  "use strict";
  const csrf = document.body.dataset.csrf || "";
  const POLL_MS = 1500;

  function post(url, data) {
    const body = new URLSearchParams(data || {});
    body.set("csrf_token", csrf);
    return fetch(url, { method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin" });
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(r => r.ok ? r.json() : Promise.reject(r));
  }

  /* Theme */
  document.getElementById("theme-toggle")?.addEventListener("click", () => {
    const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    localStorage.setItem("tw-theme", next);
  });

  /* Times: UTC by default, local on request; the choice is remembered. */
  const pad = n => String(n).padStart(2, "0");
  function fmt(d, local) {
    if (local) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}, ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  function zoneName() {
    const parts = new Intl.DateTimeFormat(undefined, { timeZoneName: "short" }).formatToParts(new Date());
    return (parts.find(p => p.type === "timeZoneName") || {}).value || "local";
  }
  function applyTimes() {
    const local = localStorage.getItem("tw-tz") === "local";
    const zone = local ? zoneName() : "UTC";
    document.querySelectorAll("time[datetime]").forEach(t => {
      const d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) t.textContent = `${fmt(d, local)} ${zone}`;
    });
    const z = document.getElementById("clock-zone");
    if (z) z.textContent = zone;
  }
  function tick() {
    const el = document.getElementById("clock-time");
    if (!el) return;
    const local = localStorage.getItem("tw-tz") === "local";
    const d = new Date();
    el.textContent = local ? `${pad(d.getHours())}:${pad(d.getMinutes())}` : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }
  document.getElementById("tz-toggle")?.addEventListener("click", () => {
    localStorage.setItem("tw-tz", localStorage.getItem("tw-tz") === "local" ? "utc" : "local");
    applyTimes(); tick();
  });
  applyTimes(); tick(); setInterval(tick, 10000);

  /* Menus */
  document.addEventListener("click", e => {
    const toggle = e.target.closest(".dropdown-toggle");
    document.querySelectorAll(".dropdown.open").forEach(d => { if (!toggle || d !== toggle.parentElement) d.classList.remove("open"); });
    if (toggle) toggle.parentElement.classList.toggle("open");
    const opener = e.target.closest("[data-toggle-target]");
    if (opener) { const t = document.querySelector(opener.dataset.toggleTarget); if (t) t.hidden = !t.hidden; }
  });

  /* Pause toggle */
  document.querySelectorAll(".pause-toggle").forEach(box => box.addEventListener("change", () => {
    post(`/dags/${encodeURIComponent(box.dataset.dagId)}/paused`, { is_paused: String(!box.checked) })
      .then(r => { if (!r.ok) { box.checked = !box.checked; alert("Could not change the DAG's state."); } });
  }));

  /* DAG list auto-refresh */
  const auto = document.getElementById("auto-refresh");
  if (auto) {
    auto.checked = localStorage.getItem("tw-autorefresh") === "1";
    auto.addEventListener("change", () => localStorage.setItem("tw-autorefresh", auto.checked ? "1" : "0"));
    setInterval(() => { if (auto.checked && !document.hidden) location.reload(); }, 5000);
  }

  /* Grid: fold groups, follow states live */
  const grid = document.getElementById("grid");
  if (grid) {
    grid.addEventListener("click", e => {
      const btn = e.target.closest(".fold");
      if (!btn) return;
      const row = btn.closest("tr");
      const collapse = !row.classList.contains("collapsed");
      row.classList.toggle("collapsed", collapse);
      const prefix = btn.dataset.group;
      grid.querySelectorAll("tr.tree-row").forEach(r => {
        const parent = r.dataset.parent || "";
        if (parent === prefix || parent.startsWith(prefix + ".") || isUnder(r, prefix)) {
          r.hidden = collapse ? true : hiddenByAncestor(r);
        }
      });
    });
    const isUnder = (r, g) => { let p = r.dataset.parent; while (p) { if (p === g) return true; const row = grid.querySelector(`tr[data-row-id="${CSS.escape(p)}"]`); p = row ? row.dataset.parent : ""; } return false; };
    const hiddenByAncestor = r => { let p = r.dataset.parent; while (p) { const row = grid.querySelector(`tr[data-row-id="${CSS.escape(p)}"]`); if (!row) break; if (row.classList.contains("collapsed")) return true; p = row.dataset.parent; } return false; };
    if (grid.dataset.live === "true") pollGrid();
  }
  function pollGrid() {
    const url = `/dags/${encodeURIComponent(grid.dataset.dagId)}/grid.json${location.search}`;
    getJSON(url).then(data => {
      const shown = new Set([...grid.querySelectorAll(".run-bar")].map(b => b.dataset.runId));
      if (data.runs.some(r => !shown.has(r.run_id))) { location.reload(); return; }
      let live = false;
      data.runs.forEach(r => {
        if (r.state !== "success" && r.state !== "failed") live = true;
        const bar = grid.querySelector(`.run-bar[data-run-id="${CSS.escape(r.run_id)}"]`);
        if (bar && bar.dataset.state !== r.state) { location.reload(); return; }
        Object.entries(data.cells[r.run_id] || {}).forEach(([task, st]) => {
          const sq = grid.querySelector(`.sq[data-run-id="${CSS.escape(r.run_id)}"][data-task-id="${CSS.escape(task)}"]`);
          if (sq) setState(sq, st);
        });
      });
      if (live) setTimeout(pollGrid, POLL_MS);
    }).catch(() => setTimeout(pollGrid, POLL_MS * 4));
  }
  const STATE_COLORS = { deferred: "mediumpurple", failed: "red", queued: "gray", removed: "lightgrey", restarting: "violet", running: "lime", scheduled: "tan", skipped: "hotpink", success: "green", up_for_reschedule: "turquoise", up_for_retry: "gold", upstream_failed: "orange", none: "#e6e9ef" };
  function setState(el, st) {
    st = st || "none";
    el.dataset.state = st;
    el.style.setProperty("--st", STATE_COLORS[st] || STATE_COLORS.none);
  }

  /* Graph: fold/unfold groups, follow the run live */
  const graph = document.getElementById("graph");
  if (graph) {
    const dagId = graph.dataset.dagId;
    let expanded = new Set((graph.dataset.expanded || "").split(",").filter(Boolean));
    graph.addEventListener("click", e => {
      const group = e.target.closest("[data-group-id]");
      const task = e.target.closest(".task-node");
      if (group) {
        const id = group.dataset.groupId;
        if (group.classList.contains("group-frame")) { expanded.forEach(g => { if (g === id || g.startsWith(id + ".")) expanded.delete(g); }); }
        else expanded.add(id);
        redrawGraph();
      } else if (task && graph.dataset.runId) {
        location.href = `/dags/${encodeURIComponent(dagId)}/runs/${encodeURIComponent(graph.dataset.runId)}/tasks/${encodeURIComponent(task.dataset.taskId)}`;
      }
    });
    function redrawGraph() {
      const list = [...expanded].join(",");
      graph.dataset.expanded = list;
      const url = new URL(location.href); url.searchParams.set("expanded", list); history.replaceState(null, "", url);
      fetch(`/dags/${encodeURIComponent(dagId)}/graph.svg?expanded=${encodeURIComponent(list)}&run_id=${encodeURIComponent(graph.dataset.runId || "")}`, { credentials: "same-origin" })
        .then(r => r.text()).then(svg => { graph.innerHTML = svg; });
    }
    const FINISHED = new Set(["success", "failed"]);
    function pollGraph() {
      const runId = graph.dataset.runId;
      if (!runId) return;
      getJSON(`/dags/${encodeURIComponent(dagId)}/graph/states.json?run_id=${encodeURIComponent(runId)}`).then(data => {
        graph.querySelectorAll(".task-node").forEach(node => {
          const st = data.tasks[node.dataset.taskId] || "none";
          paintNode(node, st);
        });
        graph.querySelectorAll(".group-node").forEach(node => {
          const states = node.dataset.members.split(",").map(t => data.tasks[t] || "none");
          paintNode(node, groupState(states));
        });
        graph.dataset.runState = data.run_state;
        document.querySelectorAll("#run-state .state-badge, #run-panel .panel-head .state-badge").forEach(badge => {
          badge.textContent = data.run_state; badge.dataset.state = data.run_state; badge.style.setProperty("--st", STATE_COLORS[data.run_state]);
        });
        if (!FINISHED.has(data.run_state)) setTimeout(pollGraph, POLL_MS);
      }).catch(() => setTimeout(pollGraph, POLL_MS * 4));
    }
    function paintNode(node, st) {
      if (node.dataset.state === st) return;
      node.dataset.state = st;
      node.querySelectorAll(".node-box, .node-dot").forEach(el => el.style.setProperty("--st", STATE_COLORS[st] || STATE_COLORS.none));
      const label = node.querySelector(".node-state"); if (label) label.textContent = st === "none" ? "no status" : st;
      const title = node.querySelector("title"); if (title) title.textContent = `${node.dataset.taskId || node.dataset.groupId}: ${st}`;
    }
    const PRIORITY = ["failed", "upstream_failed", "up_for_retry", "up_for_reschedule", "running", "restarting", "deferred", "queued", "scheduled", "none", "removed", "skipped", "success"];
    function groupState(states) {
      const set = new Set(states);
      if ([...set].every(s => s === "success" || s === "skipped")) return set.has("success") ? "success" : "skipped";
      return PRIORITY.find(s => set.has(s)) || "none";
    }
    if (graph.dataset.runId && !FINISHED.has(graph.dataset.runState)) pollGraph();
  }

  /* Task log: read the file as it grows while the try runs */
  const log = document.getElementById("log");
  if (log) {
    let offset = 0, started = false;
    function pollLog() {
      getJSON(`${log.dataset.src}&offset=${offset}`).then(data => {
        if (!started && (data.exists || data.text)) { log.textContent = ""; started = true; }
        if (data.text) {
          const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
          log.textContent += data.text;
          if (atBottom) log.scrollTop = log.scrollHeight;
        }
        offset = data.offset;
        if (!data.exists && !data.live && !started) log.textContent = "No log for this try.";
        if (data.live || data.text) setTimeout(pollLog, data.text ? 200 : POLL_MS);
      }).catch(() => setTimeout(pollLog, POLL_MS * 4));
    }
    pollLog();
  }
})();
