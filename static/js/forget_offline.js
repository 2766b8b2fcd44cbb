// On the login page (where logging out lands): forget the walk lists the phone kept for offline use (names and
// addresses), unless results recorded offline still wait to be sent; then say so instead.
(async () => {
  if (!("caches" in window)) return;
  const waiting = await new Promise((resolve) => {
    if (!window.indexedDB) return resolve(0);
    const open = indexedDB.open("terrain-canvass", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("queue", { keyPath: "id" });
    open.onerror = () => resolve(0);
    open.onsuccess = () => {
      const count = open.result.transaction("queue").objectStore("queue").count();
      count.onsuccess = () => resolve(count.result);
      count.onerror = () => resolve(0);
    };
  });
  const note = document.querySelector("[data-offline-note]");
  if (waiting) {
    if (note && window.django) {
      note.textContent = django.interpolate(django.ngettext(
        "This phone still holds %s door result recorded offline: log in again on it, with signal, to send it. Until then its walk lists stay on it.",
        "This phone still holds %s door results recorded offline: log in again on it, with signal, to send them. Until then its walk lists stay on it.",
        waiting), [waiting]);
      note.hidden = false;
    }
    return;
  }
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith("terrain-canvass")).map((n) => caches.delete(n)));
})();
