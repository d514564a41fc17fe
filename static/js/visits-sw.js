// Keeps the Record of Visit pages and their files, so the form opens with no connection once
// it has been opened before. Pages come from the network when it answers (always fresh), and
// from the copy kept here when it does not. The page carries its form's version
// (data-form-version) and refreshes its copy here on each new connection. Nothing is ever sent from here: records wait in
// the page's own outbox.
// A new name when the form's page or files change shape, so no tablet pairs the new page
// with the old script; the old copies are dropped when this worker takes over.
const CACHE = "mathsprog-visits-v3";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) =>
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  )
);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  // The form page asks for itself again when the connection returns ("X-Visit-Page"), so that
  // a form the programme changed meanwhile is kept here too.
  if (request.mode === "navigate" || request.headers.get("X-Visit-Page") === "refresh") {
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      }).catch(() => caches.match(request, { ignoreSearch: true }))
    );
    return;
  }
  event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
});
