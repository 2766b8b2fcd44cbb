// Territory pickers (campaign/forms.py): a text filter over a list of territories to tick.
// Each word typed must be in the territory's name, kind or code, accents and case aside;
// the ticked ones always stay in view. Enter in the filter does not send the form.
(() => {
  const fold = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  // Django's JavaScript catalogue (base.html) when it is there; English words otherwise.
  // Called by that name, so that makemessages finds the words in this file.
  const { gettext, interpolate } = window.django || {
    gettext: (text) => text,
    interpolate: (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]),
  };
  const status = (shown, total, ticked) =>
    interpolate(gettext("%(shown)s of %(total)s shown, %(ticked)s ticked"), { shown, total, ticked }, true);

  const setUp = (picker) => {
    if (picker.dataset.ready) return;
    picker.dataset.ready = "1";
    const box = picker.querySelector(".picker-filter");
    const input = box.querySelector("input");
    const output = box.querySelector("[data-picker-status]");
    const items = [...picker.querySelectorAll(".picker-list label")].map((label) => ({
      row: label.closest(".picker-list > div > div") || label,
      choice: label.querySelector("input"),
      text: fold(label.textContent),
    }));
    const apply = () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const item of items) {
        const visible = item.choice.checked || words.every((word) => item.text.includes(word));
        item.row.hidden = !visible;
        if (visible) shown += 1;
      }
      const ticked = items.filter((item) => item.choice.checked).length;
      output.textContent = words.length ? status(shown, items.length, ticked) : "";
    };
    input.addEventListener("input", (event) => {
      event.stopPropagation(); // typing a filter changes no field of the form
      apply();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    picker.addEventListener("change", apply);
    box.hidden = false;
  };

  document.querySelectorAll("[data-territory-picker]").forEach(setUp);
})();
