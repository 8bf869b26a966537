// The avatar output formats (web/formats/): golden examples computed by hand, then properties over
// real speech from the generated tiny voice (times monotone and inside the audio, offsets valid in
// the source text), checked against the text itself rather than against the package's own rules.
import { beforeAll, describe, expect, it } from 'vitest';

import {
  ARKIT_SPEECH_SHAPES,
  type SynthesisResult,
  type TimedPhoneme,
  type VisemeEvent,
  type Voice,
  toArkitFrames,
  toAzureVisemeEvents,
  toJsonLines,
  toPcm16,
  toPollySpeechMarks,
  toTalkingHead,
} from '../../dist/index.js';
import { tinyEngine } from './voices.js';

// A hand-made utterance at 1000 Hz (one sample = one millisecond): "Hi, Bob."
//   ^ 0–50 | h a ɪ 50–220 (word "Hi,") | , 220–300 | ␣ 300–320 | b ɑ b . 320–560 (word "Bob.") | $ 560–600
const TEXT = 'Hi, Bob.';
function phoneme(p: string, start: number, end: number, textStart = -1, textEnd = -1): TimedPhoneme {
  return { phoneme: p, startMs: start, endMs: end, startSample: start, endSample: end, textStart, textEnd };
}
function viseme(name: string, id: number, start: number, end: number, weight = 1): VisemeEvent {
  return { viseme: name, id, startMs: start, endMs: end, weight };
}
const HAND: SynthesisResult = {
  samples: new Float32Array(600),
  sampleRate: 1000,
  durationMs: 600,
  phonemes: [
    phoneme('^', 0, 50),
    phoneme('h', 50, 100, 0, 3),
    phoneme('a', 100, 180, 0, 3),
    phoneme('ɪ', 180, 220, 0, 3),
    phoneme(',', 220, 300),
    phoneme(' ', 300, 320),
    phoneme('b', 320, 380, 4, 8),
    phoneme('ɑ', 380, 460, 4, 8),
    phoneme('b', 460, 520, 4, 8),
    phoneme('.', 520, 560, 4, 8),
    phoneme('$', 560, 600),
  ],
  visemes: [
    viseme('sil', 0, 0, 50),
    viseme('aa', 10, 50, 220),
    viseme('sil', 0, 220, 320),
    viseme('PP', 1, 320, 380),
    viseme('aa', 10, 380, 460),
    viseme('PP', 1, 460, 520),
    viseme('sil', 0, 520, 600),
  ],
  sentences: [{ textStart: 0, textEnd: 8, startMs: 0, endMs: 600, startSample: 0, endSample: 600 }],
  timing: 'model',
  timingExact: true,
  chunks: 1,
  warnings: [],
};

