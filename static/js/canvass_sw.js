// Volunteers' offline worker, served at /missions/sw.js (scope /missions/). Pages: network
// first, the kept copy offline. /static/: cache first, refreshed behind. POSTs and /api/ pass
// through: the walk page queues its results in IndexedDB and sends them itself. The scripts'
// translations (/jsi18n/<lang>.js) are kept like the static files; the worker reads its own
// one sentence from the catalogue of the language it was registered with (?lang=).
const LANG = /^[a-z]{2}$/.exec(new URL(location.href).searchParams.get("lang") || "")?.[0] || "";
try { if (LANG) importScripts(`/jsi18n/${LANG}.js`); } catch { /* English */ }
const gettext = self.django?.gettext || ((text) => text);
const CACHE = "terrain-canvass-v1";
const SCOPE = new URL("./", location.href).pathname;
const ANY = { ignoreVary: true };
const keep = (cache, key, res) =>
  res.ok && res.type === "basic" && !res.redirected && cache.put(key, res.clone()).catch(() => {});

// The walk page also sends the files it uses (hashed names in production) once this runs.
const FIRST = ["/static/css/app.css", "/static/js/canvass.js", ...(LANG ? [`/jsi18n/${LANG}.js`] : [])];
addEventListener("install", (e) => e.waitUntil(caches.open(CACHE)
  .then((c) => Promise.all(FIRST.map((u) => c.add(u).catch(() => {}))))
  .then(() => skipWaiting())));

addEventListener("activate", (e) => e.waitUntil(caches.keys()
  .then((names) => Promise.all(names.filter((n) => n.startsWith("terrain-canvass-") && n !== CACHE).map((n) => caches.delete(n))))
  .then(() => clients.claim())));

async function page(e) {
  const url = e.request.url, cache = await caches.open(CACHE), kept = await cache.match(url, ANY);
  const net = fetch(e.request).then(async (res) => {
    if (res.type === "opaqueredirect" || res.status === 403 || res.status === 404) await cache.delete(url, ANY); // logged out, or not yours
    else await keep(cache, url, res);
    return res;
  });
  if (!kept) return net.catch(() => new Response(gettext("Offline: this page was never opened on this phone."), { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
  e.waitUntil(net.catch(() => {}));
  const slow = new Promise((ok) => setTimeout(ok, 6000, kept)); // a weak signal: the kept copy
  return Promise.race([net.then((res) => (res.status < 500 ? res : kept)), slow]).catch(() => kept);
}

async function file(e) {
  const cache = await caches.open(CACHE), kept = await cache.match(e.request, ANY);
  const net = fetch(e.request).then(async (res) => (await keep(cache, e.request, res), res));
  if (!kept) return net;
  e.waitUntil(net.catch(() => {}));
  return kept;
}

addEventListener("fetch", (e) => {
  const req = e.request, { origin, pathname } = new URL(req.url);
  if (req.method !== "GET" || origin !== location.origin || pathname.startsWith("/api/")) return;
  if (req.mode === "navigate" && pathname.startsWith(SCOPE)) e.respondWith(page(e));
  else if (pathname.startsWith("/static/") || pathname.startsWith("/jsi18n/")) e.respondWith(file(e));
});

// The walk page asks to keep itself and its files (its first load came before this worker),
// and itself again, `fresh`, once results went out.
addEventListener("message", (e) => {
  const { type, urls, fresh } = e.data || {};
  if (type === "cache" && Array.isArray(urls)) e.waitUntil(caches.open(CACHE).then(async (cache) => {
    for (const href of urls.slice(0, 20)) {
      const url = new URL(href, location.href);
      url.hash = "";
      if (url.origin !== location.origin || !/^\/(static|jsi18n)\//.test(url.pathname) && !url.pathname.startsWith(SCOPE)) continue;
      if (fresh || !(await cache.match(url.href, ANY))) await fetch(url.href).then((res) => keep(cache, url.href, res), () => {});
    }
  }));
});
