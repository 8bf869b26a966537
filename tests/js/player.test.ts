// The Player's pure parts in Node, and the Player itself against a fake AudioContext and fake
// timers (no rAF in Node: the Player's setTimeout fallback drives the dispatch loop). Real Web
// Audio timing is tested in tests/browser/player.browser.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { EventClock, FrameLoop } from '../../web/event_clock.js';
import { Player } from '../../web/player.js';
import { CueQueue, VisemeTrack, chunkCues, wordSpans } from '../../web/speech_cues.js';
import type { SpeechChunk, TimedPhoneme } from '../../web/types.js';

const RATE = 1000; // 1 sample = 1 ms keeps the arithmetic readable

function phoneme(p: string, start: number, end: number, span: [number, number] = [-1, -1]): TimedPhoneme {
  return { phoneme: p, startSample: start, endSample: end, startMs: start, endMs: end, textStart: span[0], textEnd: span[1] };
}

/** "hi yo." as a chunk: ^ h i _ j o . $ with two words, visemes sil kk ih sil ih oh sil. */
function chunk(index = 0, offset = 0): SpeechChunk {
  const a: [number, number] = [offset, offset + 2];
  const b: [number, number] = [offset + 3, offset + 6];
  const phonemes = [
    phoneme('^', 0, 50),
    phoneme('h', 50, 100, a),
    phoneme('i', 100, 200, a),
    phoneme(' ', 200, 250),
    phoneme('j', 250, 300, b),
    phoneme('o', 300, 400, b),
    phoneme('.', 400, 450, b),
    phoneme('$', 450, 500),
  ];
  const v = (viseme: string, id: number, startMs: number, endMs: number, weight = 1) => ({ viseme, id, startMs, endMs, weight });
  return {
    index,
    sampleOffset: 0,
    endsSentence: true,
    sentenceSamples: 500,
    textStart: offset,
    textEnd: offset + 6,
    samples: new Float32Array(500).fill(0.25),
    sampleRate: RATE,
    durationMs: 500,
    phonemes,
    visemes: [
      v('sil', 0, 0, 50),
      v('kk', 5, 50, 100),
      v('ih', 12, 100, 200),
      v('sil', 0, 200, 250),
      v('ih', 12, 250, 300),
      v('oh', 13, 300, 450, 0.6),
      v('sil', 0, 450, 500),
    ],
    timing: 'model',
    timingExact: true,
    warnings: [],
  };
}

describe('word and cue derivation', () => {
  it('groups phonemes by text span; gaps (-1) belong to no word and do not split one', () => {
    expect(wordSpans(chunk().phonemes)).toEqual([
      { textStart: 0, textEnd: 2, startSample: 50, endSample: 200 },
      { textStart: 3, textEnd: 6, startSample: 250, endSample: 450 },
    ]);
    const split = [phoneme('a', 0, 10, [0, 3]), phoneme(' ', 10, 20), phoneme('b', 20, 30, [0, 3]), phoneme('c', 30, 40, [4, 5])];
    expect(wordSpans(split).map((w) => [w.textStart, w.startSample, w.endSample])).toEqual([
      [0, 0, 30],
      [4, 30, 40],
    ]);
    expect(wordSpans([phoneme('^', 0, 10), phoneme('$', 10, 20)])).toEqual([]);
  });

  it('places cues at chunk start + sample / rate, outer units first at the same instant', () => {
    const cues = chunkCues(chunk(3), 10, 'hi yo.');
    expect(cues[0]).toMatchObject({ type: 'sentence', time: 10, endTime: 10.5, chunkIndex: 3, text: 'hi yo.', durationMs: 500 });
    const at50 = cues.filter((c) => c.time === 10.05).map((c) => c.type);
    expect(at50).toEqual(['word', 'phoneme', 'viseme']);
    const words = cues.filter((c) => c.type === 'word');
    expect(words.map((w) => [w.time, w.endTime, 'text' in w && w.text])).toEqual([
      [10.05, 10.2, 'hi'],
      [10.25, 10.45, 'yo.'],
    ]);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.time).toBeGreaterThanOrEqual(cues[i - 1]!.time);
    expect(cues.filter((c) => c.type === 'phoneme')).toHaveLength(8);
    expect(cues.filter((c) => c.type === 'viseme')).toHaveLength(7);
    expect(chunkCues(chunk(), 0).find((c) => c.type === 'word')).not.toHaveProperty('text');
  });

  it('CueQueue hands out everything due after a late frame, in order, exactly once', () => {
    const queue = new CueQueue();
    queue.push(chunkCues(chunk(0), 0));
    queue.push(chunkCues(chunk(1), 0.5));
    const total = queue.size;
    expect(queue.takeDue(-1)).toEqual([]);
    const late = queue.takeDue(0.7); // a 700 ms stall
    expect(late.length).toBeGreaterThan(15);
    for (let i = 1; i < late.length; i++) expect(late[i]!.time).toBeGreaterThanOrEqual(late[i - 1]!.time);
    expect(late.every((c) => c.time <= 0.7)).toBe(true);
    const rest = queue.takeDue(10);
    expect(late.length + rest.length).toBe(total);
    expect(queue.size).toBe(0);
    // A cue pushed out of order still comes out in order.
    queue.push(chunkCues(chunk(0), 5));
    queue.push(chunkCues(chunk(0), 1));
    const times = queue.takeDue(10).map((c) => c.time);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });
});

