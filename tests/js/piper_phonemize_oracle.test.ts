/**
 * Phonemes and ids against piper-phonemize itself: the program every published Piper voice was
 * trained with (rhasspy's espeak-ng fork), as the npm package @diffusionstudio/piper-wasm@1.0.0
 * builds it (a devDependency, never shipped). The oracle is independent of our code: its own
 * espeak-ng build, its own sentence grouping and its own id map.
 *
 * Every sentence group must come out identical, phonemes and ids (sentence by sentence), unless
 * it is in KNOWN_DIFFERENCES with its cause; a listed text that no longer differs fails too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AvatarVoice, LANGUAGE_PACKS } from '../../dist/index.js';
import { tinyEngine, voiceFiles } from './voices.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ORACLE_DIR = join(ROOT, 'node_modules/@diffusionstudio/piper-wasm/build');

const ORACLE_FIXTURES = join(ROOT, 'tests/fixtures/oracle');

// Sentence groups that may differ, with their cause: `oracle/LANG.differences.tsv`, one
// "text<TAB>cause" per line. A listed text that matches after all fails the test too.
const KNOWN_DIFFERENCES = new Map<string, string>(
  readdirSync(ORACLE_FIXTURES)
    .filter((f) => f.endsWith('.differences.tsv'))
    .flatMap((f) =>
      readFileSync(join(ORACLE_FIXTURES, f), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split('\t') as [string, string]),
    ),
);

interface OracleSentence {
  phonemes: string[];
  phoneme_ids: number[];
}
type OracleModule = { callMain(args: string[]): number };
type OracleFactory = (options: object) => Promise<OracleModule>;

const createOracle = createRequire(import.meta.url)(join(ORACLE_DIR, 'piper_phonemize.js')) as OracleFactory;
let printed = '';
let printedErr = '';
let oracle: OracleModule;
let calls = 0;

async function freshOracle(): Promise<void> {
  oracle = await createOracle({
    print: (line: string) => {
      printed += `${line}\n`;
    },
    printErr: (line: string) => {
      printedErr += `${line}\n`;
    },
    locateFile: (file: string) => join(ORACLE_DIR, file),
    noInitialRun: true,
  });
}

/**
 * piper-phonemize's sentences for `text`. Its wasm cannot grow memory: a fresh module every 10
 * calls, and one more try in a fresh module when a call aborts (its 16 MB run out, e.g. after a
 * Russian sentence loaded the English dictionary beside Russian's for a Latin-script word).
 */
async function oracleSentences(text: string, voice: string): Promise<OracleSentence[]> {
  if (calls++ % 10 === 0) await freshOracle();
  for (let attempt = 0; ; attempt++) {
    printed = '';
    printedErr = '';
    try {
      oracle.callMain(['-l', voice, '--input', JSON.stringify([{ text }]), '--espeak_data', '/espeak-ng-data']);
      break;
    } catch (error) {
      if (attempt > 0) throw error;
      await freshOracle();
    }
  }
  const results = printed
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as OracleSentence);
  if (results.length) return results;
  // A phoneme without an id (Latvian's affricates t͡s, t͡ʃ carry the tie bar U+0361, which Piper's
  // map lacks) makes the CLI print its result to stderr instead, after "Missing phoneme: ͡ for: ",
  // and exit 1. The result is the same JSON (ids without the missing phoneme, as Piper trains).
  return printedErr
    .split('\n')
    .filter((line) => line.startsWith('Missing phoneme') && line.includes(' for: {'))
    .map((line) => JSON.parse(line.slice(line.indexOf(' for: {') + ' for: '.length)) as OracleSentence);
}

