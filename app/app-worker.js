// versus service worker: the app shell is cached per version, the snapshot
// by name. Written as a text/template: go-app fills in Version and
// ResourcesToCache.
const version = "{{.Version}}";
const shellCache = "versus-shell-" + version;
const dataCache = "versus-data";
const pageCache = "versus-pages";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(shellCache)
      .then((cache) => cache.addAll(resourcesToCache))
      .then(() => cacheSnapshot().catch(() => {}))
      .then(() => self.skipWaiting())
  );
});

// cacheSnapshot keeps the live pointer and index, so that the first visit
// already leaves enough behind to browse and compare offline.
async function cacheSnapshot() {
  const cache = await caches.open(dataCache);
  const resp = await fetch("/data/latest.json");
  if (!resp.ok) {
    return;
  }
  await cache.put("/data/latest.json", resp.clone());
  const ptr = await resp.json();
  if (typeof ptr.index !== "string" || !/^snapshots\/[0-9TZ-]+\/index\.json$/.test(ptr.index)) {
    return;
  }
  const index = await fetch("/data/" + ptr.index);
  if (index.ok) {
    await cache.put("/data/" + ptr.index, index);
  }
}

self.addEventListener("activate", (event) => {
  // Old shells go; the data and the visited pages stay for offline use.
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith("versus-shell-") && k !== shellCache)
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") {
    return;
  }
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname === "/data/latest.json") {
    // The pointer decides which snapshot is live: always ask the network.
    event.respondWith(networkFirst(req, dataCache));
  } else if (url.pathname.startsWith("/data/snapshots/")) {
    // Snapshot objects never change once written.
    event.respondWith(cacheFirst(req, dataCache));
  } else if (req.mode === "navigate") {
    // Pages are prerendered with the live data: network first; offline, the
    // page as last seen, else the app shell, which renders any route.
    event.respondWith(
      networkFirst(req, pageCache).catch(() =>
        caches.match("/", { cacheName: pageCache }).then((r) => r || caches.match("/"))
      )
    );
  } else {
    event.respondWith(caches.match(req).then((r) => r || fetch(req)));
  }
});

async function networkFirst(req, cacheName) {
  try {
    const resp = await fetch(req);
    if (resp.ok) {
      const cache = await caches.open(cacheName);
      await cache.put(req, resp.clone());
    }
    return resp;
  } catch (err) {
    const cached = await caches.match(req, { cacheName: cacheName });
    if (cached) {
      return cached;
    }
    throw err;
  }
}

async function cacheFirst(req, cacheName) {
  const cached = await caches.match(req, { cacheName: cacheName });
  if (cached) {
    return cached;
  }
  const resp = await fetch(req);
  if (resp.ok) {
    const cache = await caches.open(cacheName);
    await cache.put(req, resp.clone());
  }
  return resp;
}
