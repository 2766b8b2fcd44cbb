// Irreversible actions ask first: a form with data-confirm="<dialog id>" opens that dialog
// instead of posting; the dialog's own form posts confirm=yes. Without this script (or
// without <dialog>), the post goes through and the server answers with a confirmation page.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var id = form.getAttribute && form.getAttribute("data-confirm");
  var dialog = id && document.getElementById(id);
  if (!dialog || typeof dialog.showModal !== "function") return;
  event.preventDefault();
  if (!dialog.open) dialog.showModal();
});
