// The import's mapping page: the list of columns not imported follows the selects and the
// "keep every other column" box as they change. Without JavaScript, "Update the list" does it.
(() => {
  const form = document.getElementById("import-mapping");
  if (!form) return;
  const box = document.getElementById("left-out");
  const none = box.querySelector("[data-none]");
  const keepOthers = box.querySelector('input[type="checkbox"]');
  const refresh = box.querySelector("[data-refresh]");
  if (refresh) refresh.hidden = true;
  const update = () => {
    let shown = 0;
    for (const item of box.querySelectorAll("[data-column]")) {
      const select = form.elements.namedItem(item.dataset.column);
      const ignored = !select || select.value === "ignore";
      const kept = keepOthers && keepOthers.checked && !item.hasAttribute("data-forbidden");
      item.hidden = !ignored || kept;
      if (!item.hidden) shown += 1;
    }
    none.hidden = shown > 0;
  };
  form.addEventListener("change", update);
  update();
})();
