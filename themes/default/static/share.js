// The phone's own share sheet (every app the reader has: Signal, messages, Instagram…), where the browser offers
// one; the plain links beside it serve every other reader, and a page without scripts.
(() => {
  "use strict";
  const button = document.querySelector("button.share-native");
  if (!button || typeof navigator.share !== "function") return;
  button.closest("li").hidden = false;
  button.addEventListener("click", () => {
    // A reader who closes the sheet rejects the promise: nothing to say.
    navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(() => {});
  });
})();
