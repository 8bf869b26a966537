// Test only: the package's worker with refusing_idb_hook.js in front of it (see there). Used by
// store_quota.browser.test.ts: Chromium's quota override does not reach IndexedDB.
import './refusing_idb_hook.js';
import '/dist/worker.js';
