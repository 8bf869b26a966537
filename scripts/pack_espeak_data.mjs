// Packs an espeak-ng data folder into one file (format: src/phonemize/espeak_data_pack.h).
//   node scripts/pack_espeak_data.mjs <espeak-ng-data dir> <out.pack> <entry>...
// Each entry is a file or folder relative to the data dir (e.g. phontab lang/gmw/en-US).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dataDir, outFile, ...entries] = process.argv.slice(2);
if (!dataDir || !outFile || entries.length === 0) {
  console.error('usage: pack_espeak_data.mjs <data dir> <out.pack> <entry>...');
  process.exit(2);
}
const files = [];
const add = (rel) => {
  const abs = join(dataDir, rel);
  if (statSync(abs).isDirectory()) {
    for (const name of readdirSync(abs).sort()) add(`${rel}/${name}`);
  } else {
    files.push([rel, readFileSync(abs)]);
  }
};
entries.forEach(add);
const parts = [Buffer.from('AVESPK01'), u32(files.length)];
for (const [path, bytes] of files) {
  const p = Buffer.from(path, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16LE(p.length);
  parts.push(len, p, u32(bytes.length), bytes);
}
const pack = Buffer.concat(parts);
writeFileSync(outFile, pack);
console.log(`${outFile}: ${files.length} files, ${pack.length} bytes`);

function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