describe('VisemeTrack', () => {
  it('answers the viseme at t and attack/release-blended weights that never sum above 1', () => {
    const track = new VisemeTrack();
    track.add(chunk(), 1);
    expect(track.frameAt(1.12, 0, 0)).toMatchObject({ viseme: 'ih', id: 12, weights: [{ viseme: 'ih', id: 12, weight: 1 }] });
    expect(track.frameAt(5, 40, 60)).toMatchObject({ viseme: 'sil', id: 0, weights: [] });
    // 20 ms before kk: sil at full, kk half-way up its 40 ms attack → normalised to sum 1.
    const f = track.frameAt(1.03, 40, 60);
    expect(f.viseme).toBe('sil');
    expect(f.weights.map((w) => w.viseme)).toEqual(['sil', 'kk']);
    expect(f.weights.reduce((s, w) => s + w.weight, 0)).toBeCloseTo(1, 9);
    expect(f.weights[1]!.weight).toBeCloseTo(0.5 / 1.5, 9);
    // Reduced weight carries through.
    expect(track.frameAt(1.35, 0, 0).weights).toEqual([{ viseme: 'oh', id: 13, weight: 0.6 }]);
    for (let t = 0.9; t < 1.6; t += 0.001) {
      const sum = track.frameAt(t, 40, 60).weights.reduce((s, w) => s + w.weight, 0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    }
    track.prune(3, 60);
    expect(track.frameAt(1.12, 0, 0).weights).toEqual([]);
  });

  // Hand-computed blends (moved here from the deleted C++ copy, viseme_blend_test.cpp): each
  // event's envelope rises linearly over attackMs before its start and falls over releaseMs after
  // its end; overlapping envelopes are scaled down when they sum above 1. Times in ms.
  type Ev = [viseme: string, id: number, startMs: number, endMs: number, weight?: number];
  const trackOf = (...events: Ev[]) => {
    const track = new VisemeTrack();
    track.add({ visemes: events.map(([viseme, id, startMs, endMs, weight = 1]) => ({ viseme, id, startMs, endMs, weight })) }, 0);
    return track;
  };
  const weightAt = (track: VisemeTrack, ms: number, attack: number, release: number, viseme: string) =>
    track.frameAt(ms / 1000, attack, release).weights.find((w) => w.viseme === viseme)?.weight ?? 0;

  it('looks events up half-open, [start, end), and is silence outside them', () => {
    const t = trackOf(['aa', 10, 2000, 3000], ['SS', 7, 3000, 4000]);
    expect(t.frameAt(1.9999, 0, 0).viseme).toBe('sil');
    expect(t.frameAt(2, 0, 0).viseme).toBe('aa');
    expect(t.frameAt(2.9999, 0, 0).viseme).toBe('aa');
    expect(t.frameAt(3, 0, 0)).toMatchObject({ viseme: 'SS', id: 7, weights: [{ viseme: 'SS', id: 7, weight: 1 }] });
    expect(t.frameAt(4, 0, 0)).toMatchObject({ viseme: 'sil', weights: [] });
    expect(t.frameAt(Number.NaN, 40, 60)).toMatchObject({ viseme: 'sil', weights: [] });
  });

  it('crossfades around a boundary, before the first event and after the last', () => {
    const t = trackOf(['aa', 10, 0, 100], ['PP', 1, 100, 200]);
    expect(weightAt(t, 50, 40, 40, 'aa')).toBe(1);
    expect(weightAt(t, 80, 40, 40, 'aa')).toBeCloseTo(2 / 3, 9); // PP half up its attack: 1 + 0.5
    expect(weightAt(t, 80, 40, 40, 'PP')).toBeCloseTo(1 / 3, 9);
    expect(weightAt(t, 100, 40, 40, 'aa')).toBeCloseTo(0.5, 9);
    expect(weightAt(t, 100, 40, 40, 'PP')).toBeCloseTo(0.5, 9);
    expect(weightAt(t, 120, 40, 40, 'aa')).toBeCloseTo(1 / 3, 9);
    expect(weightAt(t, -20, 40, 40, 'aa')).toBeCloseTo(0.5, 9); // attack before the first event
    expect(weightAt(t, 230, 40, 40, 'PP')).toBeCloseTo(0.25, 9); // release after the last
    // Gone once the release ends (just past 240 ms: in seconds, 0.24 − 0.2 leaves a 1e-16 tail).
    expect(t.frameAt(0.2401, 40, 40).weights).toEqual([]);
    expect(t.frameAt(0.08, 40, 40).viseme).toBe('aa'); // the discrete viseme ignores blending
  });

  it('with attack only, looks ahead and cuts at the end', () => {
    const t = trackOf(['aa', 10, 0, 100], ['ou', 14, 100, 200]);
    expect(weightAt(t, 75, 50, 0, 'ou')).toBeCloseTo(1 / 3, 9); // ou half formed 25 ms early
    expect(weightAt(t, 75, 50, 0, 'aa')).toBeCloseTo(2 / 3, 9);
    expect(weightAt(t, 100, 50, 0, 'aa')).toBe(0);
    expect(weightAt(t, 100, 50, 0, 'ou')).toBe(1);
    expect(t.frameAt(0.2, 50, 0).weights).toEqual([]);
  });

  it('blends silence too, so speech fades into a pause', () => {
    const t = trackOf(['aa', 10, 0, 100], ['sil', 0, 100, 300]);
    expect(weightAt(t, 150, 0, 100, 'aa')).toBeCloseTo(1 / 3, 9); // aa at half release, sil full
    expect(weightAt(t, 150, 0, 100, 'sil')).toBeCloseTo(2 / 3, 9);
    expect(weightAt(t, 250, 0, 100, 'aa')).toBe(0);
  });

  it('scales by event weight, and a ramp may span several events', () => {
    const t = trackOf(['SS', 7, 0, 20], ['aa', 10, 20, 40, 0.6], ['DD', 4, 40, 60]);
    expect(weightAt(t, 30, 0, 0, 'aa')).toBeCloseTo(0.6, 9); // a reduced vowel, no blending
    // At 30 ms with 60/60 all three are up: SS 1 − 10/60, aa 1, DD 1 − 10/60 → scaled by the sum.
    const total = 50 / 60 + 1 + 50 / 60;
    expect(weightAt(t, 30, 60, 60, 'SS')).toBeCloseTo(50 / 60 / total, 9);
    expect(weightAt(t, 30, 60, 60, 'aa')).toBeCloseTo(0.6 / total, 9);
    expect(weightAt(t, 30, 60, 60, 'DD')).toBeCloseTo(50 / 60 / total, 9);
  });

  it('learns the silence name of the set in use (Azure: "silence")', () => {
    const track = new VisemeTrack();
    const c = chunk();
    c.visemes = c.visemes.map((v) => (v.id === 0 ? { ...v, viseme: 'silence' } : v));
    track.add(c, 0);
    expect(track.frameAt(9, 0, 0).viseme).toBe('silence');
  });
});

describe('EventClock', () => {
  it('extrapolates a fresh output timestamp, falls back when stale, never runs backwards', () => {
    let perf = 1000;
    const ctx = {
      currentTime: 2,
      state: 'running',
      baseLatency: 0.01,
      outputLatency: 0.03,
      stamp: { contextTime: 1.955, performanceTime: 995 },
      getOutputTimestamp() {
        return this.stamp;
      },
    };
    const clock = new EventClock(ctx, () => perf);
    expect(clock.now()).toBeCloseTo(1.96, 9); // 1.955 + 5 ms
    perf = 1200; // the stamp is 205 ms old: stale → currentTime − latency
    expect(clock.now()).toBeCloseTo(1.96, 9); // 1.96 (fallback) — and not below the last reading
    ctx.currentTime = 2.1;
    expect(clock.now()).toBeCloseTo(2.06, 9);
    ctx.stamp = { contextTime: 2.2, performanceTime: 1199 }; // implausibly far ahead: bounded
    expect(clock.now()).toBeCloseTo(2.06 + 0.025, 9);
    ctx.currentTime = 1; // a glitchy reading: the clock holds
    ctx.stamp = { contextTime: 0, performanceTime: 0 };
    expect(clock.now()).toBeCloseTo(2.085, 9);
    ctx.state = 'suspended';
    ctx.currentTime = 9;
    expect(clock.now()).toBeCloseTo(2.085, 9);
  });
});

// ---- the Player against a fake AudioContext ----------------------------------------------------

class FakeNode {
  connect() {}
  disconnect() {}
}
class FakeSource extends FakeNode {
  buffer: { length: number; sampleRate: number } | null = null;
  onended: (() => void) | null = null;
  startedAt: number | null = null;
  stopped = false;
  start(when: number) {
    this.startedAt = when;
  }
  stop() {
    this.stopped = true;
  }
}
class FakeContext {
  currentTime = 0;
  state = 'running';
  baseLatency = 0.01;
  outputLatency = 0.02; // heard = currentTime − 30 ms
  destination = new FakeNode();
  sources: FakeSource[] = [];
  resumable = true;
  createGain() {
    const gain = {
      value: 1,
      cancelScheduledValues() {},
      setTargetAtTime(v: number) {
        gain.value = v;
      },
    };
    return Object.assign(new FakeNode(), { gain });
  }
  createBuffer(_channels: number, length: number, sampleRate: number) {
    const data = new Float32Array(length);
    return { length, sampleRate, getChannelData: () => data };
  }
  createBufferSource() {
    const source = new FakeSource();
    this.sources.push(source);
    return source;
  }
  resume = vi.fn(() => (this.resumable ? Promise.resolve().then(() => void (this.state = 'running')) : new Promise<void>(() => {})));
  suspend = vi.fn(async () => void (this.state = 'suspended'));
  close = vi.fn(async () => void (this.state = 'closed'));
  addEventListener() {}
  removeEventListener() {}
}

/** Moves the audio clock and lets the Player's 16 ms loop run over that span. */
async function play(ctx: FakeContext, seconds: number, stepMs = 16): Promise<void> {
  for (let t = 0; t < seconds * 1000; t += stepMs) {
    ctx.currentTime += stepMs / 1000;
    await vi.advanceTimersByTimeAsync(stepMs);
  }
}

function record(player: Player) {
  const events: { type: string; time: number; dispatch: number; name?: string }[] = [];
  for (const type of ['sentence', 'word', 'phoneme', 'viseme', 'end'] as const)
    player.on(type, (e: any) => events.push({ type, time: e.time, dispatch: e.dispatchTime, name: e.viseme ?? e.phoneme ?? e.text }));
  return events;
}

function fakeVoice(chunks: SpeechChunk[], delayMs = 0) {
  return {
    async *stream(_text: string, options: { signal?: AbortSignal } = {}) {
      for (const c of chunks) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (options.signal?.aborted) throw Object.assign(new Error('aborted'), { code: 'ABORTED' });
        yield c;
      }
    },
  } as any;
}

