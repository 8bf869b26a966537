// The onnxruntime-web release installed from package-lock.json: what the package's `?v=` URLs for
// ORT's files must carry (web/assets.ts ORT_VERSION; tests/js/ort_files.test.ts ties the two).
// Read from the installed package, so a version bump needs no test edits.
import { readFileSync } from 'node:fs';

export const INSTALLED_ORT_RELEASE: string = JSON.parse(
  readFileSync(new URL('../node_modules/onnxruntime-web/package.json', import.meta.url), 'utf8'),
).version;
