// Phonemizer details the corpus test does not reach: the es/it/pt data packs, espeak's
// language-switch flags that Piper strips, the ":" / ";" clause terminators, and loadVoice
// installing the pack a voice's espeak.voice needs. The reference
// is the native espeak-ng 1.52 CLI built from the same source (build/native).
import { beforeAll, describe, expect, it } from 'vitest';

import { AvatarVoice } from '../../dist/index.js';
import { cliIpa } from './native_reference.js';
import { voiceFiles } from './voices.js';

let av: AvatarVoice;
beforeAll(async () => {
  av = await AvatarVoice.create();
});

/** One sentence's Piper phonemes joined into a string (NFD, one codepoint per phoneme). */
async function piperString(text: string, voice: string): Promise<string> {
  const sentences = await av.phonemize(text, { voice });
  expect(sentences, text).toHaveLength(1);
  return sentences[0]!.phonemes.map((p) => p.phoneme).join('');
}

/**
 * What Piper feeds the voice for a one-clause declarative sentence: the CLI's phonemes, the
 * terminator appended, NFD-decomposed. (Declaratives: the CLI adds synthesis-time stress to
 * questions that Piper's path never sees.)
 */
function expectedFromCli(text: string, voice: string, terminator = '.'): string {
  return (cliIpa(text, voice) + terminator).normalize('NFD');
}

describe('language packs', () => {
  it.each([
    ['es', 'Mañana vamos a la playa con mis amigos.'],
    ['it', 'Domani andiamo al mare con gli amici.'],
    ['pt', 'Amanhã vamos à praia com os nossos amigos.'],
  ])('%s: unavailable before loadLanguage, then identical to the native CLI', async (voice, text) => {
    await expect(av.phonemize(text, { voice })).rejects.toMatchObject({ code: 'LANGUAGE_UNAVAILABLE' });
    await av.loadLanguage(voice);
    expect(await piperString(text, voice)).toBe(expectedFromCli(text, voice));
  });

  it('drops the (xx) language-switch flags espeak puts around foreign words', async () => {
    await av.loadLanguage('it');
    await av.loadLanguage('de');
    for (const [voice, text] of [
      ['it', 'Ho comprato un computer e uso Facebook.'],
      ['de', 'Das ist ein Meeting mit dem Team.'],
    ] as const) {
      const raw = cliIpa(text, voice);
      // The CLI shows the flags, e.g. "(en)fˈeɪsbʊk(it)": without them this test would prove nothing.
      expect(raw, text).toMatch(/\(en\)/);
      const stripped = raw.replace(/\([a-z-]+\)/g, '');
      expect(await piperString(text, voice)).toBe(`${stripped}.`.normalize('NFD'));
    }
  });
});

describe('clause terminators', () => {
  it('keep ":" and ";" as phonemes followed by a space, inside one sentence', async () => {
    const text = 'Note: this is it; really.';
    const ours = await piperString(text, 'en-us');
    // Hand-checked. The CLI prints the clauses on their own lines, and while synthesizing it
    // stresses the clause-final "it" (CalcPitches: "ˈɪt"), which Piper's path never runs.
    expect(ours).toBe('nˈoʊt: ðɪs ɪz ɪt; ɹˈiəli.');
    const [note, middle, really] = ['Note', 'this is it', 'really'].map((c) => cliIpa(`${c};`, 'en-us'));
    const unstressed = (s: string) => s.replace(/[ˈˌ]/g, '');
    expect(unstressed(ours)).toBe(unstressed(`${note}: ${middle}; ${really}.`));
    // A comma does the same; a sentence end does not add a space and starts a new sentence.
    const comma = await av.phonemize('Note, really. Note!');
    expect(comma.map((s) => s.phonemes.map((p) => p.phoneme).join(''))).toEqual(['nˈoʊt, ɹˈiəli.', 'nˈoʊt!']);
  });
});

describe('loadVoice and language packs', () => {
  /** The tiny test voice with its config's espeak.voice replaced. */
  function voiceSpeaking(espeakVoice: string): { model: Uint8Array; config: string } {
    const files = voiceFiles('test-tiny');
    const config = JSON.parse(files.config);
    config.espeak = { ...config.espeak, voice: espeakVoice };
    return { model: files.model, config: JSON.stringify(config) };
  }

  it("installs the pack of the voice's espeak.voice", async () => {
    const fresh = await AvatarVoice.create();
    try {
      await expect(fresh.phonemize('Guten Morgen.', { voice: 'de' })).rejects.toMatchObject({ code: 'LANGUAGE_UNAVAILABLE' });
      const voice = await fresh.loadVoice(voiceSpeaking('de'));
      expect(voice.info.espeakVoice).toBe('de');
      expect(await piperStringOf(fresh, 'Guten Morgen.', 'de')).toBe(expectedFromCli('Guten Morgen.', 'de'));
      expect((await voice.synthesize('Guten Morgen.', { noiseW: 0 })).samples.length).toBeGreaterThan(0);
      // A regional voice of a language that is already there needs nothing more.
      const swiss = await fresh.loadVoice(voiceSpeaking('de-ch'));
      await swiss.dispose();
      await voice.dispose();
    } finally {
      await fresh.dispose();
    }
  });

  it('installs the pack of a voice whose dictionary has another name (nb → no)', async () => {
    const fresh = await AvatarVoice.create();
    try {
      await expect(fresh.phonemize('God morgen.', { voice: 'nb' })).rejects.toMatchObject({ code: 'LANGUAGE_UNAVAILABLE' });
      const voice = await fresh.loadVoice(voiceSpeaking('nb'));
      expect(await piperStringOf(fresh, 'God morgen.', 'nb')).toBe(expectedFromCli('God morgen.', 'nb'));
      await voice.dispose();
    } finally {
      await fresh.dispose();
    }
  });

  it('refuses a voice whose language no pack has with LANGUAGE_UNAVAILABLE', async () => {
    const fresh = await AvatarVoice.create();
    try {
      await expect(fresh.loadVoice(voiceSpeaking('tlh'))).rejects.toMatchObject({
        code: 'LANGUAGE_UNAVAILABLE',
        message: expect.stringContaining('"tlh"'),
      });
      // English needs no pack.
      await (await fresh.loadVoice(voiceSpeaking('en-gb'))).dispose();
    } finally {
      await fresh.dispose();
    }
  });
});

async function piperStringOf(engine: AvatarVoice, text: string, voice: string): Promise<string> {
  const sentences = await engine.phonemize(text, { voice });
  return sentences.map((s) => s.phonemes.map((p) => p.phoneme).join('')).join(' ');
}
