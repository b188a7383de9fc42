// versus service worker: the app shell is cached per version, the snapshot
// by name, visited pages per snapshot; only the live snapshot and the one
// before it are kept. Written as a text/template: go-app fills in Version
// and ResourcesToCache.
const version = "{{.Version}}";
const shellCache = "versus-shell-" + version;
const dataCache = "versus-data";
const pagePrefix = "versus-pages-"; // + the id of the snapshot live when the page was stored
const resourcesToCache = {{.ResourcesToCache}};
const idPattern = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}Z$/;

self.addEventListener("install", (event) => {
  // cache: "reload" goes past the HTTP cache, which may still hold the
  // files of the previous version (a bucket serves max-age=3600).
  event.waitUntil(
    caches
      .open(shellCache)
      .then((cache) => cache.addAll(resourcesToCache.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => cacheSnapshot().catch(() => {}))
      .then(() => self.skipWaiting())
  );
});

// cacheSnapshot keeps the live pointer and index, so that the first visit
// already leaves enough behind to browse and compare offline.
async function cacheSnapshot() {
  const cache = await caches.open(dataCache);
  const resp = await fetch("/data/latest.json", { cache: "no-store" });
  if (!resp.ok) {
    return;
  }
  await cache.put("/data/latest.json", resp.clone());
  const ptr = await resp.json();
  // The index the app reads: the binary one when the pointer names it.
  const name = typeof ptr.index_bin === "string" ? ptr.index_bin : ptr.index;
  if (typeof name !== "string" || !/^snapshots\/[0-9TZ-]+\/index\.(json|bin)$/.test(name)) {
    return;
  }
  const index = await fetch("/data/" + name);
  if (index.ok) {
    await cache.put("/data/" + name, index);
  }
  await prune(ptr.id);
}

self.addEventListener("activate", (event) => {
  // Old shells go, and the page cache of versions that kept one for all
  // snapshots; the data and the visited pages stay for offline use.
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => (k.startsWith("versus-shell-") && k !== shellCache) || k === "versus-pages")
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
    // The pointer decides which snapshot is live: always ask the network,
    // then let go of the snapshots older than the one before it.
    event.respondWith(
      networkFirst(req, dataCache).then((resp) => {
        event.waitUntil(
          resp
            .clone()
            .json()
            .then((ptr) => prune(ptr.id))
            .catch(() => {})
        );
        return resp;
      })
    );
  } else if (url.pathname.startsWith("/data/snapshots/")) {
    // Snapshot objects never change once written.
    event.respondWith(cacheFirst(req, dataCache));
  } else if (req.mode === "navigate") {
    // Pages are prerendered with the live data: network first; offline, the
    // page as last seen, else the app shell, which renders any route.
    event.respondWith(
      liveID()
        .then((id) => networkFirst(req, pagePrefix + (id || "unknown"), cachedPage))
        .catch(() => cachedPage("/").then((r) => r || caches.match("/")))
    );
  } else {
    event.respondWith(caches.match(req).then((r) => r || fetch(req)));
  }
});

// liveID is the id of the snapshot in the cached pointer, or "".
async function liveID() {
  const resp = await caches.match("/data/latest.json", { cacheName: dataCache });
  if (!resp) {
    return "";
  }
  try {
    const ptr = await resp.json();
    return idPattern.test(ptr.id) ? ptr.id : "";
  } catch (err) {
    return "";
  }
}

// cachedPage is the newest stored copy of a page.
async function cachedPage(req) {
  const names = (await caches.keys()).filter((k) => k.startsWith(pagePrefix)).sort().reverse();
  for (const name of names) {
    const resp = await caches.match(req, { cacheName: name });
    if (resp) {
      return resp;
    }
  }
  return undefined;
}

// prune keeps the snapshot objects and pages of the live snapshot and of the
// newest one before it, and deletes the rest. Ids sort by time.
async function prune(live) {
  if (!idPattern.test(live)) {
    return;
  }
  const data = await caches.open(dataCache);
  const requests = await data.keys();
  const idOf = (req) => (/^\/data\/snapshots\/([^/]+)\//.exec(new URL(req.url).pathname) || [])[1] || "";
  const pageCaches = (await caches.keys()).filter((k) => k.startsWith(pagePrefix));
  const ids = requests.map(idOf).concat(pageCaches.map((k) => k.slice(pagePrefix.length)));
  const older = ids.filter((id) => idPattern.test(id) && id < live).sort();
  const keep = new Set([live, older[older.length - 1]]);
  await Promise.all(
    requests.filter((req) => idOf(req) !== "" && !keep.has(idOf(req))).map((req) => data.delete(req))
  );
  await Promise.all(
    pageCaches.filter((k) => !keep.has(k.slice(pagePrefix.length))).map((k) => caches.delete(k))
  );
}

async function networkFirst(req, cacheName, fallback) {
  try {
    const resp = await fetch(req);
    if (resp.ok) {
      const cache = await caches.open(cacheName);
      await cache.put(req, resp.clone());
    }
    return resp;
  } catch (err) {
    const cached = await (fallback ? fallback(req) : caches.match(req, { cacheName: cacheName }));
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
