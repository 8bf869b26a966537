// SSML through the package (issue #18), in Node with real espeak-ng and onnxruntime-web on the
// generated tiny voice. Oracles are independent of the SSML code: the same words as plain text
// (same phonemes, same model timing with noise off), hand-computed sample counts, and the
// markup's own character positions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AvatarVoiceError,
  type AvatarVoice,
  type SpeechChunk,
  type SynthesisResult,
  type Voice,
  toPollySpeechMarks,
} from '../../dist/index.js';
import { codeOf, tinyEngine } from './voices.js';

const QUIET = { noiseScale: 0, noiseW: 0 };
const SSML = { ...QUIET, ssml: true };

let av: AvatarVoice;
let voice: Voice;
beforeAll(async () => {
  ({ av, voice } = await tinyEngine());
}, 120_000);
afterAll(() => av?.dispose());

async function collect(source: AsyncIterable<SpeechChunk>): Promise<SpeechChunk[]> {
  const out: SpeechChunk[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

const phonemesOf = (r: SynthesisResult) => r.phonemes.map((p) => p.phoneme).join('');

/** Start sample of the first phoneme of the word at UTF-16 offset `at`. */
function wordStart(r: SynthesisResult, at: number): number {
  const p = r.phonemes.find((x) => x.textStart === at);
  if (!p) throw new Error(`no word at ${at}`);
  return p.startSample;
}

describe('SSML', () => {
  it('a <break> is silence exact to the sample between the sentences as plain text gives them', async () => {
    const rate = voice.sampleRate;
    const plainA = await voice.synthesize('Good morning.', QUIET);
    const plainB = await voice.synthesize('Tell me about yourself.', QUIET);
    const markup = '<speak>Good morning.<break time="750ms"/>Tell me about yourself.</speak>';
    const r = await voice.synthesize(markup, SSML);
    const pause = (750 * rate) / 1000; // 16537.5 at 22050 Hz: the core rounds to the nearest sample
    const pauseSamples = Math.round(pause);
    expect(r.samples.length).toBe(plainA.samples.length + pauseSamples + plainB.samples.length);
    const silence = r.samples.subarray(plainA.samples.length, plainA.samples.length + pauseSamples);
    expect(silence.every((s) => s === 0)).toBe(true);
    // The speech around it is the plain text's, sample for sample.
    expect(r.samples.subarray(0, plainA.samples.length)).toEqual(plainA.samples);
    expect(r.samples.subarray(plainA.samples.length + pauseSamples)).toEqual(plainB.samples);
    // Three spans: the sentences and the break, each pointing into the markup.
    expect(r.sentences.map((s) => markup.slice(s.textStart, s.textEnd))).toEqual([
      'Good morning.',
      '<break time="750ms"/>',
      'Tell me about yourself.',
    ]);
    expect(r.sentences[1]!.endSample - r.sentences[1]!.startSample).toBe(pauseSamples);
    expect(r.visemes.some((v) => v.viseme === 'sil' && v.startMs <= r.sentences[1]!.startMs && v.endMs >= r.sentences[1]!.endMs)).toBe(
      true,
    );
  });

  it('a <mark> fires at the first sample of the next word, where plain text puts that word', async () => {
    const plain = await voice.synthesize('Tell me about your last project.', QUIET);
    const markup = 'Tell me about <mark name="topic"/>your last project.<mark name="done"/>';
    const r = await voice.synthesize(markup, SSML);
    expect(r.samples).toEqual(plain.samples);
    expect(r.marks.map((m) => m.name)).toEqual(['topic', 'done']);
    // "your" in the plain text and in the markup.
    const inPlain = 'Tell me about '.length;
    const inMarkup = 'Tell me about <mark name="topic"/>'.length;
    expect(r.marks[0]!.sample).toBe(wordStart(plain, inPlain));
    expect(wordStart(r, inMarkup)).toBe(wordStart(plain, inPlain));
    expect(r.marks[0]!.textOffset).toBe(markup.indexOf('<mark'));
    expect(r.marks[0]!.ms).toBeCloseTo((r.marks[0]!.sample * 1000) / voice.sampleRate, 9);
    expect(r.marks[1]!.sample).toBe(r.samples.length);
  });

  it('Polly speech marks carry the marks as "ssml" marks and no sentence for a break', async () => {
    const markup = 'Hello.<break time="300ms"/>Tell me about <mark name="topic"/>your project.';
    const r = await voice.synthesize(markup, SSML);
    const polly = toPollySpeechMarks(r, markup);
    const start = markup.indexOf('<mark');
    expect(polly.filter((m) => m.type === 'ssml')).toEqual([
      { time: Math.round(r.marks[0]!.ms), type: 'ssml', start, end: start + '<mark name="topic"/>'.length, value: 'topic' },
    ]);
    expect(polly.filter((m) => m.type === 'sentence').map((m) => ('value' in m ? m.value : ''))).toEqual([
      'Hello.',
      'Tell me about <mark name="topic"/>your project.',
    ]);
  });

  it('streamed windows carry each mark once, at the same sample as synthesize()', async () => {
    const markup = 'One two three four <mark name="m"/>five six seven eight nine ten.';
    const whole = await voice.synthesize(markup, SSML);
    const chunks = await collect(voice.stream(markup, { ...SSML, chunking: 'window' }));
    const placed: number[] = [];
    let before = 0;
    for (const c of chunks) {
      for (const m of c.marks) placed.push(before + m.sample);
      before += c.samples.length;
    }
    expect(placed).toEqual([whole.marks[0]!.sample]);
  });

  it('<phoneme>, <sub> and <say-as> speak what plain text with the same words speaks', async () => {
    const cases: [string, string][] = [
      ['I said <phoneme alphabet="ipa" ph="həˈloʊ">hi</phoneme>.', 'I said [[həˈloʊ]].'],
      ['<sub alias="World Health Organization">WHO</sub> said so.', 'World Health Organization said so.'],
      ['Press <say-as interpret-as="digits">245</say-as>.', 'Press 2 4 5.'],
      ['Spell <say-as interpret-as="characters">abc</say-as>.', 'Spell A B C.'],
    ];
    for (const [markup, plain] of cases) {
      const r = await voice.synthesize(markup, SSML);
      const p = await voice.synthesize(plain, QUIET);
      expect(phonemesOf(r), markup).toBe(phonemesOf(p));
      expect(r.samples.length, markup).toBe(p.samples.length);
    }
  });

  it('the alias highlights the text it stands for', async () => {
    const markup = 'Ask the <sub alias="World Health Organization">WHO</sub>.';
    const r = await voice.synthesize(markup, SSML);
    const spans = [...new Set(r.phonemes.filter((p) => p.textStart >= 0).map((p) => markup.slice(p.textStart, p.textEnd)))];
    // Ask, the, then the alias's three words: "World", "Health" on WHO, and "Organization." on
    // WHO through the "." its word carries (espeak's words keep their punctuation).
    expect(spans).toEqual(['Ask', 'the', 'WHO', 'WHO</sub>.']);
  });

  it('<prosody rate> makes its sentence shorter or longer than the plain one', async () => {
    const plain = await voice.synthesize('Tell me about yourself.', QUIET);
    const fast = await voice.synthesize('<prosody rate="200%">Tell me about yourself.</prosody>', SSML);
    const slow = await voice.synthesize('<prosody rate="x-slow">Tell me about yourself.</prosody>', SSML);
    expect(phonemesOf(fast)).toBe(phonemesOf(plain));
    // Length scale ÷ 2 and ÷ 0.5: frames are ceil'd per id, so not exactly half and double.
    expect(fast.samples.length / plain.samples.length).toBeGreaterThan(0.4);
    expect(fast.samples.length / plain.samples.length).toBeLessThan(0.65);
    expect(slow.samples.length / plain.samples.length).toBeGreaterThan(1.8);
  });

  it('malformed markup rejects with INVALID_SSML and the UTF-16 offset of the problem', async () => {
    // "café" is 5 bytes of UTF-8 but 4 UTF-16 units: the offset is the caller's.
    const markup = 'Le café <s>est ouvert.';
    const error = await voice.synthesize(markup, SSML).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AvatarVoiceError);
    expect((error as AvatarVoiceError).code).toBe('INVALID_SSML');
    expect((error as AvatarVoiceError).offset).toBe(markup.indexOf('<s>'));
    // Without ssml the same text is plain text.
    await expect(voice.synthesize(markup, QUIET)).resolves.toBeDefined();
  });

  it('unknown elements are spoken as their content, with a warning', async () => {
    const r = await voice.synthesize('I am <emphasis>really</emphasis> sure.', SSML);
    const p = await voice.synthesize('I am really sure.', QUIET);
    expect(phonemesOf(r)).toBe(phonemesOf(p));
    expect(r.warnings.some((w) => w.includes('emphasis'))).toBe(true);
  });

  it('plain text with < is unaffected when ssml is off, and SSML needs the whole text', async () => {
    const r = await voice.synthesize('Is 3 < 4? Yes.', QUIET);
    expect(r.sentences.length).toBe(2);
    async function* pieces() {
      yield '<speak>Hi';
      yield '</speak>';
    }
    expect(await codeOf(collect(voice.stream(pieces(), SSML)))).toBe('INVALID_ARGUMENT');
  });
});