/** Piper ids of several sentences → one id list per sentence (each ends with $ = 2). */
function splitSentences(ids: number[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  for (const id of ids) {
    current.push(id);
    if (id === 2) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

function lines(file: string): string[] {
  return readFileSync(join(ROOT, 'tests/fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}

let av: AvatarVoice;
beforeAll(async () => {
  ({ av } = await tinyEngine());
}, 120_000);
afterAll(async () => av?.dispose());

/** Our phonemes and ids against the oracle's for `texts` in espeak voice `voice`. */
async function compareWithOracle(texts: string[], voice: string): Promise<void> {
  const config = JSON.stringify({ ...JSON.parse(voiceFiles('test-tiny').config), espeak: { voice } });
  const unexplained: string[] = [];
  const differing = new Set<string>();
  let identical = 0;
  for (const text of texts) {
    const theirs = await oracleSentences(text, voice);
    const ours = await av.phonemizeToIds(text, config);
    // The CLI prints one line per input: its sentences' phonemes run together and their ids
    // follow each other (each sentence ^ _ … $). Sentences without phonemes (^ _ $ alone) have
    // nothing to speak and are dropped by our phonemizer by design.
    const theirIds = theirs
      .flatMap((t) => splitSentences(t.phoneme_ids))
      .filter((ids) => ids.length > 3)
      .map((ids) => ids.join());
    const theirPhonemes = theirs.map((t) => t.phonemes.join('')).join('');
    const same =
      ours.map((s) => s.ids.join()).join(' | ') === theirIds.join(' | ') && ours.map((s) => s.phonemes.join('')).join('') === theirPhonemes;
    if (same) identical++;
    else {
      differing.add(text);
      if (!KNOWN_DIFFERENCES.has(text))
        unexplained.push(
          `${text}\n  ours:   ${ours.map((s) => s.phonemes.join('')).join(' | ')}\n  theirs: ${theirs.map((s) => s.phonemes.join('')).join(' | ')}`,
        );
    }
  }
  console.log(
    `[oracle] ${voice}: ${identical}/${texts.length} identical to piper-phonemize; ${differing.size - unexplained.length} documented differences`,
  );
  expect(unexplained).toEqual([]);
  expect([...KNOWN_DIFFERENCES.keys()].filter((t) => texts.includes(t) && !differing.has(t))).toEqual([]);
}

describe('piper-phonemize (the training phonemizer) as the oracle', () => {
  it('en-us: the corpus and the extra text classes give the same phonemes and ids, sentence by sentence', async () => {
    const texts = [...lines('english_corpus.txt'), ...lines('english_oracle_extra.txt')];
    expect(texts.length).toBeGreaterThan(250);
    await compareWithOracle(texts, 'en-us');
  }, 600_000);

  // Interview sentences written for each language (tests/fixtures/oracle/VOICE.txt, named by the
  // espeak voice; its pack is the greeting table's, else the voice's own name).
  const greetings = lines('oracle/greetings.txt').map((l) => l.split('\t') as [string, string, string]);
  const packOf = (voice: string) => greetings.find(([, v]) => v === voice)?.[0] ?? voice;
  const sentenceFiles = readdirSync(ORACLE_FIXTURES)
    .filter((f) => /^[a-z-]+\.txt$/.test(f) && f !== 'greetings.txt')
    .map((f) => f.slice(0, -'.txt'.length));
  it('has a sentence file for every shipped language pack', () => {
    const covered = new Set(sentenceFiles.map(packOf));
    expect(LANGUAGE_PACKS.filter((pack) => !covered.has(pack))).toEqual([]);
  });

  it.each(sentenceFiles)(
    '%s: interview sentences with numbers, dates and abbreviations match too',
    async (voice) => {
      await av.loadLanguage(packOf(voice));
      const texts = lines(`oracle/${voice}.txt`);
      expect(texts.length).toBeGreaterThanOrEqual(50);
      await compareWithOracle(texts, voice);
    },
    300_000,
  );

  // Every further pack (a Piper voice speaks each language): one greeting each, loaded the way
  // loadVoice loads a voice's pack (the voice's espeak name → its dictionary).
  it.each(greetings)(
    '%s pack (espeak voice %s): a greeting matches',
    async (pack, voice, text) => {
      await av.loadLanguage(pack);
      await compareWithOracle([text], voice);
    },
    120_000,
  );
});