describe('golden examples (computed by hand)', () => {
  it('TalkingHead: words without punctuation, visemes renamed, silence left out, ms', () => {
    expect(toTalkingHead(HAND, TEXT)).toEqual({
      words: ['Hi', 'Bob'],
      wtimes: [50, 320],
      wdurations: [170, 240],
      visemes: ['aa', 'PP', 'aa', 'PP'],
      vtimes: [50, 320, 380, 460],
      vdurations: [170, 60, 80, 60],
      markers: [],
      mtimes: [],
    });
    const renamed = toTalkingHead(
      { ...HAND, visemes: [viseme('ih', 12, 0, 10), viseme('oh', 13, 10, 20), viseme('ou', 14, 20, 30)] },
      TEXT,
    );
    expect(renamed.visemes).toEqual(['I', 'O', 'U']);
  });

  it('Polly: sentence, word and viseme marks in time order, UTF-8 byte offsets', () => {
    expect(toPollySpeechMarks(HAND, TEXT)).toEqual([
      { time: 0, type: 'sentence', start: 0, end: 8, value: 'Hi, Bob.' },
      { time: 0, type: 'viseme', value: 'sil' },
      { time: 50, type: 'word', start: 0, end: 2, value: 'Hi' },
      { time: 50, type: 'viseme', value: 'a' },
      { time: 220, type: 'viseme', value: 'sil' },
      { time: 320, type: 'word', start: 4, end: 7, value: 'Bob' },
      { time: 320, type: 'viseme', value: 'p' },
      { time: 380, type: 'viseme', value: 'a' },
      { time: 460, type: 'viseme', value: 'p' },
      { time: 520, type: 'viseme', value: 'sil' },
    ]);
    // "Café 😀 ok." — é is 2 bytes, the emoji 2 UTF-16 units and 4 bytes.
    const text = 'Café 😀 ok.';
    const speech = {
      ...HAND,
      visemes: [],
      sentences: [{ ...HAND.sentences[0]!, textEnd: text.length }],
      phonemes: [phoneme('k', 0, 100, 0, 4), phoneme('o', 100, 200, 8, 11)],
    };
    const words = toPollySpeechMarks(speech, text).filter((m) => m.type === 'word');
    expect(words).toEqual([
      { time: 0, type: 'word', start: 0, end: 5, value: 'Café' },
      { time: 100, type: 'word', start: 11, end: 13, value: 'ok' },
    ]);
    expect(toJsonLines(words)).toBe(
      '{"time":0,"type":"word","start":0,"end":5,"value":"Café"}\n{"time":100,"type":"word","start":11,"end":13,"value":"ok"}\n',
    );
  });

  it('Azure: 100-ns ticks and Azure ids; word boundaries with UTF-16 offsets', () => {
    const azure = { ...HAND, visemes: [viseme('silence', 0, 0, 50), viseme('ae_ax_ah', 1, 50, 220), viseme('p_b_m', 21, 320, 380)] };
    expect(toAzureVisemeEvents(azure, TEXT)).toEqual({
      visemes: [
        { audioOffset: 0, visemeId: 0 },
        { audioOffset: 500_000, visemeId: 1 },
        { audioOffset: 3_200_000, visemeId: 21 },
      ],
      words: [
        { audioOffset: 500_000, duration: 1_700_000, text: 'Hi', textOffset: 0, wordLength: 2, boundaryType: 'WordBoundary' },
        { audioOffset: 3_200_000, duration: 2_400_000, text: 'Bob', textOffset: 4, wordLength: 3, boundaryType: 'WordBoundary' },
      ],
    });
    expect(toAzureVisemeEvents(azure).words).toEqual([]);
  });

  it('ARKit: the table row at full weight, attack and release ramps, silence at rest', () => {
    // "aa" alone from 100 to 300 ms; attack 40, release 60 (the Player's defaults); 100 fps.
    const speech = { ...HAND, visemes: [viseme('sil', 0, 0, 100), viseme('aa', 10, 100, 300), viseme('sil', 0, 300, 600)] };
    const { frames, names, fps } = toArkitFrames(speech, { fps: 100 });
    expect(fps).toBe(100);
    expect(names).toEqual([...ARKIT_SPEECH_SHAPES]);
    expect(frames).toHaveLength(61); // 0, 10, …, 600 ms
    const at = (ms: number) => frames[ms / 10]!.weights;
    expect(at(50).jawOpen).toBe(0);
    // 80 ms: aa's envelope is (80 − 60) / 40 = 0.5; sil also weighs 1 there, so both are scaled by 1/1.5.
    expect(at(80).jawOpen).toBeCloseTo((0.7 * 0.5) / 1.5, 12);
    expect(at(200)).toMatchObject({
      jawOpen: 0.7,
      mouthLowerDown_L: 0.3,
      mouthLowerDown_R: 0.3,
      mouthUpperUp_L: 0.1,
      mouthStretch_R: 0.1,
      mouthFunnel: 0,
      tongueOut: 0,
    });
    // 330 ms: release (1 − 30/60) = 0.5 beside the next silence at 1: 0.7 × 0.5 / 1.5.
    expect(at(330).jawOpen).toBeCloseTo((0.7 * 0.5) / 1.5, 12);
    expect(at(400).jawOpen).toBe(0);
    const camel = toArkitFrames(speech, { fps: 100, naming: 'camel' });
    expect(camel.frames[20]!.weights).toMatchObject({ jawOpen: 0.7, mouthLowerDownLeft: 0.3, mouthStretchRight: 0.1 });
  });

  it('PCM16: clipped, rounded, little-endian', () => {
    const pcm = new DataView(toPcm16(new Float32Array([0, 1, -1, 0.5, 2, -3])));
    expect([0, 1, 2, 3, 4, 5].map((i) => pcm.getInt16(i * 2, true))).toEqual([0, 32767, -32767, 16384, 32767, -32767]);
  });

  it('rejects speech of the wrong viseme set and text that does not match, with typed errors', () => {
    const azure = { ...HAND, visemes: [viseme('silence', 0, 0, 50)] };
    expect(() => toTalkingHead(azure, TEXT)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("visemeSet: 'oculus'") }),
    );
    expect(() => toPollySpeechMarks(azure, TEXT)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => toArkitFrames(azure)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => toAzureVisemeEvents(HAND)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("visemeSet: 'azure'") }),
    );
    expect(() => toPollySpeechMarks(HAND, 'Hi')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('does not match') }),
    );
    expect(() => toArkitFrames(HAND, { fps: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('properties over real speech', () => {
  const TEXTS = [
    'Hello there. Tell me about your last project, and what you learned from it!',
    'Café au lait? Naïve résumé — 😀 fine.',
    'Why do you want this job; what would you change in your first 90 days?',
  ];
  let voice: Voice;
  beforeAll(async () => {
    ({ voice } = await tinyEngine());
  }, 120_000);

  it('every format stays inside the audio, in time order, with offsets that point at the words', async () => {
    for (const text of TEXTS) {
      const speech = await voice.synthesize(text, { noiseW: 0 });
      const chunks = [];
      for await (const c of voice.stream(text, { noiseW: 0 })) chunks.push(c);
      const duration = (speech.samples.length * 1000) / speech.sampleRate;
      const bytes = new TextEncoder().encode(text);
      const decode = (s: number, e: number) => new TextDecoder().decode(bytes.subarray(s, e));

      const polly = toPollySpeechMarks(speech, text);
      expect(polly.filter((m) => m.type === 'sentence')).toHaveLength(speech.chunks);
      polly.forEach((m, i) => {
        expect(m.time, text).toBeGreaterThanOrEqual(i ? polly[i - 1]!.time : 0);
        expect(m.time).toBeLessThanOrEqual(Math.round(duration));
        if (m.type !== 'viseme') expect(decode(m.start, m.end), text).toBe(m.value);
      });
      // The same speech as a list of streamed chunks gives the same marks.
      expect(toPollySpeechMarks(chunks, text)).toEqual(polly);

      const head = toTalkingHead(speech, text);
      expect(head.words.length).toBe(head.wtimes.length);
      expect(head.words.length).toBeGreaterThan(3);
      let from = 0;
      head.words.forEach((w, i) => {
        const at = text.indexOf(w, from); // words appear in the text, in order
        expect(at, `${w} in ${text}`).toBeGreaterThanOrEqual(0);
        from = at + w.length;
        expect(head.wtimes[i]).toBeGreaterThanOrEqual(i ? head.wtimes[i - 1]! : 0);
        expect(head.wtimes[i]! + head.wdurations[i]!).toBeLessThanOrEqual(duration + 1e-6);
      });
      head.vtimes.forEach((t, i) => {
        expect(t).toBeGreaterThanOrEqual(i ? head.vtimes[i - 1]! : 0);
        expect(head.vdurations[i]).toBeGreaterThan(0);
        expect(t + head.vdurations[i]!).toBeLessThanOrEqual(duration + 1e-6);
      });

      const azureSpeech = await voice.synthesize(text, { noiseW: 0, visemeSet: 'azure' });
      const { visemes, words } = toAzureVisemeEvents(azureSpeech, text);
      visemes.forEach((v, i) => {
        expect(v.audioOffset).toBeGreaterThanOrEqual(i ? visemes[i - 1]!.audioOffset : 0);
        expect(v.audioOffset).toBeLessThanOrEqual(duration * 10_000);
        expect(v.visemeId).toBeGreaterThanOrEqual(0);
        expect(v.visemeId).toBeLessThanOrEqual(21);
      });
      for (const w of words) expect(text.slice(w.textOffset, w.textOffset + w.wordLength)).toBe(w.text);

      const arkit = toArkitFrames(speech, { fps: 60 });
      expect(arkit.frames).toHaveLength(Math.floor((duration * 60) / 1000) + 1);
      let open = 0;
      for (const f of arkit.frames) {
        expect(Object.keys(f.weights).sort()).toEqual([...ARKIT_SPEECH_SHAPES].sort());
        for (const w of Object.values(f.weights)) expect(w >= 0 && w <= 1).toBe(true);
        open = Math.max(open, f.weights.jawOpen!);
      }
      expect(open).toBeGreaterThan(0.2); // the mouth moves while it speaks
    }
  }, 120_000);
});
