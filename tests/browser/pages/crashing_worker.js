// Test only: the package's worker with crash_hook.js in front of it (see there).
import './crash_hook.js';
import '/dist/worker.js';