describe('Player (fake AudioContext)', () => {
  let ctx: FakeContext;
  let player: Player;
  beforeEach(() => {
    vi.useFakeTimers();
    ctx = new FakeContext();
    player = new Player({ context: ctx as unknown as AudioContext, lookAheadMs: 50, blockedAfterMs: 200 });
  });
  afterEach(() => {
    player.dispose();
    vi.useRealTimers();
  });

  it('schedules chunks back to back and fires every cue once, in order, after its time', async () => {
    const events = record(player);
    const first = player.enqueue(chunk(0), { text: 'hi yo. hi yo.' });
    const second = player.enqueue(chunk(1, 7), { text: 'hi yo. hi yo.' });
    expect(first.startTime).toBeCloseTo(0.05, 12);
    expect(second.startTime).toBe(first.endTime);
    expect(ctx.sources.map((s) => s.startedAt)).toEqual([first.startTime, second.startTime]);
    expect(player.playing).toBe(true);
    await play(ctx, 1.2);
    const cues = events.filter((e) => e.type !== 'end');
    expect(cues).toHaveLength(2 * (1 + 2 + 8 + 7));
    expect(events.at(-1)).toMatchObject({ type: 'end', time: second.endTime });
    expect(events.filter((e) => e.type === 'end')).toHaveLength(1);
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
    for (const e of events) {
      expect(e.dispatch).toBeGreaterThanOrEqual(e.time); // never early on the player's clock
      expect(e.dispatch - e.time).toBeLessThan(0.017 + 1e-9); // one 16 ms step at most
    }
    expect(events.filter((e) => e.type === 'word').map((e) => e.name)).toEqual(['hi', 'yo.', 'hi', 'yo.']);
    expect(player.playing).toBe(false);
  });

  it('fires everything due after a long stall, in order', async () => {
    const events = record(player);
    player.enqueue(chunk(0));
    ctx.currentTime = 10; // one 10 s hiccup
    await vi.advanceTimersByTimeAsync(16);
    expect(events).toHaveLength(1 + 2 + 8 + 7 + 1);
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);
  });

  it('speak() holds "end" through an underrun and resolves when the last chunk was heard', async () => {
    const events = record(player);
    let resolved = false;
    const speaking = player.speak(fakeVoice([chunk(0), chunk(1, 7)], 700), 'hi yo. hi yo.').then(() => (resolved = true));
    await play(ctx, 1.3); // chunk 0 arrives at 0.7 s and is heard by 1.3 s; chunk 1 arrives at 1.4 s
    expect(events.filter((e) => e.type === 'sentence')).toHaveLength(1);
    expect(events.some((e) => e.type === 'end')).toBe(false);
    await play(ctx, 1.0);
    await speaking;
    expect(resolved).toBe(true);
    expect(events.filter((e) => e.type === 'end')).toHaveLength(1);
    expect(events.at(-1)!.type).toBe('end');
    const sentences = events.filter((e) => e.type === 'sentence');
    expect(sentences[1]!.time - sentences[0]!.time).toBeGreaterThan(0.5); // a gap: restarted after the underrun
  });

  it('speak() of text in pieces names each word from the text received so far', async () => {
    const events = record(player);
    const seen: string[] = [];
    // A voice that reads all pieces before it speaks (as a sentence needs its text first).
    const voice = {
      async *stream(input: AsyncIterable<string>) {
        for await (const piece of input) seen.push(piece);
        yield chunk(0);
        yield chunk(1, 7);
      },
    } as any;
    const speaking = player.speak(voice, ['hi y', 'o. hi', ' yo.']);
    await play(ctx, 2);
    await speaking;
    expect(seen).toEqual(['hi y', 'o. hi', ' yo.']);
    expect(events.filter((e) => e.type === 'word').map((e) => e.name)).toEqual(['hi', 'yo.', 'hi', 'yo.']);
  });

  it('stop() drops pending cues, stops the sources and rejects speak() with ABORTED', async () => {
    const events = record(player);
    const speaking = player.speak(fakeVoice([chunk(0), chunk(1, 7)]), 'hi yo. hi yo.');
    const outcome = speaking.then(
      () => 'resolved',
      (e) => e.code,
    );
    await play(ctx, 0.3);
    const before = events.length;
    expect(before).toBeGreaterThan(0);
    player.stop();
    expect(await outcome).toBe('ABORTED');
    await play(ctx, 2);
    expect(events.length).toBe(before);
    expect(ctx.sources.every((s) => s.stopped)).toBe(true);
    expect(player.playing).toBe(false);
  });

  it('a listener may call stop(): nothing after it fires', async () => {
    const events = record(player);
    player.on('word', () => player.stop());
    player.enqueue(chunk(0));
    await play(ctx, 1);
    expect(events.map((e) => e.type)).toEqual(['sentence', 'phoneme', 'viseme', 'word']);
  });

  it('an aborted signal rejects speak() with ABORTED and stops playback', async () => {
    const controller = new AbortController();
    const outcome = player.speak(fakeVoice([chunk(0)]), 'hi yo.', { signal: controller.signal }).then(
      () => 'resolved',
      (e) => e.code,
    );
    await play(ctx, 0.2);
    controller.abort();
    expect(await outcome).toBe('ABORTED');
    expect(ctx.sources[0]!.stopped).toBe(true);
    const pre = new AbortController();
    pre.abort();
    await expect(player.speak(fakeVoice([chunk(0)]), 'x', { signal: pre.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('pause() halts the clock and cues; resume() continues them in order', async () => {
    const events = record(player);
    player.enqueue(chunk(0));
    await play(ctx, 0.2);
    await player.pause();
    expect(ctx.suspend).toHaveBeenCalled();
    expect(player.playing).toBe(false);
    const atPause = events.length;
    await vi.advanceTimersByTimeAsync(1000); // the context clock does not move while suspended
    expect(events.length).toBe(atPause);
    await player.resume();
    await play(ctx, 1);
    expect(events.at(-1)!.type).toBe('end');
    expect(events).toHaveLength(1 + 2 + 8 + 7 + 1);
  });

  it('stop() while paused leaves the context running for the next utterance; empty speech resolves', async () => {
    player.enqueue(chunk(0));
    await player.pause();
    player.stop();
    expect(player.paused).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ctx.state).toBe('running');
    await expect(player.speak(fakeVoice([]), '')).resolves.toBeUndefined();
  });

  it('reports a context that stays suspended: "blocked", and speak() rejects with AUTOPLAY_BLOCKED', async () => {
    ctx.state = 'suspended';
    ctx.resumable = false;
    const blocked: unknown[] = [];
    player.on('blocked', (e) => blocked.push(e));
    const outcome = player.speak(fakeVoice([chunk(0)]), 'hi yo.').then(
      () => 'resolved',
      (e) => e.code,
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(await outcome).toBe('AUTOPLAY_BLOCKED');
    expect(blocked).toEqual([expect.objectContaining({ type: 'blocked', state: 'suspended' })]);
    // enqueue(): reported once more, the audio waits; a gesture's resume() lets it play.
    const events = record(player);
    player.enqueue(chunk(0));
    await vi.advanceTimersByTimeAsync(250);
    expect(blocked).toHaveLength(2);
    ctx.resumable = true;
    await player.resume();
    await play(ctx, 1);
    expect(events.at(-1)!.type).toBe('end');
  });

  it('waits out a slow start the browser allows (Firefox opening its audio device), but not one it refuses', async () => {
    // A start that takes 1.5 s, far past blockedAfterMs (200 ms).
    ctx.state = 'suspended';
    ctx.resume.mockImplementation(() => new Promise<void>((r) => setTimeout(() => r(void (ctx.state = 'running')), 1500)));
    const outcomes: string[] = [];
    for (const policy of ['allowed', 'disallowed'] as const) {
      vi.stubGlobal('navigator', { getAutoplayPolicy: () => policy });
      ctx.state = 'suspended';
      const blocked: unknown[] = [];
      const off = player.on('blocked', (e) => blocked.push(e));
      const outcome = player.speak(fakeVoice([chunk(0)]), 'hi yo.').then(
        () => 'resolved',
        (e) => e.code,
      );
      await vi.advanceTimersByTimeAsync(1600);
      await play(ctx, 1);
      outcomes.push(`${policy}: ${await outcome}, ${blocked.length} blocked`);
      off();
      vi.unstubAllGlobals();
    }
    expect(outcomes).toEqual(['allowed: resolved, 0 blocked', 'disallowed: AUTOPLAY_BLOCKED, 1 blocked']);
  });

  it('a throwing listener does not stop the others', async () => {
    const reported: unknown[] = [];
    vi.stubGlobal('reportError', (e: unknown) => reported.push(e));
    player.on('sentence', () => {
      throw new Error('broken listener');
    });
    const events = record(player);
    player.enqueue(chunk(0));
    await play(ctx, 1);
    expect(events.at(-1)!.type).toBe('end');
    expect(reported).toHaveLength(1);
    vi.unstubAllGlobals();
  });

  it('validates its inputs with typed errors', () => {
    expect(() => player.enqueue({ ...chunk(), samples: [1, 2] as any })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => player.enqueue({ ...chunk(), sampleRate: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => player.enqueue({ ...chunk(), visemes: undefined as any })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => (player.volume = -1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => player.on('nope' as any, () => {})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    player.volume = 0.5;
    expect(player.volume).toBe(0.5);
    player.dispose();
    expect(() => player.enqueue(chunk())).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
    expect(() => new Player()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' })); // no Web Audio in Node
  });
});

describe('FrameLoop', () => {
  it('runs one chain even when a tick restarts it', async () => {
    vi.useFakeTimers();
    let ticks = 0;
    const loop: FrameLoop = new FrameLoop(() => {
      ticks++;
      if (ticks < 10) loop.start(); // e.g. a listener that enqueues
      return ticks < 10;
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(16 * 5);
    expect(ticks).toBe(5);
    await vi.advanceTimersByTimeAsync(16 * 20);
    expect(ticks).toBe(10); // one tick per frame, then asleep
    loop.dispose();
    vi.useRealTimers();
  });
});
