// Registers the service worker (sw.js, at the site's root, offline.py) that keeps the pages a reader opened, so they
// open again without a connection.
if ("serviceWorker" in navigator) navigator.serviceWorker.register(document.currentScript.dataset.worker);

// On the offline page: the pages of its language kept on this device, which open now, the last opened first.
const kept = document.getElementById("kept");
if (kept && "caches" in window) {
  caches.open("mujaz-pages").then(async cache => {
    const list = kept.querySelector("ul");
    for (const request of (await cache.keys()).reverse()) {
      const page = new DOMParser().parseFromString(await (await cache.match(request)).text(), "text/html");
      if (page.documentElement.lang !== document.documentElement.lang) continue;
      const link = document.createElement("a");
      link.href = new URL(request.url).pathname;
      link.textContent = (page.querySelector("h1") || page.querySelector("title") || {}).textContent || link.href;
      list.appendChild(document.createElement("li")).appendChild(link);
    }
    kept.hidden = !list.children.length;
    kept.dataset.listed = list.children.length;  // done: what a test waits for
  });
}
