{#- The service worker (offline.py): pages a reader opened open again without a connection. -#}
// Every page is asked of the network first: a reader online reads the news as published. The copy of a page kept
// from the last visit is shown only when the network fails; for a page never opened, the language's offline page.
// Files named by a hash of their bytes (style.8b4e54bcc2.css) are the same bytes for good: kept, and not asked again.
const SCOPE = {{ scope|tojson }};
const OFFLINE = {{ offline|tojson }};  // a language's home -> its offline page
const SHOWN_OFFLINE = [{{ asset('style.css')|tojson }}, {{ asset('offline.js')|tojson }}];  // what offline.html loads
const PAGES = "mujaz-pages", FILES = "mujaz-files", KEPT = "mujaz-offline";
const MOST_PAGES = 60, MOST_FILES = 20;  // a megabyte at most on the reader's phone
const VERSIONED = /\.[0-9a-f]{10}\.(css|js)$/;

self.addEventListener("install", event => {
  event.waitUntil(caches.open(KEPT).then(cache => cache.addAll([...Object.values(OFFLINE), ...SHOWN_OFFLINE]))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", event => {
  const request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || !url.pathname.startsWith(SCOPE)
      || url.pathname.startsWith(SCOPE + "admin/")) return;  // the editing page talks to GitHub: never kept
  if (request.mode === "navigate") event.respondWith(page(event, url));
  else if (VERSIONED.test(url.pathname)) event.respondWith(file(event));
});

// A copy is kept after the page is given to the reader, not before: keeping it never slows a page.
async function page(event, url) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") event.waitUntil(keep(PAGES, request, response.clone(), MOST_PAGES));
    return response;
  } catch (offline) {
    const kept = await caches.match(request, {ignoreSearch: true});
    if (kept) return kept;
    // The language whose home is the longest start of the address: /en/… is English, the rest the first language.
    const home = Object.keys(OFFLINE).filter(h => url.pathname.startsWith(h)).sort((a, b) => b.length - a.length)[0];
    return (await caches.match(OFFLINE[home || SCOPE])) || Response.error();
  }
}

async function file(event) {
  const request = event.request, kept = await caches.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") event.waitUntil(keep(FILES, request, response.clone(), MOST_FILES));
  return response;
}

async function keep(name, request, response, most) {
  const cache = await caches.open(name);
  await cache.delete(request);  // put anew, so the oldest entry is the one read longest ago
  await cache.put(request, response);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - most)).map(key => cache.delete(key)));
}
