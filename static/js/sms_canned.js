// Canned answers: with JavaScript, a tap fills the answer box (ready to adapt) instead of
// sending the answer as it is. Without it, the button sends the canned answer unchanged.
document.querySelectorAll("[data-canned]").forEach((button) => {
  const box = button.form && button.form.querySelector("[data-reply-body]");
  if (!box) return;
  button.addEventListener("click", (event) => {
    event.preventDefault();
    box.value = button.dataset.canned;
    box.focus();
  });
});
