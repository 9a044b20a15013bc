// The desk's service worker (served as /desk/sw.js, scope /desk/): the desk's pages and their static files
// load with no network. Network first, so a librarian always gets the newest desk when the server answers;
// the last good copy otherwise. Every page under /desk/ is cached as it is visited. API calls are never
// cached: a scan made offline waits in IndexedDB (deskqueue.js), not here.
"use strict";
const CACHE = "pustaka-desk-v3";  // v3: the desk pages share one shell (deskpage.js builds their chrome)
const SHELL = ["/desk/", "/static/opac.css", "/static/desk.css", "/static/common.js", "/static/deskqueue.js",
               "/static/desk.js", "/static/deskcirc.js", "/static/ingest.js", "/static/desknav.js",
               "/static/backup-banner.js", "/desk/kiosk", "/static/deskpages.css", "/static/deskpage.js",
               "/static/kiosk.js"];

self.addEventListener("install", event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith("pustaka-desk-") && k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function cacheable(url) {
  return url.origin === self.location.origin && (url.pathname.startsWith("/desk/") || url.pathname.startsWith("/static/"));
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const answer = await fetch(request);
    if (answer.ok) await cache.put(request, answer.clone());
    return answer;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true })
      || (request.mode === "navigate" ? await cache.match("/desk/") : undefined);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", event => {
  const url = new URL(event.request.url);
  if (event.request.method === "GET" && cacheable(url)) event.respondWith(networkFirst(event.request));
});
