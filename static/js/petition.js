// The live counter (every 15 s while the page is open) and the "copy the link" button.
(() => {
  const counter = document.querySelector("[data-count-url]");
  if (counter) {
    const number = counter.querySelector("[data-count]");
    const bar = counter.querySelector("[data-bar]");
    setInterval(async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(counter.dataset.countUrl);
        if (!response.ok) return;
        const { count } = await response.json();
        number.textContent = count.toLocaleString();
        if (bar) bar.value = count;
      } catch (error) {
        // Offline for a moment: the next tick will do.
      }
    }, 15000);
  }
  // A cached page carries someone else's CSRF token: take a fresh one just before sending.
  document.querySelectorAll("form[data-csrf-url]").forEach((form) => {
    let fresh = false;
    form.addEventListener("submit", async (event) => {
      if (fresh) return;
      event.preventDefault();
      try {
        const response = await fetch(form.dataset.csrfUrl, { credentials: "same-origin" });
        if (response.ok) {
          form.querySelector("[name=csrfmiddlewaretoken]").value = (await response.json()).token;
        }
      } catch (error) {
        // Offline: send with the token the page came with.
      }
      fresh = true;
      form.requestSubmit();
    });
  });
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = "✓";
      } catch (error) {
        window.prompt("", button.dataset.copy);
      }
    });
  });
})();
