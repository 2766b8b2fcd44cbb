// The text composer's live figures: the preview for a sample person, characters, segments,
// and the characters that switch the text to UCS-2 (double the cost). Asks the server, which
// counts exactly as the sending does, a moment after the last keystroke.
(() => {
  const form = document.getElementById("sms-compose");
  if (!form) return;
  const body = form.querySelector("[data-sms-body]");
  const show = (name, value) => {
    const el = form.querySelector(`[data-${name}]`);
    if (el) el.textContent = value;
  };
  let timer = null;
  let latest = 0;
  const refresh = async () => {
    const asked = ++latest;
    try {
      const response = await fetch(`${form.dataset.previewUrl}?${new URLSearchParams({ body: body.value })}`, {
        headers: { Accept: "application/json" },
      });
      if (asked !== latest || !response.ok) return;
      const state = await response.json();
      show("preview", state.preview);
      show("characters", state.characters);
      show("segments", state.segments);
      show("encoding", state.encoding);
      form.querySelector("[data-offenders]").hidden = !state.offenders;
      show("offenders-list", state.offenders);
    } catch (error) {
      // Offline for a moment: the figures come back with the next keystroke.
    }
  };
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  refresh();
})();
