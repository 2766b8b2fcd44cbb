// "Add another" for Django formsets: clones the <template id="PREFIX-empty"> row before the
// button with data-formset-add="PREFIX", numbering it from PREFIX-TOTAL_FORMS.
// Without JavaScript the form still works: one empty row is always there.
document.querySelectorAll("[data-formset-add]").forEach((button) => {
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  if (!total || !template) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    button.insertAdjacentHTML("beforebegin", template.innerHTML.replaceAll("__prefix__", index));
    total.value = index + 1;
    const added = button.previousElementSibling.querySelector("input");
    if (added) added.focus();
  });
});
