// Test only (lifecycle.browser.test.ts): makes the worker crash like a wasm trap would, with an
// uncaught error and no answer, when a call's arguments contain "CRASH-NOW". Imported before the
// package's worker so this listener runs before Comlink's and can keep the call from it.
addEventListener('message', (event) => {
  if (!JSON.stringify(event.data ?? null).includes('CRASH-NOW')) return;
  event.stopImmediatePropagation();
  setTimeout(() => {
    throw new Error('simulated worker crash');
  });
});
