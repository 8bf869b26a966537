// The built package in Node: wasm core loads, phonemizes like the native CLI, SQLite runs.
import { describe, expect, it, beforeAll } from 'vitest';

import { AvatarVoice, AvatarVoiceError } from '../../dist/index.js';
import { cliIpa, collapse, corpus } from './native_reference.js';

let av: AvatarVoice;
beforeAll(async () => {
  av = await AvatarVoice.create();
});

/** The CLI synthesizes while it prints, and its CalcPitches() adds a primary stress to the tonic
 *  word of some questions; Piper's path (and ours) never runs it. These sentences, and only these,
 *  differ from the CLI, and only by that stress mark. */
const CLI_SYNTHESIS_STRESS_ONLY = new Map([
  ["They're not coming to the party, are they?", 'ðˈeɪ: tag question'],
  ['Hmm?', 'hˈəm: one-word question'],
]);

/** Piper's phonemes as the CLI prints them: the clause terminators Piper restores (a mark followed
 *  by a space or the end) become the CLI's clause break; every other symbol, stress included,
 *  stays. NFC because the CLI prints composed text and Piper splits into NFD codepoints. */
function asCliPrints(sentences: Awaited<ReturnType<AvatarVoice['phonemize']>>): string {
  const joined = sentences.map((s) => s.phonemes.map((p) => p.phoneme).join('')).join(' ');
  return collapse(joined.normalize('NFC').replace(/[.,?!;:](?= |$)/g, ''));
}

const STRESS = /[ˈˌ]/g;

describe('wasm core', () => {
  it('reports versions compiled into it', () => {
    expect(av.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(av.info.espeakVersion).toBe('1.52.0');
  });

  it('phonemizes the corpus byte for byte like the native espeak-ng 1.52 CLI, but for the pinned sentences', async () => {
    const sentences = corpus();
    expect(sentences.length).toBe(240);
    let identical = 0;
    const mismatches: string[] = [];
    for (const text of sentences) {
      const ours = asCliPrints(await av.phonemize(text));
      const reference = cliIpa(text);
      if (CLI_SYNTHESIS_STRESS_ONLY.has(text)) {
        // Still differs (else the pin is stale), and by the stress mark alone.
        expect(ours, text).not.toBe(reference);
        expect(ours.replace(STRESS, ''), text).toBe(reference.replace(STRESS, ''));
      } else if (ours === reference) identical++;
      else mismatches.push(`${text}\n  ours: ${ours}\n  cli:  ${reference}`);
    }
    console.log(`[corpus] wasm vs native CLI: ${identical}/${sentences.length} identical`);
    expect(mismatches).toEqual([]);
    expect(identical).toBe(sentences.length - CLI_SYNTHESIS_STRESS_ONLY.size);
  }, 120_000);

  it('keeps Piper punctuation and sentence boundaries', async () => {
    const sentences = await av.phonemize('Hello, world. How are you?');
    expect(sentences).toHaveLength(2);
    const first = sentences[0]!.phonemes.map((p) => p.phoneme).join('');
    expect(first).toContain(', ');
    expect(first.endsWith('.')).toBe(true);
  });

  it('maps phonemes back to UTF-16 offsets of the input', async () => {
    const text = '😀 Café au lait, please.';
    const [sentence] = await av.phonemize(text);
    const words = new Set(sentence!.phonemes.map((p) => text.slice(p.textStart, p.textEnd)));
    expect(words).toContain('please.');
  });

  it('loads other languages as data packs, matching the native CLI', async () => {
    await expect(av.phonemize('Guten Morgen.', { voice: 'de' })).rejects.toMatchObject({
      code: 'LANGUAGE_UNAVAILABLE',
      message: expect.stringContaining('"de"'),
    });
    await av.loadLanguage('de');
    await av.loadLanguage('fr');
    const cases: [string, string][] = [
      ['de', 'Guten Morgen! Wie geht es Ihnen heute?'],
      ['de', 'Erzählen Sie mir von Ihrem letzten Projekt.'],
      ['fr', 'Bonjour, comment ça va? Très bien, merci.'],
    ];
    for (const [voice, text] of cases) {
      const ours = asCliPrints(await av.phonemize(text, { voice }));
      expect(ours, text).toBe(cliIpa(text, voice).normalize('NFC'));
    }
    // English is unaffected by the extra data.
    expect(asCliPrints(await av.phonemize('Hello again.'))).toBe(cliIpa('Hello again.'));
    await expect(av.loadLanguage('xx')).rejects.toMatchObject({ code: 'ASSET_LOAD' });
    await expect(av.loadLanguage('../en')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(av.loadLanguage('de', new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('runs SQLite inside the module', async () => {
    expect(await av.sqliteSelfCheck()).toEqual({ version: '3.53.2', sum: 42 });
  });

  it('rejects bad input with typed errors', async () => {
    await expect(av.phonemize('x'.repeat(11), { maxChars: 10 })).rejects.toMatchObject({
      code: 'TEXT_TOO_LONG',
    });
    const surrogate = av.phonemize('\ud800 lone surrogate');
    await expect(surrogate).rejects.toBeInstanceOf(AvatarVoiceError);
    await expect(surrogate).rejects.toMatchObject({ code: 'INVALID_UTF8', message: expect.stringContaining('index 0') });
    await expect(av.phonemize('hi', { voice: 'xx-nope' })).rejects.toMatchObject({
      code: 'LANGUAGE_UNAVAILABLE',
    });
    expect(await av.phonemize('')).toEqual([]);
  });

  it('survives random UTF-8 without crashing', async () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 300; i++) {
      const cps = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => {
        const r = rand();
        const cp = r < 0.5 ? 0x20 + Math.floor(rand() * 0x5f) : Math.floor(rand() * 0x10ffff);
        return cp >= 0xd800 && cp <= 0xdfff ? 0x41 : cp;
      });
      const text = String.fromCodePoint(...cps);
      const result = await av.phonemize(text);
      expect(Array.isArray(result)).toBe(true);
    }
  });
});
