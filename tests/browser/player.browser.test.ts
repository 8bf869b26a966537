// The Player in real Chromium Web Audio: callbacks on time (measured on the context clock, not the
// Player's own), none lost and in order; chunks back to back to the sample (OfflineAudioContext);
// stop(), pause()/resume(), autoplay blocking. Uses the generated tiny voice (random weights: the
// audio is noise, but its phoneme/viseme timeline is exact, which is what these tests need).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { skipWithReason } from '../skip_reason.js';
import { type BrowserSession, openAppPage } from './chromium.js';

const TEXT = 'Hello there. Tell me about your last project. What did you learn from it? Thank you for your time.';

let session: BrowserSession;
let page: Page;
let checkPageErrors: () => void;

beforeAll(async () => {
  ({ session, page, checkPageErrors } = await openAppPage());
  // Helpers shared by the tests, defined once in the page.
  await page.evaluate(async () => {
    const w = window as any;
    w.voice = await w.av.loadVoice({ model: '/build/voices/test-tiny.onnx' });
    w.collect = async (text: string) => {
      const chunks: any[] = [];
      // Whole sentences: these tests count and place cues per sentence (windows: their own test).
      for await (const c of w.voice.stream(text, { noiseW: 0, chunking: 'sentence' })) chunks.push(c);
      return chunks;
    };
    // Expected cue counts of a chunk, counted independently of the Player's own word rule.
    w.expectedCounts = (chunks: any[]) => {
      const n = { sentence: 0, word: 0, phoneme: 0, viseme: 0 };
      for (const c of chunks) {
        n.sentence++;
        n.phoneme += c.phonemes.length;
        n.viseme += c.visemes.length;
        let last = '';
        for (const p of c.phonemes) {
          if (p.textStart < 0) continue;
          const key = `${p.textStart}:${p.textEnd}`;
          if (key !== last) n.word++;
          last = key;
        }
      }
      return n;
    };
    // The independent measurement. In each callback: where the audio clock is, read two ways,
    // and which animation frame it runs in (document.timeline.currentTime is the rAF timestamp).
    // A frame logger of its own (registered first, so it runs first in every frame) records each
    // frame's timestamp and the speaker clock at its start.
    w.speakerClock = (ctx: AudioContext) => {
      const ts = ctx.getOutputTimestamp();
      return ts.contextTime! + (performance.now() - ts.performanceTime!) / 1000;
    };
    w.recorder = (ctx: AudioContext, player: any) => {
      const records: any[] = [];
      const frames: number[] = [];
      const clock: number[] = [];
      let logging = true;
      const log = (t: number) => {
        frames.push(t);
        clock.push(w.speakerClock(ctx));
        if (logging) requestAnimationFrame(log);
      };
      requestAnimationFrame(log);
      const measure = (e: any) => {
        records.push({
          type: e.type,
          name: e.viseme ?? e.phoneme ?? e.text,
          time: e.time,
          dispatch: e.dispatchTime,
          smooth: w.speakerClock(ctx),
          coarse: ctx.currentTime - (ctx.baseLatency + (ctx.outputLatency || 0)),
          frame: document.timeline.currentTime,
        });
      };
      for (const t of ['sentence', 'word', 'phoneme', 'viseme', 'end']) player.on(t, measure);
      return { records, frames, clock, stop: () => (logging = false) };
    };
  });
}, 180_000);
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function expectInOrder(records: { time: number; dispatch: number }[]): void {
  for (let i = 1; i < records.length; i++) {
    expect(records[i]!.time).toBeGreaterThanOrEqual(records[i - 1]!.time);
    expect(records[i]!.dispatch).toBeGreaterThanOrEqual(records[i - 1]!.dispatch);
  }
}

/** What the streamed-utterance test measured, for the lateness budget test after it. */
let lateness: { regularCallback: number[]; regularFrameStart: number[]; frames: number; period: number } | undefined;

