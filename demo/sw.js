// Service worker: keeps the app shell and the avatar-voice package (JS, core wasm, espeak data,
// onnxruntime files) in Cache Storage, so after one visit the page loads with no network.
// Voices are not its business: the package keeps them in OPFS.
//
// Strategy: network first (a rebuilt package or an edited page shows up on the next reload),
// the cache when the network fails. Everything it serves while online is refreshed in the cache.
//
// Scope: a worker at /demo/sw.js may only control /demo/, and the package lives at /dist/. Pages
// are fine (a controlled page's requests all come here), but the package's own Web Worker and
// onnxruntime's thread workers are clients of their own, controlled only if their URL is in scope.
// So the package is also served under /demo/pkg/ (a mirror of the real folder, passed as ?pkg=),
// and main.js starts the engine worker from there. Served with `Service-Worker-Allowed: /`
// and registered with scope "/", the mirror is simply not needed.

//
// Security: the mirror serves a response under this origin, so whatever it fetched runs as the
// demo (with its OPFS data). It therefore serves only the package's own files, named by
// PACKAGE_FILE, from the same-origin package folder; every other /demo/pkg/ URL (another host,
// "//host", "http://", "%2F", "\\", "..") and every navigation gets a 404 from here.

// v2: v1 could hold foreign responses put there by the unrestricted mirror; activate drops it.
const CACHE = 'avatar-voice-demo-v2';
const HERE = new URL('./', self.location.href);
const PKG = packageFolder(new URL(self.location.href).searchParams.get('pkg'));
const MIRROR = new URL('pkg/', HERE);
// The package's files, relative to its folder: entry points, esbuild's hashed chunks, the core and
// its espeak-ng data packs, onnxruntime's glue and binary. Nothing else is ever mirrored.
const PACKAGE_FILE =
  /^(?:index\.js|worker\.js|chunk-[A-Za-z0-9_-]{1,32}\.js|core\/avatar-voice-core\.(?:mjs|wasm)|core\/espeak-ng-data-[a-z]{2,3}\.pack|ort\/ort-wasm-simd-threaded(?:\.jsep)?\.(?:mjs|wasm))$/;

/** `?pkg=` (set by offline_support.js) when it is a plain same-origin folder path, else ../dist/. */
function packageFolder(param) {
  const fallback = new URL('../dist/', self.location.href);
  if (param === null || !/^\/[A-Za-z0-9._~/-]*\/$/.test(param) || param.includes('//')) return fallback;
  const url = new URL(param, self.location.origin);
  return url.origin === self.location.origin && url.pathname === param ? url : fallback;
}

// The one query a package file may carry: the package asks for onnxruntime's files by release
// (`?v=1.30.0`), so that they can be served immutable.
const PACKAGE_QUERY = /^(?:\?v=[0-9A-Za-z._-]{1,32})?$/;

/** The same-origin package URL a mirror path stands for, or null when it is not a package file. */
function mirroredFile(url) {
  const rest = url.pathname.slice(MIRROR.pathname.length);
  if (!PACKAGE_QUERY.test(url.search) || !PACKAGE_FILE.test(rest)) return null;
  const real = new URL(rest, PKG);
  real.search = url.search;
  return real.origin === self.location.origin && real.href.startsWith(PKG.href) ? real : null;
}

function notFound() {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}

const SHELL = [
  './',
  'index.html',
  'demo.css',
  'main.js',
  'app/app_state.js',
  'app/arkit_face.js',
  'app/avatar_face.js',
  'app/avatar_studio.js',
  'app/avatar_styles.js',
  'app/catalog_view.js',
  'app/data_backup.js',
  'app/element.js',
  'app/emotions.js',
  'app/face_animator.js',
  'app/format.js',
  'app/history_view.js',
  'app/interview_run.js',
  'app/interview_view.js',
  'app/offline_support.js',
  'app/question_sets.js',
  'app/records.js',
  'app/session_details.js',
  'app/speak_view.js',
  'app/speech_export.js',
  'app/speech_playback.js',
  'app/spoken_line.js',
  'app/stage.js',
  'app/stats_view.js',
  'app/status.js',
  'app/tabs.js',
  'app/timeline_strip.js',
  'app/typed_text.js',
  'app/viseme_shapes.js',
  'app/voice_library.js',
  'app/voice_sources.js',
].map((path) => new URL(path, HERE).href);

// Entry points of the package; the JS chunks they import are found by following their imports.
const PACKAGE = [
  'index.js',
  'worker.js',
  'core/avatar-voice-core.mjs',
  'core/avatar-voice-core.wasm',
  'core/espeak-ng-data-en.pack',
  'ort/ort-wasm-simd-threaded.mjs',
  'ort/ort-wasm-simd-threaded.wasm',
].map((path) => new URL(path, PKG).href);

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('avatar-voice-demo-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  url.hash = '';
  if (url.pathname.startsWith(MIRROR.pathname)) {
    // A page is never a package file: a navigation here could only be someone else's document.
    const real = request.mode === 'navigate' ? null : mirroredFile(url);
    event.respondWith(real ? mirror(real.href) : notFound());
  } else if (url.href.startsWith(PKG.href) || url.href.startsWith(HERE.href)) {
    if (url.pathname.endsWith('/sw.js')) return;
    event.respondWith(networkFirst(url.href, cacheKey(url)));
  }
});

// Clients ask what is cached (the Storage view shows it).
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache-summary') return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      let bytes = 0;
      const keys = await cache.keys();
      for (const key of keys) bytes += Number((await cache.match(key))?.headers.get('content-length')) || 0;
      event.source?.postMessage({ type: 'cache-summary', files: keys.length, bytes, cache: CACHE });
    })(),
  );
});

function cacheKey(url) {
  const key = new URL(url.href);
  key.search = '';
  if (key.href === HERE.href) key.pathname += 'index.html';
  return key.href;
}

/** The network's answer (kept in the cache under `key`), or the cached one when there is no network. */
async function networkFirst(href, key = cacheKey(new URL(href))) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(href, { cache: 'no-cache' });
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    return new Response(`offline and not cached: ${href} (${error.message})`, { status: 503, headers: { 'content-type': 'text/plain' } });
  }
}

// A fresh Response (not the fetched one) so that the module's URL, and with it import.meta.url and
// every URL the package derives from it, stays under the mirror, inside this worker's scope.
async function mirror(href) {
  const response = await networkFirst(href);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function precache() {
  const cache = await caches.open(CACHE);
  const seen = new Set();
  const queue = [...SHELL, ...PACKAGE];
  while (queue.length) {
    const href = queue.shift();
    if (seen.has(href)) continue;
    seen.add(href);
    const response = await fetch(href, { cache: 'no-cache' });
    if (!response.ok) {
      // The shell and the package's entry points must be there; anything else is best effort.
      if (SHELL.includes(href) || PACKAGE.slice(0, 2).includes(href)) throw new Error(`precache: ${href} answered ${response.status}`);
      continue;
    }
    await cache.put(cacheKey(new URL(href)), response.clone());
    if (/\.m?js$/.test(href)) for (const dep of relativeImports(await response.text(), href)) queue.push(dep);
  }
}

/** `import … from "./x.js"`, `import "./x.js"` and `import("./x.js")` with a relative specifier. */
function relativeImports(source, base) {
  const found = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of source.matchAll(pattern)) found.push(new URL(match[1], base).href);
  return found;
}
