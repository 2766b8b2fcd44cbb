// Walk list on a phone: a door in two taps, a building "not home" in one. Results wait in
// IndexedDB until sent; each has an id made here, so a resend never records it twice.
// Words come from Django's JavaScript catalogue (/jsi18n/<lang>.js, kept offline too).
(() => {
  const app = document.querySelector("[data-walk-app]");
  if (!app) return;
  const { gettext, ngettext, interpolate } = window.django || { // the catalogue failed: English
    gettext: (text) => text,
    ngettext: (one, many, n) => (n === 1 ? one : many),
    interpolate: (text, values, named) => (named
      ? text.replace(/%\((\w+)\)s/g, (_, key) => values[key]) : text.replace(/%s/g, () => values.shift())),
  };
  const banner = document.querySelector("[data-sync-status]");
  const { turf, syncUrl, swUrl } = app.dataset;
  const json = (el) => { try { return JSON.parse(el.textContent) || []; } catch { return []; } };
  const codes = json(document.getElementById("walk-codes") || {});
  const questions = json(document.getElementById("walk-questions") || {});
  const labelOf = (code) => codes.find((c) => c.code === code)?.label || code;
  const NOBODY = ["not_home", "moved", "inaccessible"]; // nobody answered: no person, no answers

  // The queue: IndexedDB "terrain-canvass", store "queue"; memory if the browser refuses it.
  const memory = new Map();
  let dbp;
  const store = async (mode, fn) => {
    const db = await (dbp ||= new Promise((ok, ko) => {
      const r = indexedDB.open("terrain-canvass", 1);
      r.onupgradeneeded = () => r.result.createObjectStore("queue", { keyPath: "id" });
      r.onsuccess = () => { r.result.onclose = () => (dbp = null); ok(r.result); };
      r.onerror = () => ko(r.error);
    }));
    return new Promise((ok, ko) => {
      try {
        const tx = db.transaction("queue", mode), r = fn(tx.objectStore("queue"));
        tx.oncomplete = () => ok(r?.result);
        tx.onerror = tx.onabort = () => ko(tx.error);
      } catch (e) { dbp = null; ko(e); }
    });
  };
  const put = (items) => store("readwrite", (s) => items.forEach((i) => s.put(i)))
    .catch(() => items.forEach((i) => memory.set(i.id, i)));
  const drop = (ids) => (ids.forEach((id) => memory.delete(id)),
    store("readwrite", (s) => ids.forEach((id) => s.delete(id))).catch(() => {}));
  const all = async () => { // this turf's, oldest first
    const saved = (await store("readonly", (s) => s.getAll()).catch(() => 0)) || [];
    return [...new Map([...memory, ...saved.map((i) => [i.id, i])]).values()]
      .filter((i) => i.turf === turf).sort((a, b) => (a.visit.visited_at < b.visit.visited_at ? -1 : 1));
  };

  const uuid = () => crypto.randomUUID?.() || [...crypto.getRandomValues(new Uint8Array(16))].map((n, i) =>
    ((i === 6 ? (n & 15) | 64 : i === 8 ? (n & 63) | 128 : n) + 256).toString(16).slice(1) + ([3, 5, 7, 9].includes(i) ? "-" : "")).join("");
  const visit = (door, result, more) => ({
    id: uuid(), door: +door, contact: null, result, support_level: null, wants_to_volunteer: false,
    wants_to_give: false, answers: {}, note: "", visited_at: new Date().toISOString(), ...more,
  });

  const doors = new Map([...app.querySelectorAll("li[data-door]")].map((li) => [li.dataset.door, li]));
  const touched = new Set(); // doors given a result while this page is open
  const mark = (li, code, pending) => {
    li.classList.toggle("pending", pending);
    const last = li.querySelector("[data-last-result]");
    if (last && code) last.textContent = labelOf(code);
    if (code) document.dispatchEvent(new CustomEvent("walk:result", { detail: { door: +li.dataset.door, result: code } }));
  };

  // The door's dialog, made on each tap (DOM nodes: no name is parsed as HTML).
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {}))
      if (typeof v === "function") el[k] = v;
      else if (v != null && v !== false) el.setAttribute(k, v === true ? "" : v);
    el.append(...kids);
    return el;
  };
  const choice = (type, name, value, text, checked) =>
    h("label", { class: "choice" }, h("input", { type, name, value, checked }), " ", text);
  const group = (legend, ...kids) => h("fieldset", 0, h("legend", 0, legend), ...kids);
  const area = (text, name, id = `door-${name}`) =>
    h("div", { class: "field" }, h("label", { for: id }, text), h("textarea", { id, name, rows: 2 }));
  const ask = (q, name = `q${q.id}`) =>
    q.kind === "support" || q.kind === "choice"
      ? group(q.text, ...(q.kind === "support" ? [1, 2, 3, 4, 5] : q.choices || []).map((v) => choice("radio", name, v, v)))
      : q.kind === "volunteer" || q.kind === "give" ? h("p", 0, choice("checkbox", name, 1, q.text)) : area(q.text, name);

  // Two steps: who answered and the result; a conversation then asks the script's questions
  // (or skips them) before the visit is saved. Other results save at once.
  function openDoor(li) {
    const people = json(li.querySelector("script") || {});
    const talked = new Set(codes.filter((c) => c.talked).map((c) => c.code));
    const first = h("div", 0,
      people.length ? group(gettext("Who answered?"), ...people.map((p, i) => choice("radio", "contact", p.id, p.name, !i)),
        choice("radio", "contact", "", gettext("Someone else / nobody"))) : "",
      group(gettext("Result"), h("div", { class: "results" }, ...codes.map((c) =>
        h("button", { type: "button", value: c.code, class: c.talked ? null : "secondary" }, c.label)))));
    const second = h("div", { hidden: true },
      h("h3", { id: "door-questions", tabindex: -1 }, gettext("The script's questions")),
      h("p", { class: "help" }, gettext("Ask them, then save. Skip any they would rather not answer.")),
      ...questions.map((q) => ask(q)));
    const done = h("div", { class: "buttons", hidden: true },
      h("button", { type: "button", "data-save": "answers" }, gettext("Save")),
      h("button", { type: "button", class: "secondary", "data-save": "skip" }, gettext("Skip the questions")),
      h("button", { type: "button", class: "secondary", "data-back": true }, gettext("Back")));
    const form = h("form", { class: "record-form door-form", onsubmit: (event) => event.preventDefault() },
      h("div", { class: "page-head" }, h("h2", { id: "door-title" }, li.dataset.label || ""),
        h("button", { type: "button", class: "secondary", "aria-label": gettext("Close") }, "✕")),
      first, second, h("details", 0, h("summary", 0, gettext("Note")), area(gettext("Note"), "note")), done);
    const dialog = h("dialog", { class: "door-dialog", "aria-labelledby": "door-title", onclose: () => dialog.remove() }, form);
    let result = "";
    const step = (asking) => {
      first.hidden = asking;
      second.hidden = done.hidden = !asking;
      (asking ? second.querySelector("h3") : first.querySelector("button[value]"))?.focus();
    };
    form.onclick = (event) => { // ✕ closes; a result records the visit and closes, a talk asks first
      const button = event.target.closest("button");
      if (!button || !dialog.open) return;
      if (button.dataset.back != null) return step(false);
      if (talked.has(button.value) && questions.length) return void ((result = button.value), step(true));
      const code = button.dataset.save ? result : button.value;
      dialog.close();
      if (code) queue([collect(new FormData(form), li.dataset.door, code, button.dataset.save === "answers")]);
    };
    document.body.append(dialog);
    dialog.showModal();
  }

  function collect(data, door, result, answered) {
    const note = String(data.get("note") || "").trim();
    if (NOBODY.includes(result)) return visit(door, result, { note });
    const v = visit(door, result, { note, contact: +data.get("contact") || null });
    for (const q of answered ? questions : []) {
      const value = String(data.get(`q${q.id}`) || "").trim();
      if (q.kind === "support") v.support_level = +value || null;
      else if (q.kind === "volunteer") v.wants_to_volunteer = !!value;
      else if (q.kind === "give") v.wants_to_give = !!value;
      else if (value) v.answers[q.id] = value;
    }
    return v;
  }

  async function queue(visits) {
    for (const v of visits) {
      const li = doors.get(String(v.door));
      touched.add(String(v.door));
      li?.classList.remove("rejected");
      if (li) mark(li, v.result, true);
    }
    progress();
    await put(visits.map((v) => ({ id: v.id, turf, url: syncUrl, visit: v })));
    sync();
  }

  app.addEventListener("click", (event) => {
    const link = event.target.closest("li[data-door] > a");
    if (!link || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    if (!window.HTMLDialogElement?.prototype.showModal) return; // the door page does it then
    event.preventDefault();
    openDoor(link.parentElement);
  });

  // The server skips doors visited today; so does the page.
  const today = (at) => !!at && new Date(at).toDateString() === new Date().toDateString();

  app.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-not-home]");
    if (!form) return;
    event.preventDefault();
    const visits = [...form.closest("[data-building]").querySelectorAll("li[data-door]")]
      .filter((li) => !touched.has(li.dataset.door) && !today(li.dataset.lastAt))
      .map((li) => visit(li.dataset.door, "not_home"));
    if (visits.length) queue(visits);
  });

  // Sending: batches of 500, one request at a time.
  let busy, again, sending, offline = !navigator.onLine, problem = "", waiting = 0;
  const notes = [];
  async function sync() {
    if (busy) return void (again = true);
    busy = true;
    await run().catch(() => {}); // the timer tries again
    busy = sending = false;
    if (again) { again = false; sync(); } else refresh();
  }
  async function run() {
    const items = await all();
    for (let at = 0; at < items.length; at += 500) if (!(await send(items.slice(at, at + 500)))) return;
  }

  async function send(batch) {
    sending = true;
    refresh();
    const abort = new AbortController(), timer = setTimeout(() => abort.abort(), 30000);
    const token = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)?.[1] ||
      document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
    let response, data;
    try {
      response = await fetch(batch[0].url, {
        method: "POST", credentials: "same-origin", signal: abort.signal,
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ visits: batch.map((i) => i.visit) }),
      });
      data = await response.json().catch(() => null);
    } catch {
      return !(offline = true);
    } finally { clearTimeout(timer); }
    const status = response.status;
    offline = false;
    if (!response.ok || !Array.isArray(data?.recorded)) { // all kept: 5xx, 409, 403 (logged out)…
      problem = (status < 500 && (data?.error || data?.detail)) || interpolate(gettext("Server error (%s)."), [status]);
      if (status === 403) problem += ` ${gettext("Log in again: nothing is lost.")}`;
      return false;
    }
    problem = "";
    const mine = new Map(batch.map((i) => [i.id, i]));
    const rejected = (data.rejected || []).filter((r) => mine.has(r.id));
    await drop([...data.recorded, ...(data.duplicates || []), ...rejected.map((r) => r.id)].filter((id) => mine.has(id)));
    for (const r of rejected) {
      const { door, result } = mine.get(r.id).visit, li = doors.get(String(door));
      li?.classList.add("rejected");
      touched.delete(String(door));
      notes.push(interpolate(gettext("Not recorded (%(door)s, %(result)s): %(reason)s"),
        { door: li?.dataset.label || door, result: labelOf(result), reason: r.reason }, true));
    }
    if (data.recorded.length) keep(true);
    return true;
  }

  // The banner, and the marks of doors whose result waits (also after a reload offline).
  async function refresh() {
    const items = await all(), latest = new Map(items.map((i) => [String(i.visit.door), i.visit.result]));
    waiting = items.length;
    for (const [door, li] of doors) {
      if (latest.has(door)) touched.add(door);
      mark(li, latest.get(door), latest.has(door));
    }
    progress();
    if (!banner) return;
    const lines = [...notes];
    if (waiting && problem) lines.unshift(problem);
    if (waiting) {
      const state = sending ? gettext("sending…") : offline || !navigator.onLine ? gettext("offline") : "";
      const line = interpolate(ngettext("%s result waiting to be sent", "%s results waiting to be sent", waiting), [waiting]);
      lines.unshift(state ? interpolate(gettext("%(waiting)s (%(state)s)"), { waiting: line, state }, true) : line);
    }
    banner.replaceChildren(...lines.map((line) => h("div", 0, line)),
      notes.length ? h("button", { type: "button", class: "secondary", onclick: () => refresh((notes.length = 0)) }, gettext("OK")) : "");
    banner.hidden = !lines.length;
  }

  // Progress ("12 doors left of 40") and the "not visited yet" filter, from the doors' last
  // visit and the results given here (offline too). The filter is kept for the session.
  const told = document.querySelector("[data-walk-progress]");
  const bar = told?.parentElement.querySelector("progress");
  const filter = document.querySelector("[data-walk-filter]"), only = filter?.querySelector("input");
  const remembered = `terrain-walk-filter-${turf}`;
  function progress() {
    let left = 0;
    for (const [door, li] of doors) {
      const visited = !!li.dataset.lastAt || touched.has(door);
      left += !visited;
      li.hidden = !!only?.checked && visited;
    }
    for (const part of app.querySelectorAll("[data-building], .street")) // a building, a street
      part.hidden = !part.querySelector("li[data-door]:not([hidden])");
    if (told) told.textContent = interpolate(ngettext("%(left)s door left of %(total)s",
      "%(left)s doors left of %(total)s", left), { left, total: doors.size }, true);
    if (bar) bar.value = doors.size - left;
  }
  if (filter) {
    filter.hidden = false;
    try { only.checked = sessionStorage.getItem(remembered) === "1"; } catch { /* private mode */ }
    only.addEventListener("change", () => {
      try { sessionStorage.setItem(remembered, only.checked ? "1" : ""); } catch { /* private mode */ }
      progress();
    });
  }

  // The offline worker keeps this page and its files; the page again once results went out.
  const here = new URL(app.dataset.walkUrl || location.pathname, location.href).href;
  let worker, timer;
  const tell = (message) => navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage(message));
  const keep = (fresh) => {
    if (!worker) return;
    const files = [...document.querySelectorAll("link[rel=stylesheet], script[src]")].map((e) => e.href || e.src);
    if (!fresh) return tell({ type: "cache", urls: [here, ...files] });
    clearTimeout(timer); // after a few doors, not after each
    timer = setTimeout(() => tell({ type: "cache", fresh, urls: [here] }), 1500);
  };
  if (swUrl && "serviceWorker" in navigator) {
    const scope = new URL(".", new URL(swUrl, location.href)).pathname;
    navigator.serviceWorker.register(swUrl, { scope }).then(() => { worker = true; keep(); }, () => {});
  }

  addEventListener("online", () => { offline = false; sync(); });
  addEventListener("offline", () => { offline = true; refresh(); });
  document.addEventListener("visibilitychange", () => document.hidden || sync());
  setInterval(() => waiting && !busy && sync(), 30000);
  refresh().then(sync);
})();
