// Follows an import: asks for its progress every second, moves the bar, reloads when it ends.
(() => {
  const box = document.getElementById("import-progress");
  if (!box) return;
  const bar = box.querySelector("progress");
  const phase = box.querySelector("[data-phase]");
  const tick = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        bar.value = state.progress;
        bar.textContent = `${state.progress} %`;
        phase.textContent = state.phase_label;
        if (state.finished) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
})();
