// The native espeak-ng 1.52 CLI built from the same source (build/native), used as the reference.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dataRoot = `${root}build/native/espeak-data`;
const cli = `${root}build/native/espeak-ng`;

export function cliIpa(text: string, voice = 'en-us'): string {
  const out = execFileSync(cli, ['-q', '--ipa', '-v', voice], {
    input: text,
    env: { ...process.env, ESPEAK_DATA_PATH: dataRoot },
    encoding: 'utf8',
  });
  return collapse(out);
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function corpus(): string[] {
  return readFileSync(`${root}tests/fixtures/english_corpus.txt`, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}
