// Registers the service worker (sw.js) and tells the engine where to start its worker so that it,
// too, is served from the cache when offline. Also keeps the header's offline badge current.
import { byId } from './element.js';

/**
 * Resolves with `{ workerUrl, state }`: `workerUrl` is undefined when the package's own location
 * is fine (no service worker, or one whose scope covers the package).
 */
export async function setUpOffline() {
  const packageUrl = new URL('./', import.meta.resolve('avatar-voice'));
  if (!('serviceWorker' in navigator)) {
    showBadge('unsupported');
    return { workerUrl: undefined, state: 'unsupported' };
  }
  const scope = new URL('../', import.meta.url);
  let registration;
  try {
    registration = await navigator.serviceWorker.register(
      new URL(`../sw.js?pkg=${encodeURIComponent(packageUrl.pathname)}`, import.meta.url),
      { scope: scope.pathname },
    );
  } catch (error) {
    console.warn('service worker registration failed', error);
    showBadge('unsupported');
    return { workerUrl: undefined, state: 'unsupported' };
  }
  // First visit: nothing controls this page yet, so the engine starts from the package's own
  // folder while the service worker precaches in the background; from the next visit on, it starts
  // from the mirror. (Waiting for the worker here would only delay the first start.)
  const controlled = Boolean(navigator.serviceWorker.controller);
  const covered = packageUrl.href.startsWith(registration.scope);
  const workerUrl = controlled && !covered ? new URL('pkg/worker.js', registration.scope) : undefined;
  let state = controlled ? 'ready' : 'installing';
  showBadge(state);
  addEventListener('online', () => showBadge(state));
  addEventListener('offline', () => showBadge(state));
  // Claimed once everything is precached: from then on the page works offline.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    state = 'ready';
    showBadge(state);
  });
  return { workerUrl, state };
}

function showBadge(state) {
  const badge = byId('offline-badge');
  const online = navigator.onLine;
  const text = {
    ready: online ? 'Works offline' : 'Offline: running from cache',
    installing: 'Preparing offline use…',
    unsupported: 'No offline support in this browser',
  }[state];
  badge.textContent = text;
  badge.className = `badge ${state === 'ready' ? (online ? 'badge-ok' : 'badge-warn') : 'badge-muted'}`;
}

/** What the service worker has cached: `{ files, bytes }`, or null without one. */
export function cacheSummary() {
  const controller = navigator.serviceWorker?.controller;
  if (!controller) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onMessage = (event) => {
      if (event.data?.type !== 'cache-summary') return;
      navigator.serviceWorker.removeEventListener('message', onMessage);
      resolve(event.data);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    controller.postMessage({ type: 'cache-summary' });
    setTimeout(() => resolve(null), 3000);
  });
}
