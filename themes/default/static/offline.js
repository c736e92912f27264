// Registers the service worker (sw.js, at the site's root, offline.py) that keeps the pages a reader opened, so they
// open again without a connection.
if ("serviceWorker" in navigator) navigator.serviceWorker.register(document.currentScript.dataset.worker);
