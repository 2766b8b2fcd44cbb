// The segment builder's live count: asks the server how many contacts the filters give,
// half a second after the last change.
(() => {
  const form = document.getElementById("segment-form");
  if (!form) return;
  const output = form.querySelector("[data-count]");
  let timer = null;
  let latest = 0;
  const refresh = async () => {
    const asked = ++latest;
    const params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    try {
      const response = await fetch(`${form.dataset.countUrl}?${params}`, { headers: { Accept: "application/json" } });
      if (asked !== latest) return; // a newer question is on its way
      const body = await response.json();
      output.textContent = response.ok ? body.count.toLocaleString() : "—";
    } catch (error) {
      output.textContent = "—";
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  refresh();
})();
