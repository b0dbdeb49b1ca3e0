// The page of `hopfield serve`. It holds the user's patterns and draws what the server
// computes; it runs no dynamics of its own: every recall, corruption, preset, capacity curve
// and landscape comes from the JSON API, which calls the hopfield library.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const COLORS = ["#2457c5", "#d1495b", "#2a9d55", "#e08a00", "#7b3fb5", "#0f8b8d",
                  "#a0522d", "#c2185b", "#556b2f", "#4a5568"];
  const INK = "#1c2230", PAPER = "#f9fafb", UNKNOWN = "#f2c14e", GRIDLINE = "#d5d9e0";

  const state = {
    side: 10,
    board: new Array(100).fill(-1),  // +1 ink, -1 paper, 0 unknown; the modern net: reals
    cursor: 0,
    stored: [],                      // [{values, name}]
    drawn: 0,
    traj: null,                      // the last /api/recall answer
    cue: null,                       // the board when the recall started
    frame: 0,
    playing: false,
    timer: null,
    lastTick: 0,
    corruptions: 0,
  };

  // ---------- the API --------------------------------------------------------------------
  async function api(path, body) {
    const res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      throw new Error(data.detail || `${res.status} ${res.statusText}`);
    }
    return data;
  }

  function say(text, error = false, where = "status") {
    const el = $(where);
    el.textContent = text;
    el.classList.toggle("error", error);
  }

  // ---------- drawing grids ----------------------------------------------------------------
  function shade(v) {
    if (v === 0) return UNKNOWN;
    if (v === 1) return INK;
    if (v === -1) return PAPER;
    // A continuous state (modern network): grey from paper (-1) to ink (+1).
    const t = Math.max(0, Math.min(1, (v + 1) / 2));
    const mix = (a, b) => Math.round(a + (b - a) * t);
    return `rgb(${mix(249, 28)},${mix(250, 34)},${mix(251, 48)})`;
  }

  function paintGrid(canvas, values, side, opts = {}) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width, cell = w / side;
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, w, w);
    for (let i = 0; i < values.length; i++) {
      const x = (i % side) * cell, y = Math.floor(i / side) * cell;
      ctx.fillStyle = shade(values[i]);
      ctx.fillRect(x, y, cell, cell);
      if (values[i] === 0 && cell > 6) {
        ctx.strokeStyle = "rgba(120,80,0,0.35)";
        ctx.beginPath();
        ctx.moveTo(x + 2, y + cell - 2);
        ctx.lineTo(x + cell - 2, y + 2);
        ctx.stroke();
      }
    }
    if (opts.lines && cell >= 6) {
      ctx.strokeStyle = GRIDLINE;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let k = 1; k < side; k++) {
        const p = Math.round(k * cell) + 0.5;
        ctx.moveTo(p, 0); ctx.lineTo(p, w);
        ctx.moveTo(0, p); ctx.lineTo(w, p);
      }
      ctx.stroke();
    }
    if (opts.highlight !== undefined && opts.highlight >= 0) {
      const i = opts.highlight;
      ctx.strokeStyle = "#e63946";
      ctx.lineWidth = Math.max(2, cell / 8);
      ctx.strokeRect((i % side) * cell + 1, Math.floor(i / side) * cell + 1, cell - 2, cell - 2);
    }
    if (opts.cursor !== undefined) {
      const i = opts.cursor;
      ctx.strokeStyle = "#f5a524";
      ctx.lineWidth = 3;
      ctx.strokeRect((i % side) * cell + 1.5, Math.floor(i / side) * cell + 1.5, cell - 3, cell - 3);
    }
  }

  const board = $("board");
  let boardFocused = false;

  function drawBoard(highlight) {
    paintGrid(board, state.board, state.side, {
      lines: true,
      highlight,
      cursor: boardFocused ? state.cursor : undefined,
    });
    board.dataset.values = state.board.join(",");
  }

  function setBoard(values) {
    state.board = values.slice();
    drawBoard();
  }

  // Painting with the mouse, a pen or a finger: the first cell decides the colour of the stroke.
  let paintValue = null;
  function cellAt(ev) {
    const r = board.getBoundingClientRect();
    const col = Math.floor(((ev.clientX - r.left) / r.width) * state.side);
    const row = Math.floor(((ev.clientY - r.top) / r.height) * state.side);
    if (col < 0 || row < 0 || col >= state.side || row >= state.side) return -1;
    return row * state.side + col;
  }
  function paintAt(ev) {
    const i = cellAt(ev);
    if (i < 0 || paintValue === null) return;
    if (state.board[i] !== paintValue) {
      state.board[i] = paintValue;
      drawBoard();
    }
  }
  board.addEventListener("pointerdown", (ev) => {
    if (state.playing) stop();
    const i = cellAt(ev);
    if (i < 0) return;
    board.setPointerCapture(ev.pointerId);
    const current = Math.sign(state.board[i]);
    paintValue = ev.button === 2 || ev.shiftKey ? 0 : current === 1 ? -1 : 1;
    paintAt(ev);
    ev.preventDefault();
  });
  board.addEventListener("pointermove", (ev) => { if (paintValue !== null) paintAt(ev); });
  const endStroke = () => { paintValue = null; };
  board.addEventListener("pointerup", endStroke);
  board.addEventListener("pointercancel", endStroke);
  board.addEventListener("contextmenu", (ev) => ev.preventDefault());
  board.addEventListener("focus", () => { boardFocused = true; drawBoard(); });
  board.addEventListener("blur", () => { boardFocused = false; drawBoard(); });
  board.addEventListener("keydown", (ev) => {
    const s = state.side, i = state.cursor;
    const moves = { ArrowLeft: i % s ? -1 : 0, ArrowRight: i % s < s - 1 ? 1 : 0,
                    ArrowUp: i >= s ? -s : 0, ArrowDown: i < s * (s - 1) ? s : 0 };
    if (ev.key in moves) {
      state.cursor = i + moves[ev.key];
    } else if (ev.key === " " || ev.key === "Enter") {
      state.board[i] = Math.sign(state.board[i]) === 1 ? -1 : 1;
    } else if (ev.key === "u" || ev.key === "U" || ev.key === "0") {
      state.board[i] = 0;
    } else {
      return;
    }
    ev.preventDefault();
    drawBoard();
    say(`Row ${Math.floor(state.cursor / s) + 1}, column ${(state.cursor % s) + 1}: ` +
        ["unknown", "ink", "paper"][[0, 1, -1].indexOf(Math.sign(state.board[state.cursor]))]);
  });

  // ---------- sizes, presets and the gallery -----------------------------------------------
  function n() { return state.side * state.side; }

  function fillSizes() {
    const sel = $("size");
    for (let s = 3; s <= 32; s++) {
      const o = document.createElement("option");
      o.value = s;
      o.textContent = `${s} × ${s}${s * s <= 16 ? " (landscape)" : ""}`;
      if (s === state.side) o.selected = true;
      sel.appendChild(o);
    }
    sel.addEventListener("change", () => {
      const side = Number(sel.value);
      if (state.stored.length && !window.confirm("A new size forgets the stored patterns. Go on?")) {
        sel.value = state.side;
        return;
      }
      state.side = side;
      state.stored = [];
      state.cursor = 0;
      resetRecall();
      setBoard(new Array(n()).fill(-1));
      renderGallery();
      $("n-label").textContent = `N = ${n()} neurons`;
      fillPresets();
      say(`Grid of ${side} × ${side} = ${n()} neurons.`);
    });
  }

  function fillPresets() {
    const sel = $("preset");
    sel.textContent = "";
    const add = (value, label, group) => {
      const o = document.createElement("option");
      o.value = value; o.textContent = label;
      group.appendChild(o);
    };
    if (state.side >= 5) {
      const letters = document.createElement("optgroup");
      letters.label = "letters";
      for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") add(`letters:${c}`, c, letters);
      sel.appendChild(letters);
      const digits = document.createElement("optgroup");
      digits.label = "digits";
      for (const c of "0123456789") add(`digits:${c}`, c, digits);
      sel.appendChild(digits);
    }
    const other = document.createElement("optgroup");
    other.label = "other";
    add("random:", "random pattern", other);
    sel.appendChild(other);
  }

  let randomCount = 0;
  async function fetchPreset() {
    const [kind, chars] = $("preset").value.split(":");
    const body = { kind, size: state.side };
    if (kind === "random") {
      body.seed = 1000 + randomCount++;
    } else {
      body.chars = chars;
    }
    const data = await api("/api/preset", body);
    return { values: data.patterns[0], name: kind === "random" ? `random ${randomCount}` : data.names[0] };
  }

  function storePattern(values, name) {
    if (values.some((v) => v !== 1 && v !== -1)) {
      say("Only ±1 patterns can be stored: fill the unknown (yellow) pixels first.", true);
      return false;
    }
    if (state.stored.length >= 256) {
      say("The memory holds at most 256 patterns here.", true);
      return false;
    }
    state.stored.push({ values: values.slice(), name });
    renderGallery();
    say(`Stored “${name}”: ${state.stored.length} pattern${state.stored.length > 1 ? "s" : ""} ` +
        `in ${n()} neurons (K/N = ${(state.stored.length / n()).toFixed(3)}).`);
    return true;
  }

  function renderGallery() {
    const ul = $("gallery");
    ul.textContent = "";
    state.stored.forEach((p, k) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "thumb";
      b.title = `Put “${p.name}” on the grid`;
      b.setAttribute("aria-label", `Put pattern ${k + 1}, ${p.name}, on the grid`);
      const c = document.createElement("canvas");
      c.width = c.height = Math.max(state.side * 4, 48);
      paintGrid(c, p.values, state.side);
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = COLORS[k % COLORS.length];
      b.append(c, sw);
      b.addEventListener("click", () => {
        stop();
        setBoard(p.values);
        say(`“${p.name}” is on the grid: corrupt it, then press Recall.`);
      });
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = p.name;
      const rm = document.createElement("button");
      rm.type = "button";
      rm.className = "remove";
      rm.textContent = "×";
      rm.setAttribute("aria-label", `Forget pattern ${k + 1}, ${p.name}`);
      rm.addEventListener("click", () => {
        state.stored.splice(k, 1);
        resetRecall();
        renderGallery();
        say(`Forgot “${p.name}”.`);
      });
      name.appendChild(rm);
      li.append(b, name);
      ul.appendChild(li);
    });
    $("gallery-count").textContent = state.stored.length ? `(${state.stored.length})` : "(none)";
    renderLegend();
  }

  function renderLegend() {
    const ul = $("legend");
    ul.textContent = "";
    state.stored.slice(0, 12).forEach((p, k) => {
      const li = document.createElement("li");
      const key = document.createElement("span");
      key.className = "key";
      key.style.background = COLORS[k % COLORS.length];
      li.append(key, document.createTextNode(p.name));
      ul.appendChild(li);
    });
    if (state.stored.length > 12) {
      const li = document.createElement("li");
      li.textContent = `… ${state.stored.length - 12} more`;
      ul.appendChild(li);
    }
  }

  // ---------- the model ----------------------------------------------------------------------
  function modelKind() { return document.querySelector('input[name="model"]:checked').value; }

  function modelSpec() {
    const kind = modelKind();
    if (kind === "classical") return { kind, rule: $("rule").value };
    if (kind === "dense") {
      return { kind, interaction: $("interaction").value, degree: Number($("degree").value),
               beta: Number($("dense-beta").value) };
    }
    return { kind, beta: Number($("modern-beta").value) };
  }

  function syncModelControls() {
    const kind = modelKind();
    document.querySelectorAll("[data-for]").forEach((el) => { el.hidden = el.dataset.for !== kind; });
    document.querySelectorAll("[data-binary]").forEach((el) => { el.hidden = kind === "modern"; });
    $("temperature-row").hidden = kind === "modern" || $("update").value !== "stochastic";
    const exp = $("interaction").value === "exponential";
    $("degree").disabled = exp;
    $("dense-beta").disabled = !exp;
  }

  // ---------- the cue ------------------------------------------------------------------------
  async function corrupt(kind) {
    stop();
    const cue = state.board.map((v) => (v === 0 ? 0 : v > 0 ? 1 : -1));
    const body = { cue, seed: Number($("seed").value) * 7919 + ++state.corruptions };
    body[kind] = Number($(kind === "flip" ? "flip-frac" : "band-frac").value);
    try {
      const data = await api("/api/corrupt", body);
      setBoard(data.cue);
      const flipped = data.cue.filter((v, i) => v !== cue[i]).length;
      say(kind === "flip" ? `Flipped ${flipped} pixels.` : `Hid a band of ${flipped} pixels (yellow).`);
    } catch (err) {
      say(err.message, true);
    }
  }

  // ---------- recall and its animation -------------------------------------------------------
  function fps() {
    // The slider is logarithmic: 1 to 1000 frames a second.
    return Math.round(Math.pow(1000, Number($("speed").value) / 100));
  }

  function setControls() {
    const has = state.traj !== null;
    const atEnd = has && state.frame >= state.traj.states.length - 1;
    $("pause").disabled = !has || (!state.playing && atEnd);
    $("pause").textContent = state.playing ? "Pause" : "Play";
    $("step").disabled = !has || state.playing || atEnd;
    $("to-end").disabled = !has || atEnd;
    $("to-cue").disabled = !has;
    board.dataset.state = state.playing ? "playing" : has ? (atEnd ? "done" : "paused") : "idle";
  }

  function resetRecall() {
    stop();
    state.traj = null;
    state.frame = 0;
    drawCharts();
    $("verdict").className = "verdict";
    $("verdict").textContent = "No recall yet.";
    setControls();
  }

  async function run() {
    stop();
    if (!state.stored.length) {
      say("Store at least one pattern first.", true);
      return;
    }
    const kind = modelKind();
    const cue = state.board.map((v) => (v === 0 ? 0 : v > 0 ? 1 : -1));
    const body = {
      patterns: state.stored.map((p) => p.values),
      cue,
      model: modelSpec(),
      max_steps: Number($("max-steps").value),
      seed: Number($("seed").value),
    };
    if (kind !== "modern") {
      body.update = $("update").value;
      if (body.update === "stochastic") body.temperature = Number($("temperature").value);
    }
    board.dataset.state = "loading";
    $("run").disabled = true;
    say("Computing…");
    try {
      const traj = await api("/api/recall", body);
      traj.update = body.update;
      traj.temperature = body.temperature;
      state.traj = traj;
      state.cue = cue;
      state.frame = 0;
      say(`${recorded(traj)} recorded; playing.`);
      showFrame();
      play();
    } catch (err) {
      board.dataset.state = "idle";
      say(err.message, true);
    } finally {
      $("run").disabled = false;
    }
  }

  function plural(count, word) { return `${count} ${word}${count === 1 ? "" : "s"}`; }

  function recorded(t) {
    const what = { flip: "neuron flip", sweep: "sweep", step: "update" }[t.unit];
    return plural(t.states.length - 1, what);
  }

  function showFrame() {
    const t = state.traj;
    const f = state.frame;
    state.board = t.states[f].slice();
    const flipped = t.unit === "flip" && f > 0 ? t.neurons[f - 1] : -1;
    drawBoard(flipped);
    drawCharts();
    const last = f >= t.states.length - 1;
    if (last) {
      showVerdict();
      say(`Recall finished: ${recorded(t)}. Press Play to watch it again.`);
    } else {
      showProgress();
    }
    setControls();
  }

  function showProgress() {
    const t = state.traj, f = state.frame;
    const m = t.overlaps[f];
    let best = 0;
    for (let k = 1; k < m.length; k++) if (Math.abs(m[k]) > Math.abs(m[best])) best = k;
    const el = $("verdict");
    el.className = "verdict";
    el.textContent = `${timeLabel(t, f)} · energy ${fmt(t.energies[f])} · closest: ` +
      `“${nameOf(best)}” (overlap ${m[best].toFixed(2)})`;
  }

  function nameOf(k) { return state.stored[k] ? state.stored[k].name : `#${k + 1}`; }
  function fmt(x) { return Math.abs(x) >= 1e4 ? x.toExponential(3) : x.toFixed(3); }
  function timeLabel(t, f) {
    if (t.unit === "flip") return `${plural(f, "flip")}, ${(t.time[f] / t.n).toFixed(2)} sweeps`;
    return plural(f, t.unit);
  }

  function showVerdict() {
    const t = state.traj, v = t.verdict;
    const el = $("verdict");
    el.className = `verdict ${v.kind}`;
    let text;
    if (v.kind === "pattern" && t.unit === "step") text = `Recalled “${nameOf(v.index)}” (the sign of every pixel).`;
    else if (v.kind === "pattern") text = `Recalled “${nameOf(v.index)}” exactly.`;
    else if (v.kind === "reversal") text = `Ended on the reversal of “${nameOf(v.index)}” (every pixel inverted).`;
    else if (v.kind === "mixture") text = `A spurious mixture of ${v.components.map((k) => `“${nameOf(k)}”`).join(", ")}.`;
    else text = "A spurious state: no stored pattern, reversal or mixture.";
    const how = t.update === "stochastic" ? `sampling at T = ${t.temperature}` :
      t.cycled ? "stuck in a 2-cycle" : t.converged ? "a fixed point" : "not converged: raise Max steps";
    const detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = `${timeLabel(t, t.states.length - 1)}; ${how}; energy ` +
      `${fmt(t.energies[0])} → ${fmt(t.energies[t.energies.length - 1])}.`;
    el.textContent = text;
    el.appendChild(detail);
  }

  function play() {
    if (!state.traj) return;
    if (state.frame >= state.traj.states.length - 1) state.frame = 0;
    state.playing = true;
    state.lastTick = performance.now();
    setControls();
    const tick = (now) => {
      if (!state.playing) return;
      const due = Math.floor(((now - state.lastTick) / 1000) * fps());
      if (due > 0) {
        state.lastTick = now;
        state.frame = Math.min(state.frame + due, state.traj.states.length - 1);
        if (state.frame >= state.traj.states.length - 1) state.playing = false;
        showFrame();
      }
      if (state.playing) state.timer = requestAnimationFrame(tick);
    };
    state.timer = requestAnimationFrame(tick);
  }

  function stop() {
    state.playing = false;
    if (state.timer) cancelAnimationFrame(state.timer);
    state.timer = null;
    if (state.traj) setControls();
  }

  // ---------- charts ---------------------------------------------------------------------------
  function chartFrame(canvas, xs, lo, hi, xLabel, yLabel) {
    const ctx = canvas.getContext("2d");
    const W = canvas.width, H = canvas.height;
    const pad = { l: 64, r: 10, t: 10, b: 30 };
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
    const x0 = xs.length ? xs[0] : 0;
    const x1 = xs.length > 1 ? xs[xs.length - 1] : x0 + 1;
    if (hi - lo < 1e-12) { hi += 0.5; lo -= 0.5; }
    const X = (x) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (W - pad.l - pad.r);
    const Y = (y) => pad.t + (1 - (y - lo) / (hi - lo)) * (H - pad.t - pad.b);
    ctx.strokeStyle = "#9aa2b1";
    ctx.lineWidth = 1;
    ctx.strokeRect(pad.l + 0.5, pad.t + 0.5, W - pad.l - pad.r, H - pad.t - pad.b);
    ctx.fillStyle = "#5b6475";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "right";
    for (const y of [lo, (lo + hi) / 2, hi]) {
      ctx.fillText(Math.abs(y) >= 1e4 ? y.toExponential(1) : +y.toFixed(2), pad.l - 5, Y(y) + 4);
    }
    ctx.textAlign = "center";
    ctx.fillText(xLabel, (pad.l + W - pad.r) / 2, H - 6);
    ctx.fillText(String(+x0.toFixed(2)), pad.l, H - 18);
    ctx.fillText(String(+x1.toFixed(2)), W - pad.r - 8, H - 18);
    ctx.save();
    ctx.translate(11, (pad.t + H - pad.b) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
    return { ctx, X, Y };
  }

  function line(ctx, X, Y, xs, ys, color, width = 2, dash = []) {
    if (!ys.length) return;
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ys.forEach((y, i) => (i ? ctx.lineTo(X(xs[i]), Y(y)) : ctx.moveTo(X(xs[i]), Y(y))));
    ctx.stroke();
    if (ys.length === 1) {
      ctx.fillStyle = color;
      ctx.fillRect(X(xs[0]) - 2, Y(ys[0]) - 2, 4, 4);
    }
    ctx.setLineDash([]);
  }

  function drawCharts() {
    const t = state.traj;
    const energy = $("energy"), over = $("overlaps");
    if (!t) {
      chartFrame(energy, [], 0, 1, "time", "energy");
      chartFrame(over, [], -1, 1, "time", "overlap m");
      energy.dataset.drawn = "[]";
      return;
    }
    const xs = t.unit === "flip" ? t.time.map((u) => u / t.n) : t.time;
    const xl = { flip: "sweeps (N neuron updates)", sweep: "sweeps", step: "updates" }[t.unit];
    const f = state.frame + 1;
    // The axes cover the whole recall, so the curve grows into a fixed frame.
    const lo = Math.min(...t.energies), hi = Math.max(...t.energies);
    const e = chartFrame(energy, xs, lo, hi, xl, "energy");
    const drawn = t.energies.slice(0, f);
    line(e.ctx, e.X, e.Y, xs, drawn, INK, 2);
    energy.dataset.drawn = JSON.stringify(drawn);
    energy.setAttribute("aria-label", `Energy over the recall: from ${fmt(drawn[0])} to ${fmt(drawn[drawn.length - 1])}`);
    const o = chartFrame(over, xs, -1, 1, xl, "overlap m");
    o.ctx.strokeStyle = "#e5e7eb";
    o.ctx.beginPath();
    o.ctx.moveTo(o.X(xs[0]), o.Y(0));
    o.ctx.lineTo(o.X(xs[xs.length - 1]), o.Y(0));
    o.ctx.stroke();
    for (let k = 0; k < t.k; k++) {
      const ys = [];
      for (let i = 0; i < f; i++) ys.push(t.overlaps[i][k]);
      line(o.ctx, o.X, o.Y, xs, ys, COLORS[k % COLORS.length], t.k > 20 ? 1 : 2);
    }
  }

  // ---------- capacity ------------------------------------------------------------------------
  let capTimer = null;
  async function capacity() {
    if (capTimer) clearInterval(capTimer);
    const body = {
      n: Number($("cap-n").value),
      k_max: Number($("cap-kmax").value),
      noise: Number($("cap-noise").value),
      model: modelSpec(),
      seed: Number($("seed").value),
    };
    const label = describeModel(body.model);
    say("Storing and recalling…", false, "cap-status");
    $("cap-run").disabled = true;
    try {
      const data = await api("/api/capacity", body);
      let shown = 1;
      const draw = () => {
        drawCapacity(data, shown, label);
        const k = data.k[shown - 1];
        say(`${label}, N = ${data.n}, K = ${k} patterns (K/N = ${(k / data.n).toFixed(3)}): mean overlap after recall ` +
            `${data.mean_overlap[shown - 1].toFixed(3)}, ${(100 * data.exact[shown - 1]).toFixed(0)}% ` +
            "recalled exactly.", false, "cap-status");
      };
      draw();
      capTimer = setInterval(() => {
        if (shown >= data.k.length) { clearInterval(capTimer); capTimer = null; return; }
        shown += 1;
        draw();
      }, 150);
    } catch (err) {
      say(err.message, true, "cap-status");
    } finally {
      $("cap-run").disabled = false;
    }
  }

  function describeModel(m) {
    if (m.kind === "classical") return `classical, ${$("rule").selectedOptions[0].textContent} rule`;
    if (m.kind === "modern") return `modern, β = ${m.beta}`;
    if (m.interaction === "exponential") return `dense, F = exp(${m.beta}x)`;
    return `dense, F = ${m.interaction === "rectified" ? "max(x, 0)" : "x"}^${m.degree}`;
  }

  function drawCapacity(data, shown, label) {
    const canvas = $("capacity");
    const xs = data.k.map((k) => k / data.n);
    const c = chartFrame(canvas, xs.length > 1 ? xs : [0, xs[0] || 1], 0, 1, "load K/N", "recall");
    const a = data.hebb_alpha_c;
    if (a >= xs[0] && a <= xs[xs.length - 1]) {
      c.ctx.strokeStyle = "#b42318";
      c.ctx.setLineDash([5, 4]);
      c.ctx.beginPath();
      c.ctx.moveTo(c.X(a), c.Y(0));
      c.ctx.lineTo(c.X(a), c.Y(1));
      c.ctx.stroke();
      c.ctx.setLineDash([]);
      c.ctx.fillStyle = "#b42318";
      c.ctx.textAlign = "left";
      c.ctx.fillText("0.138", c.X(a) + 4, c.Y(0.06));
    }
    c.ctx.fillStyle = "#5b6475";
    c.ctx.textAlign = "right";
    c.ctx.fillText(`${label}, N = ${data.n}`, canvas.width - 16, canvas.height - 42);
    line(c.ctx, c.X, c.Y, xs, data.mean_overlap.slice(0, shown), COLORS[0], 2);
    line(c.ctx, c.X, c.Y, xs, data.exact.slice(0, shown), COLORS[2], 2, [4, 3]);
  }

  // ---------- landscape -----------------------------------------------------------------------
  async function landscape() {
    const table = $("landscape");
    if (n() > 16) {
      say(`The landscape needs N ≤ 16 neurons (a 3×3 or 4×4 grid); this grid has ${n()}.`, true, "land-status");
      return;
    }
    if (!state.stored.length) {
      say("Store at least one pattern first.", true, "land-status");
      return;
    }
    if (modelKind() === "modern") {
      say("The landscape is for binary networks: choose classical or dense.", true, "land-status");
      return;
    }
    say("Visiting every state…", false, "land-status");
    try {
      const data = await api("/api/landscape", {
        patterns: state.stored.map((p) => p.values),
        model: modelSpec(),
        update: $("land-update").value,
      });
      const body = table.tBodies[0];
      body.textContent = "";
      const top = Math.max(...data.attractors.map((a) => a.basin), 1);
      for (const a of data.attractors) {
        const tr = document.createElement("tr");
        const c = document.createElement("canvas");
        c.width = c.height = 32;
        paintGrid(c, a.state, state.side);
        const what = a.kind === "pattern" ? `pattern “${nameOf(a.index)}”` :
          a.kind === "reversal" ? `reversal of “${nameOf(a.index)}”` :
          a.kind === "mixture" ? `mixture of ${a.components.map(nameOf).join(", ")}` : "spurious";
        const cells = [c, what, null, fmt(a.energy)];
        cells.forEach((v, i) => {
          const td = document.createElement("td");
          if (i === 2) {
            td.className = "num";
            const bar = document.createElement("span");
            bar.className = "bar";
            bar.style.width = `${Math.max(2, (80 * a.basin) / top)}px`;
            td.append(bar, document.createTextNode(`${a.basin} (${((100 * a.basin) / data.states).toFixed(1)}%)`));
          } else if (v instanceof HTMLElement) {
            td.appendChild(v);
          } else {
            td.textContent = v;
            if (i === 3) td.className = "num";
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      }
      table.hidden = false;
      const more = data.count > data.attractors.length ? ` (the ${data.attractors.length} largest shown)` : "";
      say(`${data.states} states, ${data.count} attractors${more}` +
          `${data.unresolved ? `, ${data.unresolved} states in cycles` : ""}.`, false, "land-status");
    } catch (err) {
      say(err.message, true, "land-status");
    }
  }

  // ---------- wiring --------------------------------------------------------------------------
  function wire() {
    fillSizes();
    fillPresets();
    $("clear-board").addEventListener("click", () => { stop(); setBoard(new Array(n()).fill(-1)); });
    $("invert-board").addEventListener("click", () => { stop(); setBoard(state.board.map((v) => -v)); });
    $("store").addEventListener("click", () => {
      const values = state.board.map((v) => (v === 0 ? 0 : v > 0 ? 1 : -1));
      if (storePattern(values, `drawn ${state.drawn + 1}`)) state.drawn += 1;
    });
    $("load-preset").addEventListener("click", async () => {
      try {
        const p = await fetchPreset();
        stop();
        setBoard(p.values);
        say(`“${p.name}” is on the grid.`);
      } catch (err) { say(err.message, true); }
    });
    $("store-preset").addEventListener("click", async () => {
      try {
        const p = await fetchPreset();
        storePattern(p.values, p.name);
      } catch (err) { say(err.message, true); }
    });
    $("clear-gallery").addEventListener("click", () => {
      state.stored = [];
      resetRecall();
      renderGallery();
      say("Forgot every stored pattern.");
    });
    document.querySelectorAll('input[name="model"]').forEach((r) => r.addEventListener("change", syncModelControls));
    $("update").addEventListener("change", syncModelControls);
    $("interaction").addEventListener("change", syncModelControls);
    $("flip-frac").addEventListener("input", () => { $("flip-out").textContent = `${Math.round(100 * $("flip-frac").value)}%`; });
    $("band-frac").addEventListener("input", () => { $("band-out").textContent = `${Math.round(100 * $("band-frac").value)}%`; });
    $("speed").addEventListener("input", () => { $("speed-out").textContent = `${fps()} frames/s`; });
    $("flip").addEventListener("click", () => corrupt("flip"));
    $("band").addEventListener("click", () => corrupt("band"));
    $("run").addEventListener("click", run);
    $("pause").addEventListener("click", () => (state.playing ? stop() : play()));
    $("step").addEventListener("click", () => {
      if (!state.traj) return;
      state.frame = Math.min(state.frame + 1, state.traj.states.length - 1);
      showFrame();
    });
    $("to-end").addEventListener("click", () => {
      stop();
      state.frame = state.traj.states.length - 1;
      showFrame();
    });
    $("to-cue").addEventListener("click", () => {
      stop();
      state.frame = 0;
      showFrame();
      setBoard(state.cue);
    });
    $("cap-run").addEventListener("click", capacity);
    $("land-run").addEventListener("click", landscape);
    $("speed-out").textContent = `${fps()} frames/s`;
    syncModelControls();
    setBoard(state.board);
    drawCharts();
    chartFrame($("capacity"), [0, 0.4], 0, 1, "load K/N", "recall");
    fetch("/api/health").then((r) => r.json()).then((h) => { $("version").textContent = h.version; })
      .catch(() => {});
  }

  wire();
})();
