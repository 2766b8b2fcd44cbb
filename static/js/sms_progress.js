// Follows a blast: asks for its counts every two seconds, and why it waits (its scheduled
// time, quiet hours); reloads when it stops sending, and stops asking once it is over.
(() => {
  const FINISHED = new Set(["done", "cancelled"]);
  const box = document.getElementById("sms-progress");
  if (!box) return;
  const bar = box.querySelector("progress");
  const waiting = box.querySelector("[data-waiting]");
  let status = null;
  const tick = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        bar.value = state.percent;
        bar.textContent = `${state.percent} %`;
        for (const el of box.querySelectorAll("[data-k]")) {
          el.textContent = (state[el.dataset.k] ?? 0).toLocaleString();
        }
        if (waiting && waiting.textContent !== state.waiting) {
          waiting.textContent = state.waiting;
          waiting.hidden = !state.waiting;
        }
        if (status !== null && state.status !== status) {
          window.location.reload();
          return;
        }
        status = state.status;
        if (FINISHED.has(status)) return;
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
})();
