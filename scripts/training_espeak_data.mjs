// Writes the espeak-ng data every published Piper voice was trained with: the compiled data of
// rhasspy's espeak-ng fork that piper-phonemize builds, as shipped in the npm package
// @diffusionstudio/piper-wasm@1.0.0 (piper_phonemize.data, an Emscripten file package whose file
// table is in piper_phonemize.js). Both files are checked against the hashes below before a byte
// is used, so a different tarball can never slip in.
//   node scripts/training_espeak_data.mjs <package build dir> <out espeak-ng-data dir> <lang>...
// Writes phontab, phonindex, phondata, intonations, lang/ (every voice file) and <lang>_dict for
// each language named.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PINNED = {
  'piper_phonemize.data': '29f1025eb23a5b5c192cd14a6efbce4509402ff265405072ee6f7d1a09b78f8c',
  'piper_phonemize.js': 'fef0c2fc442d24fdef5c7c7cc37d5da2314407640fe11ab1bfe347c723dff19b',
};
const SHARED = ['phontab', 'phonindex', 'phondata', 'intonations'];

const [packageDir, outDir, ...languages] = process.argv.slice(2);
if (!packageDir || !outDir || languages.length === 0) {
  console.error('usage: training_espeak_data.mjs <package build dir> <out espeak-ng-data dir> <lang>...');
  process.exit(2);
}

function pinned(name) {
  const bytes = readFileSync(join(packageDir, name));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== PINNED[name]) {
    console.error(`${name}: sha256 ${sha}, expected ${PINNED[name]} (not @diffusionstudio/piper-wasm@1.0.0)`);
    process.exit(1);
  }
  return bytes;
}

const data = pinned('piper_phonemize.data');
const glue = pinned('piper_phonemize.js').toString('utf8');
const table = /loadPackage\((\{"files":\[.*?\]).*?\}\)/s.exec(glue);
if (!table) {
  console.error('piper_phonemize.js: no file table (loadPackage({"files": …}))');
  process.exit(1);
}
const files = JSON.parse(`${table[1]}}`).files;
const wanted = (path) => SHARED.includes(path) || path.startsWith('lang/') || languages.some((l) => path === `${l}_dict`);
let written = 0;
for (const { filename, start, end } of files) {
  const path = filename.replace(/^\/espeak-ng-data\//, '');
  if (path === filename || !wanted(path)) continue;
  const target = join(outDir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, data.subarray(start, end));
  written++;
}
for (const name of [...SHARED, ...languages.map((l) => `${l}_dict`)]) {
  if (!files.some((f) => f.filename === `/espeak-ng-data/${name}`)) {
    console.error(`the training data has no ${name}`);
    process.exit(1);
  }
}
console.log(`training espeak-ng data: ${written} files into ${outDir}`);