describe('Player in Chromium', () => {
  it('fires every cue of a streamed utterance on time, in order', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      await ctx.resume();
      const player = new w.avatarVoice.Player({ context: ctx });
      const { records, frames, clock, stop } = w.recorder(ctx, player);
      const chunks: any[] = [];
      // speak() streams: wrap the voice to see the chunks it plays.
      // speak() enqueues each chunk as soon as the spy yields it: note the context time then.
      const arrivals: number[] = [];
      const spy = {
        async *stream(t: string, o: any) {
          for await (const c of w.voice.stream(t, o)) {
            chunks.push(c);
            arrivals.push(ctx.currentTime);
            yield c;
          }
        },
      };
      const mismatches: string[] = [];
      player.on('viseme', (e: any) => {
        const frame = player.visemeAt(e.time + 1e-6);
        if (frame.viseme !== e.viseme) mismatches.push(`${e.viseme}@${e.time}: visemeAt says ${frame.viseme}`);
        const sum = frame.weights.reduce((s: number, x: any) => s + x.weight, 0);
        if (sum > 1 + 1e-9) mismatches.push(`weights sum ${sum}`);
      });
      const t0 = performance.now();
      await player.speak(spy, text, { noiseW: 0, chunking: 'sentence' });
      const wallMs = performance.now() - t0;
      const audioMs = chunks.reduce((n, c) => n + (c.samples.length / c.sampleRate) * 1000, 0);
      const playingAfter = player.playing;
      stop();
      player.dispose();
      await ctx.close();
      return {
        records,
        frames,
        clock,
        expected: w.expectedCounts(chunks),
        chunks: chunks.map((c, k) => ({
          samples: c.samples.length,
          rate: c.sampleRate,
          phonemes: c.phonemes.map((p: any) => p.startSample),
          arrival: arrivals[k]!,
        })),
        mismatches,
        wallMs,
        audioMs,
        playingAfter,
        latency: { base: ctx.baseLatency, output: ctx.outputLatency, rate: ctx.sampleRate },
      };
    }, TEXT);

    expect(result.chunks.length).toBe(4);
    const count = (type: string) => result.records.filter((r: any) => r.type === type).length;
    for (const type of ['sentence', 'word', 'phoneme', 'viseme'] as const) expect(count(type), type).toBe(result.expected[type]);
    expect(count('end')).toBe(1);
    expect(result.records.at(-1).type).toBe('end');
    expect(result.mismatches).toEqual([]);
    expect(result.playingAfter).toBe(false);
    expectInOrder(result.records);

    // Sentences back to back on the timeline: start k+1 = start k + samples k / rate, exactly —
    // unless synthesis fell behind and chunk k+1 arrived when k was (nearly) over: then it starts
    // lookAheadMs (50 ms) after it arrived, and the gap is the synthesis's, not the Player's.
    const sentences = result.records.filter((r: any) => r.type === 'sentence');
    let underruns = 0;
    for (let k = 1; k < sentences.length; k++) {
      const previous = result.chunks[k - 1]!;
      const previousEnd = sentences[k - 1].time + previous.samples / previous.rate;
      if (result.chunks[k]!.arrival + 0.025 <= previousEnd) {
        expect(sentences[k].time - sentences[k - 1].time).toBeCloseTo(previous.samples / previous.rate, 9);
      } else {
        underruns++;
        expect(sentences[k].time).toBeCloseTo(result.chunks[k]!.arrival + 0.05, 9);
      }
    }
    if (underruns) console.warn(`[player] synthesis fell behind playback ${underruns} time(s): a gap before those sentences`);
    // Phoneme cues at chunk start + startSample / rate.
    const phonemes = result.records.filter((r: any) => r.type === 'phoneme');
    let i = 0;
    result.chunks.forEach((c: any, k: number) => {
      for (const s of c.phonemes) expect(phonemes[i++].time).toBeCloseTo(sentences[k].time + s / c.rate, 9);
    });

    // Lateness in ms on three clocks. "speaker": getOutputTimestamp() extrapolated to the
    // callback's performance.now(): the sample at the speaker, the reading the spec provides for
    // A/V sync. "currentTime": currentTime − baseLatency − outputLatency, which only moves once per
    // audio callback (~10 ms here), so it lags the speaker by up to one callback. "Player": the
    // event's own dispatchTime − time.
    const ms = (key: 'smooth' | 'coarse' | 'dispatch') => result.records.map((r: any) => (r[key] - r.time) * 1000);
    const stats = (v: number[]) => ({
      n: v.length,
      min: Math.min(...v),
      p50: percentile(v, 50),
      p95: percentile(v, 95),
      max: Math.max(...v),
    });
    const fmt = (s: ReturnType<typeof stats>) =>
      `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms, min ${s.min.toFixed(1)} ms (${s.n})`;
    const speaker = ms('smooth');

    // Frames. A main-thread dispatcher can only fire a cue in the first frame whose clock reading
    // has reached it: its own lateness is the speaker clock at the start of that frame minus the
    // cue's time, at most how far the clock moved over the frame — ~16.7 ms when the browser
    // delivers frames on time and the audio clock runs smoothly. On this 2-core machine shared
    // with builds (load average 6–13 while these numbers were taken) that often fails: frames come
    // 50–300 ms apart, the main thread is preempted inside a frame, and the context's clock itself
    // stalls then jumps 100–250 ms (a starved audio thread catching up). So every cue is checked
    // against its own frame (never held back a frame, never early), the 17 ms budget applies to the
    // dispatch lateness in regular frames, and the callback-time numbers are printed beside it.
    const frames: number[] = result.frames;
    const clock: number[] = result.clock;
    const intervals = frames.slice(1).map((t, i) => t - frames[i]!);
    const period = percentile(intervals, 50);
    const dispatchLate: number[] = []; // speaker clock at the start of the dispatching frame − time
    const regular: number[] = []; // … in frames delivered on time with a smooth audio clock
    const regularCallback: number[] = []; // callback-time lateness of those same cues
    let held = 0;
    result.records.forEach((r: any, i: number) => {
      const k = frames.indexOf(r.frame);
      if (k < 1) return;
      // The previous frame's clock had not reached the cue: it could not have fired earlier.
      if (clock[k - 1]! >= r.time + 0.002) held++;
      const late = (clock[k]! - r.time) * 1000;
      dispatchLate.push(late);
      const gap = frames[k]! - frames[k - 1]!;
      const advance = (clock[k]! - clock[k - 1]!) * 1000;
      // Regular: the frame came on time (±20 %), the clock moved about one frame, and it did not jump
      // between the frame's start and the Player's tick (the thread was not preempted in between).
      const inFrame = Math.abs(r.dispatch - clock[k]!) * 1000;
      if (gap <= period * 1.2 && advance <= period * 1.2 && inFrame <= 2) {
        regular.push(late);
        regularCallback.push(speaker[i]!);
      }
    });
    const jumps = clock.slice(1).filter((c, i) => (c - clock[i]!) * 1000 > Math.max(period * 1.5, intervals[i]! + 8)).length;
    console.log(
      `[player] ${result.records.length} callbacks over ${(result.audioMs / 1000).toFixed(2)} s of audio (context ${result.latency.rate} Hz, ` +
        `baseLatency ${(result.latency.base * 1000).toFixed(1)} ms, outputLatency ${(result.latency.output * 1000).toFixed(1)} ms)\n` +
        `  frames every ${period.toFixed(1)} ms: ${intervals.filter((x) => x > period * 1.5).length}/${intervals.length} late (longest gap ${Math.max(...intervals).toFixed(0)} ms); ` +
        `audio clock jumps: ${jumps}\n` +
        `  speaker clock at the callback − time, all:             ${fmt(stats(speaker))}\n` +
        `  speaker clock at the callback − time, regular frames:  ${fmt(stats(regularCallback))}\n` +
        `  speaker clock at frame start − time, regular frames:   ${fmt(stats(regular))}\n` +
        `  currentTime − baseLatency − outputLatency − time, all: ${fmt(stats(ms('coarse')))}\n` +
        `  the Player's own dispatchTime − time, all:             ${fmt(stats(ms('dispatch')))}`,
    );
    // The contract, whatever the load: none held back a frame, none early.
    expect(held).toBe(0);
    expect(Math.min(...speaker)).toBeGreaterThanOrEqual(-5);
    expect(Math.min(...ms('dispatch'))).toBeGreaterThanOrEqual(0);
    // Frame-start lateness bounds the dispatcher itself: at most one frame when frames are regular.
    lateness = { regularCallback, regularFrameStart: regular, frames: intervals.length, period };
  });

  // The README's claim: "callbacks run ... at p95 within 17 ms of their time (one 60 Hz frame)
  // while the browser delivers its frames on time". Measured on the callback's own time (speaker
  // clock at the callback), over the cues of the test above that ran in regular frames. Needs
  // enough of them: on a machine too loaded to deliver regular frames the claim cannot be
  // measured, and the test says so as a skip with the counts (never a silent pass).
  it('plays a windowed stream with each sentence and word cue firing once, in order', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      await ctx.resume();
      const player = new w.avatarVoice.Player({ context: ctx });
      const cues: any[] = [];
      for (const t of ['sentence', 'word'])
        player.on(t, (e: any) => cues.push({ type: e.type, start: e.textStart, end: e.textEnd, time: e.time, durationMs: e.durationMs }));
      const chunks: any[] = [];
      const spy = {
        async *stream(t: string, o: any) {
          for await (const c of w.voice.stream(t, o)) {
            chunks.push({
              index: c.index,
              sampleOffset: c.sampleOffset,
              samples: c.samples.length,
              sentenceSamples: c.sentenceSamples,
              rate: c.sampleRate,
            });
            yield c;
          }
        },
      };
      await player.speak(spy, text, { noiseW: 0 });
      player.dispose();
      await ctx.close();
      // The words of the same text as whole sentences, counted from their phonemes.
      const words: string[] = [];
      for (const c of await w.collect(text)) {
        let last = '';
        for (const p of c.phonemes) {
          if (p.textStart < 0) continue;
          const key = `${p.textStart}:${p.textEnd}`;
          if (key !== last) words.push(key);
          last = key;
        }
      }
      return { streaming: w.voice.info.streaming, cues, chunks, words };
    }, TEXT);
    expect(result.streaming.mode).toBe('window');
    expect(result.chunks.length).toBeGreaterThan(4); // 4 sentences, several windows each
    const sentences = result.cues.filter((c: any) => c.type === 'sentence');
    expect(sentences).toHaveLength(4);
    // Each sentence cue spans its whole sentence, not its first window.
    const wholes = result.chunks.filter((c: any) => c.sampleOffset === 0);
    for (const [k, s] of sentences.entries()) expect(s.durationMs).toBeCloseTo((wholes[k].sentenceSamples / wholes[k].rate) * 1000, 6);
    const words = result.cues.filter((c: any) => c.type === 'word').map((c: any) => `${c.start}:${c.end}`);
    expect(words).toEqual(result.words); // once each, in text order
    for (let i = 1; i < result.cues.length; i++) expect(result.cues[i].time).toBeGreaterThanOrEqual(result.cues[i - 1].time);
  });

  it('speaks text typed word by word: the first sentence plays before the typing ends', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      await ctx.resume();
      const player = new w.avatarVoice.Player({ context: ctx });
      let typing = true;
      const cues: any[] = [];
      for (const t of ['sentence', 'word']) player.on(t, (e: any) => cues.push({ type: e.type, text: e.text, start: e.textStart, typing }));
      // A language model's stand-in: a word every 50 ms.
      async function* typed() {
        for (const word of text.split(/(?= )/)) {
          await new Promise((r) => setTimeout(r, 50));
          yield word;
        }
        typing = false;
      }
      await player.speak(w.voice, typed(), { noiseW: 0 });
      player.dispose();
      await ctx.close();
      // The same text in one piece, as the oracle of the words and their spans.
      const words: any[] = [];
      for (const c of await w.collect(text)) {
        let last = '';
        for (const p of c.phonemes) {
          const key = `${p.textStart}:${p.textEnd}`;
          if (p.textStart >= 0 && key !== last) words.push({ start: p.textStart, text: text.slice(p.textStart, p.textEnd) });
          last = key;
        }
      }
      return { cues, words };
    }, TEXT);
    const sentences = result.cues.filter((c: any) => c.type === 'sentence');
    expect(sentences).toHaveLength(4);
    expect(sentences[0].typing).toBe(true); // heard while the rest was still being typed
    expect(sentences.map((c: any) => c.text.trim())).toEqual(TEXT.match(/[^.?]+[.?]/g)!.map((s) => s.trim()));
    const words = result.cues.filter((c: any) => c.type === 'word').map((c: any) => ({ start: c.start, text: c.text }));
    expect(words).toEqual(result.words);
  });

  it('fires an SSML mark during playback, on time, just before the word it announces', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      await ctx.resume();
      const player = new w.avatarVoice.Player({ context: ctx });
      const markup = '<speak>Hello there.<break time="400ms"/>Tell me about <mark name="topic"/>your last project.</speak>';
      const cues: any[] = [];
      for (const t of ['sentence', 'word', 'mark'])
        player.on(t, (e: any) => cues.push({ type: e.type, name: e.name, text: e.text, time: e.time, dispatch: e.dispatchTime }));
      await player.speak(w.voice, markup, { noiseW: 0, ssml: true });
      player.dispose();
      await ctx.close();
      // The oracle of where the mark lies in the audio: synthesize() of the same markup.
      const whole = await w.voice.synthesize(markup, { noiseW: 0, ssml: true });
      return { cues, marks: whole.marks };
    });
    const marks = result.cues.filter((c: any) => c.type === 'mark');
    expect(marks.map((c: any) => c.name)).toEqual(['topic']);
    const mark = marks[0];
    const next = result.cues[result.cues.indexOf(mark) + 1];
    expect(next).toMatchObject({ type: 'word', text: 'your' });
    expect(next.time).toBe(mark.time);
    // Where synthesize() puts it, on the context clock from the first sentence's start.
    const start = result.cues.find((c: any) => c.type === 'sentence').time;
    expect(Math.abs((mark.time - start) * 1000 - result.marks[0].ms)).toBeLessThan(0.01);
    // Fired while the audio played, within two frames of its time.
    expect(Math.abs(mark.dispatch - mark.time)).toBeLessThan(0.034);
    // The break is silence, not a sentence: two sentence cues, the second after the pause.
    const sentences = result.cues.filter((c: any) => c.type === 'sentence');
    expect(sentences.map((c: any) => c.text)).toEqual(['Hello there.', 'Tell me about <mark name="topic"/>your last project.']);
  });

  it('runs callbacks at p95 within 17 ms of their time when frames arrive on time', (ctx) => {
    expect(lateness, 'the streamed-utterance test did not record its cues').toBeDefined();
    const { regularCallback, regularFrameStart, frames, period } = lateness!;
    if (regularCallback.length < 60)
      skipWithReason(
        ctx,
        `only ${regularCallback.length} of the cues ran in regular frames (${frames} frames, median period ${period.toFixed(1)} ms): the machine is too loaded to measure the budget`,
      );
    expect(percentile(regularFrameStart, 95)).toBeLessThanOrEqual(17);
    expect(percentile(regularCallback, 95)).toBeLessThanOrEqual(17);
  });

  it('renders chunks back to back, sample for sample (OfflineAudioContext)', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      const chunks = await w.collect(text);
      const rate = chunks[0].sampleRate;
      const total = chunks.reduce((n: number, c: any) => n + c.samples.length, 0);
      const expected = new Float32Array(total);
      let offset = 0;
      const offsets: number[] = [];
      for (const c of chunks) {
        offsets.push(offset);
        expected.set(c.samples, offset);
        offset += c.samples.length;
      }
      const tail = 512;
      const offline = new OfflineAudioContext(1, total + tail, rate);
      const scheduled = w.avatarVoice.scheduleChunks(offline, chunks, { startTime: 0 });
      const rendered = (await offline.startRendering()).getChannelData(0);
      let maxDiff = 0;
      let firstBad = -1;
      for (let i = 0; i < total; i++) {
        const d = Math.abs(rendered[i]! - expected[i]!);
        if (d > maxDiff) maxDiff = d;
        if (d > 0 && firstBad < 0) firstBad = i;
      }
      let tailMax = 0;
      for (let i = total; i < total + tail; i++) tailMax = Math.max(tailMax, Math.abs(rendered[i]!));
      // The same chunks at 48 kHz: each is resampled on its own, so only the frames next to a
      // junction may differ from one buffer of the whole utterance.
      const hiRate = 48000;
      const frames = Math.ceil((total / rate) * hiRate) + tail;
      const a = new OfflineAudioContext(1, frames, hiRate);
      w.avatarVoice.scheduleChunks(a, chunks, { startTime: 0 });
      const b = new OfflineAudioContext(1, frames, hiRate);
      w.avatarVoice.scheduleChunks(b, [{ samples: expected, sampleRate: rate }], { startTime: 0 });
      const [ra, rb] = [(await a.startRendering()).getChannelData(0), (await b.startRendering()).getChannelData(0)];
      const junctions = offsets.slice(1).map((o) => (o / rate) * hiRate);
      // The jump between the two samples that meet at each junction.
      const seamStep = Math.max(...offsets.slice(1).map((o) => Math.abs(expected[o]! - expected[o - 1]!)));
      let farMax = 0;
      let nearMax = 0;
      for (let i = 0; i < frames; i++) {
        const d = Math.abs(ra[i]! - rb[i]!);
        if (junctions.some((j) => Math.abs(i - j) <= 2)) nearMax = Math.max(nearMax, d);
        else farMax = Math.max(farMax, d);
      }
      return {
        rate,
        total,
        maxDiff,
        firstBad,
        tailMax,
        starts: scheduled.map((s: any) => s.startTime * rate),
        ends: scheduled.map((s: any) => s.endTime * rate),
        offsets,
        farMax,
        nearMax,
        seamStep,
        junctions: junctions.length,
      };
    }, TEXT);
    expect(result.offsets.length).toBe(4);
    for (const [k, s] of result.starts.entries()) expect(s).toBeCloseTo(result.offsets[k]!, 6);
    for (let k = 1; k < result.starts.length; k++) expect(result.starts[k]).toBe(result.ends[k - 1]);
    expect(result.firstBad).toBe(-1); // identical: no gap, no overlap, no resampling
    expect(result.maxDiff).toBe(0);
    expect(result.tailMax).toBe(0);
    expect(result.farMax).toBeLessThan(1e-5); // float rounding of the resampler only
    // At a junction a resampled chunk ends on its own last sample instead of interpolating into
    // the next chunk's first: the deviation is bounded by the jump between those two samples
    // (real voices end and start sentences in near-silence; this random voice does not).
    expect(result.nearMax).toBeLessThanOrEqual(result.seamStep + 1e-5);
    console.log(
      `[player] offline ${result.rate} Hz: ${result.total} samples identical to the concatenation; ` +
        `at 48 kHz: max difference ${result.farMax.toExponential(1)} away from the ${result.junctions} junctions, ${result.nearMax.toExponential(1)} within ±2 frames of them ` +
        `(the samples meeting there jump by up to ${result.seamStep.toExponential(1)})`,
    );
  });

  it('emits ARKit blendshapes every frame while speaking, then once at rest', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      const player = new w.avatarVoice.Player({ sampleRate: w.voice.sampleRate });
      const events: any[] = [];
      let ended = -1;
      player.on('blendshapes', (e: any) => events.push({ time: e.time, weights: e.weights, pulled: player.blendshapesAt(e.time) }));
      player.on('end', () => (ended = events.length));
      await player.speak(w.voice, 'Open your mouth wide. Who are you?', { noiseW: 0 });
      await new Promise((r) => setTimeout(r, 200));
      player.dispose();
      return { events, ended, names: w.avatarVoice.ARKIT_SPEECH_SHAPES };
    });
    const { events, names } = result;
    expect(events.length).toBeGreaterThan(20); // ~2 s of speech at up to 60 frames a second
    expect(result.ended).toBeGreaterThan(0);
    let open = 0;
    events.forEach((e: any, i: number) => {
      expect(Object.keys(e.weights).sort()).toEqual([...names].sort());
      for (const v of Object.values(e.weights) as number[]) expect(v >= 0 && v <= 1).toBe(true);
      if (i) expect(e.time).toBeGreaterThanOrEqual(events[i - 1].time);
      if (i < events.length - 1) expect(e.weights).toEqual(e.pulled); // the event is the pull API at its time
      open = Math.max(open, e.weights.jawOpen);
    });
    expect(open).toBeGreaterThan(0.2);
    // The last one puts the rig at rest.
    expect(Object.values(events.at(-1).weights).every((v) => v === 0)).toBe(true);
  });

  it('stop() cancels pending cues and rejects speak() with ABORTED', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      // This Player creates (and owns) its context, at the voice's rate.
      const player = new w.avatarVoice.Player({ sampleRate: w.voice.sampleRate });
      const ctx: AudioContext = player.context;
      let stopped = false;
      let afterStop = 0;
      let before = 0;
      for (const t of ['sentence', 'word', 'phoneme', 'viseme', 'end']) player.on(t, () => (stopped ? afterStop++ : before++));
      const speaking = player.speak(w.voice, text, { noiseW: 0 }).then(
        () => 'resolved',
        (e: any) => e.code,
      );
      await new Promise((r) => {
        const check = () => (before > 5 ? r(null) : setTimeout(check, 5));
        check();
      });
      player.stop();
      stopped = true;
      const outcome = await speaking;
      const playing = player.playing;
      await new Promise((r) => setTimeout(r, 800));
      const lateEvents = afterStop;
      // The player is reusable after stop().
      const chunks = await w.collect('Again.');
      let ended = false;
      player.on('end', () => (ended = true));
      for (const c of chunks) player.enqueue(c);
      await new Promise((r) => {
        const check = () => (ended ? r(null) : setTimeout(check, 20));
        check();
      });
      player.dispose();
      await new Promise((r) => setTimeout(r, 100));
      return { before, lateEvents, afterRestart: afterStop, outcome, playing, ended, rate: ctx.sampleRate, state: ctx.state };
    }, TEXT);
    expect(result.before).toBeGreaterThan(0);
    expect(result.outcome).toBe('ABORTED');
    expect(result.playing).toBe(false);
    expect(result.lateEvents).toBe(0);
    expect(result.afterRestart).toBeGreaterThan(3);
    expect(result.ended).toBe(true);
    expect(result.rate).toBe(22050);
    expect(result.state).toBe('closed'); // dispose() closes a context the Player created
  });

  it('pause() halts audio and cues, resume() continues them in order; plain objects play too', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      // A "stored recording": plain objects with the SpeechChunk fields (as read back from a store).
      const chunks = (await w.collect(text)).slice(0, 2).map((c: any) => ({
        ...JSON.parse(JSON.stringify({ ...c, samples: [] })),
        samples: new Float32Array(c.samples),
      }));
      const ctx = new AudioContext();
      await ctx.resume();
      const player = new w.avatarVoice.Player({ context: ctx });
      const { records, stop } = w.recorder(ctx, player);
      let ended = false;
      player.on('end', () => (ended = true));
      for (const c of chunks) player.enqueue(c, { text });
      await new Promise((r) => setTimeout(r, 700));
      await player.pause();
      const atPause = records.length;
      const ctxAtPause = ctx.currentTime;
      const pausedFlags = { paused: player.paused, playing: player.playing };
      await new Promise((r) => setTimeout(r, 700));
      const duringPause = records.length - atPause;
      const ctxAdvance = ctx.currentTime - ctxAtPause;
      await player.resume();
      await new Promise((r) => {
        const check = () => (ended ? r(null) : setTimeout(check, 20));
        check();
      });
      stop();
      player.dispose();
      await ctx.close();
      return {
        records,
        expected: w.expectedCounts(chunks),
        atPause,
        duringPause,
        ctxAdvance,
        pausedFlags,
        words: records.filter((r: any) => r.type === 'word').map((r: any) => r.name),
      };
    }, TEXT);
    expect(result.atPause).toBeGreaterThan(0);
    expect(result.atPause).toBeLessThan(result.records.length - 1);
    expect(result.duringPause).toBe(0);
    expect(result.ctxAdvance).toBeLessThan(0.05);
    expect(result.pausedFlags).toEqual({ paused: true, playing: false });
    const count = (type: string) => result.records.filter((r: any) => r.type === type).length;
    for (const type of ['sentence', 'word', 'phoneme', 'viseme'] as const) expect(count(type), type).toBe(result.expected[type]);
    expectInOrder(result.records);
    expect(result.words.slice(0, 3)).toEqual(['Hello', 'there.', 'Tell']);
    const late = result.records.map((r: any) => (r.smooth - r.time) * 1000);
    console.log(
      `[player] pause/resume: ${result.records.length} callbacks, p95 lateness ${percentile(late, 95).toFixed(1)} ms, max ${Math.max(...late).toFixed(1)} ms`,
    );
  });

  it('keeps firing from a timer loop while the page is hidden (no rAF), and returns to rAF', async () => {
    const result = await page.evaluate(async (text) => {
      const w = window as any;
      const chunks = (await w.collect(text)).slice(0, 2);
      const realRaf = window.requestAnimationFrame.bind(window);
      let rafCalls = 0;
      window.requestAnimationFrame = (cb) => {
        rafCalls++;
        return realRaf(cb);
      };
      const setHidden = (hidden: boolean) => {
        if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        else delete (document as any).visibilityState; // back to Document.prototype's getter
        document.dispatchEvent(new Event('visibilitychange'));
      };
      const ctx = new AudioContext();
      await ctx.resume();
      const player = new w.avatarVoice.Player({ context: ctx });
      const times: number[] = [];
      let ended = false;
      for (const t of ['sentence', 'word', 'phoneme', 'viseme']) player.on(t, (e: any) => times.push(e.time));
      player.on('end', () => (ended = true));
      setHidden(true);
      for (const c of chunks) player.enqueue(c);
      await new Promise((r) => setTimeout(r, 1000));
      const hiddenCues = times.length;
      const hiddenRaf = rafCalls;
      setHidden(false);
      await new Promise((r) => {
        const check = () => (ended ? r(null) : setTimeout(check, 20));
        check();
      });
      window.requestAnimationFrame = realRaf;
      player.dispose();
      await ctx.close();
      return { times, hiddenCues, hiddenRaf, visibleRaf: rafCalls - hiddenRaf, expected: w.expectedCounts(chunks) };
    }, TEXT);
    const e = result.expected;
    expect(result.hiddenRaf).toBe(0);
    expect(result.hiddenCues).toBeGreaterThan(10);
    expect(result.visibleRaf).toBeGreaterThan(10);
    expect(result.times).toHaveLength(e.sentence + e.word + e.phoneme + e.viseme);
    expect(result.times).toEqual([...result.times].sort((a, b) => a - b));
  });

  it('reports a blocked AudioContext: a blocked event and AUTOPLAY_BLOCKED from speak()', async () => {
    const result = await page.evaluate(async () => {
      const w = window as any;
      // What an autoplay policy does to a context created without a user gesture: it stays
      // suspended and resume() does not settle. (This Chromium runs with autoplay allowed.)
      const ctx = new AudioContext();
      await ctx.suspend();
      const realResume = ctx.resume.bind(ctx);
      (ctx as any).resume = () => new Promise(() => {});
      // And what the browser then says of it (Firefox's API; page.evaluate counts as a gesture here).
      (navigator as any).getAutoplayPolicy = () => 'disallowed';
      const player = new w.avatarVoice.Player({ context: ctx, blockedAfterMs: 200 });
      const blocked: any[] = [];
      player.on('blocked', (e: any) => blocked.push(e));
      const error = await player.speak(w.voice, 'Hello there.').then(
        () => null,
        (e: any) => ({ code: e.code, message: e.message }),
      );
      const blockedBySpeak = blocked.length;
      // enqueue(): the audio waits on the suspended timeline until a gesture unlocks it.
      const chunks = await w.collect('Hello there.');
      let ended = false;
      player.on('end', () => (ended = true));
      for (const c of chunks) player.enqueue(c);
      await new Promise((r) => setTimeout(r, 400));
      const blockedByEnqueue = blocked.length - blockedBySpeak;
      const endedWhileBlocked = ended;
      (ctx as any).resume = realResume; // the user clicks: resume() works now
      delete (navigator as any).getAutoplayPolicy;
      await player.resume();
      await new Promise((r) => {
        const check = () => (ended ? r(null) : setTimeout(check, 20));
        check();
      });
      player.dispose();
      await ctx.close();
      return { error, blockedBySpeak, blockedByEnqueue, endedWhileBlocked, ended, state: blocked[0]?.state };
    });
    expect(result.error?.code).toBe('AUTOPLAY_BLOCKED');
    expect(result.error?.message).toMatch(/user gesture/);
    expect(result.blockedBySpeak).toBe(1);
    expect(result.state).toBe('suspended');
    expect(result.blockedByEnqueue).toBe(1);
    expect(result.endedWhileBlocked).toBe(false);
    expect(result.ended).toBe(true);
  });
});
