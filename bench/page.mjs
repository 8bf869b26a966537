// What bench.html runs: every measurement, one step per function on `window.bench`, driven by
// bench/run.mjs. Steps return raw samples (ms; warm-ups flagged `warmup: true`); statistics and
// tables are made in Node. The package is imported as a page without a bundler would; the
// baseline and the stage split live in their own workers (raw_ort_worker.mjs,
// core_split_worker.mjs).
import * as avatarVoice from '/dist/index.js';

import { connect } from './ort_piper.mjs';
import { FIRST_SENTENCE_5, FIRST_SENTENCE_40, FOLLOW_UP, PARAGRAPH, SENTENCE_60, SENTENCES } from './sentences.mjs';

const { AvatarVoice } = avatarVoice;
const now = () => performance.now();
/** How fast the incremental step's stand-in language model types. */
const MS_PER_WORD = 50;

/**
 * `words`, one every MS_PER_WORD whether or not they are read yet (as a network stream buffers
 * what arrives), as an async iterable; `onArrive(word, time)` when each one is in.
 */
async function* typedAtItsOwnPace(words, onArrive) {
  const queue = [];
  let wake = null;
  for (const [k, word] of words.entries()) {
    const arrive = () => {
      onArrive(word, now());
      queue.push(word);
      wake?.();
    };
    setTimeout(arrive, MS_PER_WORD * (k + 1));
  }
  for (let k = 0; k < words.length; k++) {
    while (!queue.length) await new Promise((resolve) => (wake = resolve));
    yield queue.shift();
  }
}
const state = { model: null, configText: null, config: null, av: {}, voices: {}, raw: {}, split: null, ids: new Map() };
/** CPU stages below a millisecond are timed as the mean of this many calls per repetition. */
const SPLIT_ITERATIONS = 40;
const LONGEST = SENTENCES.reduce((a, b) => (b.length > a.length ? b : a));
/**
 * The per-sentence pipeline compares the engine with raw one-shot inference: whole sentences, so
 * it measures the engine's overhead; the cost of windows is the `streaming` step's.
 */
const SENTENCE_CHUNKS = { chunking: 'sentence' };

/**
 * Ids per sentence of `text`, from the package (av.phonemizeToIds: Piper's id layout is the
 * core's alone); the baseline feeds them to raw onnxruntime-web. { ids: number[][], source }.
 */
async function textIds(av, text) {
  const ids = (await av.phonemizeToIds(text, state.configText)).map((s) => s.ids);
  return { ids, source: 'av.phonemizeToIds' };
}

async function sentenceIds(av, index) {
  if (!state.ids.has(index)) {
    const found = await textIds(av, SENTENCES[index]);
    if (found.ids.length !== 1) throw new Error(`sentence ${index + 1} phonemizes to ${found.ids.length} sentences`);
    state.ids.set(index, { ...found, ids: found.ids[0] });
  }
  return state.ids.get(index);
}

function scales(voice) {
  const d = voice.info.defaults;
  return [d.noiseScale, d.lengthScale, 0]; // noiseW = 0: repeatable durations
}

/**
 * Times one stream: first chunk, last chunk, loop done (what synthesize() costs). Also counts the
 * frames: the audio's, those the decoder decoded (a window's Md frames of context each side are
 * decoded twice) and those the flow ran on (Md + Mf each side); a whole sentence runs each once.
 */
async function timeStream(voice, text, options = {}) {
  const hop = voice.info.hopLength;
  const windowed = voice.info.streaming?.mode === 'window';
  const margin = windowed ? voice.info.streaming.decoderMarginFrames : 0;
  const flowMargin = windowed ? voice.info.streaming.marginFrames : 0;
  const t0 = now();
  let firstMs = null;
  let lastChunkMs = 0;
  let samples = 0;
  let chunks = 0;
  let frames = 0;
  let decodedFrames = 0;
  let flowFrames = 0;
  for await (const chunk of voice.stream(text, { noiseW: 0, ...options })) {
    lastChunkMs = now() - t0;
    firstMs ??= lastChunkMs;
    samples += chunk.samples.length;
    chunks++;
    const start = chunk.sampleOffset / hop;
    const end = start + chunk.samples.length / hop;
    const total = (chunk.sentenceSamples ?? chunk.samples.length) / hop;
    frames += end - start;
    decodedFrames += Math.min(total, end + margin) - Math.max(0, start - margin);
    flowFrames += Math.min(total, end + flowMargin) - Math.max(0, start - flowMargin);
  }
  return {
    firstMs,
    lastChunkMs,
    totalMs: now() - t0,
    samples,
    chunks,
    frames,
    decodedFrames,
    flowFrames,
    audioMs: (samples * 1000) / voice.sampleRate,
  };
}

const context = (numThreads) => ({
  av: state.av[numThreads],
  voice: state.voices[numThreads],
  raw: state.raw[numThreads],
});

window.bench = {
  async environment() {
    return {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated,
      measureMemory: typeof performance.measureUserAgentSpecificMemory === 'function',
      packageExports: Object.keys(avatarVoice),
      hasStore: typeof AvatarVoice.prototype.openStore === 'function',
    };
  },

  async fetchVoice(url) {
    const [model, configText] = await Promise.all([fetch(url).then((r) => r.arrayBuffer()), fetch(`${url}.json`).then((r) => r.text())]);
    Object.assign(state, { model: new Uint8Array(model), configText, config: JSON.parse(configText) });
    return { modelBytes: model.byteLength };
  },

  /** AvatarVoice.create() (worker start + wasm core + espeak data), disposed each time. */
  async startupCore({ reps, numThreads }) {
    const out = [];
    for (let i = 0; i <= reps; i++) {
      const t0 = now();
      const av = await AvatarVoice.create({ ort: { numThreads } });
      out.push({ warmup: i === 0, createMs: now() - t0, moduleMs: av.info.moduleMs, espeakMs: av.info.espeakMs });
      av.dispose();
    }
    return out;
  },

  /** Keeps one AvatarVoice per thread count; times loadVoice(bytes), keeping the last voice. */
  async voiceLoad({ reps, numThreads }) {
    const av = await AvatarVoice.create({ ort: { numThreads } });
    state.av[numThreads] = av;
    const out = [];
    for (let i = 0; i <= reps; i++) {
      const t0 = now();
      const voice = await av.loadVoice({ model: state.model, config: state.configText }, { cache: false });
      out.push({ warmup: i === 0, loadMs: now() - t0 });
      if (i < reps) await voice.dispose();
      else state.voices[numThreads] = voice;
    }
    return { samples: out, info: state.voices[numThreads].info, core: av.info };
  },

  /** The baseline's InferenceSession.create on the same bytes (the last session is kept). */
  async rawSession({ reps, numThreads }) {
    const w = connect(new URL('./raw_ort_worker.mjs', import.meta.url));
    state.raw[numThreads] = w;
    const { ortVersion } = await w.call('init', { numThreads });
    const out = [];
    for (let i = 0; i <= reps; i++) {
      const t0 = now();
      const r = await w.call('createSession', { model: state.model.buffer });
      out.push({ warmup: i === 0, createMs: r.createMs, pageMs: now() - t0 });
    }
    return { samples: out, ortVersion };
  },

  async startSplit({ numThreads, patchReps }) {
    const w = connect(new URL('./core_split_worker.mjs', import.meta.url));
    await w.call('init', { numThreads });
    const loaded = await w.call('load', { model: state.model.buffer, config: state.configText, patchReps });
    await w.call('warmup', { text: LONGEST, scales: scales(state.voices[numThreads]) });
    state.split = w;
    return loaded;
  },

  /** The stage split's one inference of sentence `index`; checks the package's ids against plan()'s. */
  async splitPrepare({ index, numThreads }) {
    const { av, voice } = context(numThreads);
    const { ids, source } = await sentenceIds(av, index);
    const r = await state.split.call('prepare', { index, text: SENTENCES[index], scales: scales(voice) });
    return { inferMs: r.inferMs, samples: r.samples, idsSource: source, idsMatchCore: JSON.stringify(r.ids) === JSON.stringify(ids) };
  },

  stopSplit() {
    state.split?.terminate();
    state.split = null;
  },

  /** The longest sentence once through the package and the baseline (first-run costs). */
  async pipelineWarmup({ numThreads }) {
    const { av, voice, raw } = context(numThreads);
    const ours = await timeStream(voice, LONGEST, SENTENCE_CHUNKS);
    const ids = (await textIds(av, LONGEST)).ids[0];
    const r = await raw.call('run', { ids, scales: scales(voice) });
    return { oursMs: ours.totalMs, rawMs: r.ms };
  },

  /** One repetition of sentence `index`: package, baseline (order alternating by pass), split. */
  async pipelinePass({ index, pass, numThreads }) {
    const text = SENTENCES[index];
    const { av, voice, raw } = context(numThreads);
    const { ids, source } = await sentenceIds(av, index);
    let t0 = now();
    await av.phonemize(text, { voice: state.config.espeak.voice });
    const phonemizeMs = now() - t0;
    t0 = now();
    await av.phonemizeToIds(text, state.configText);
    const toIdsMs = now() - t0;
    const runRaw = () => raw.call('run', { ids, scales: scales(voice) });
    let ours;
    let r;
    if (pass % 2 === 0) {
      ours = await timeStream(voice, text, SENTENCE_CHUNKS);
      r = await runRaw();
    } else {
      r = await runRaw();
      ours = await timeStream(voice, text, SENTENCE_CHUNKS);
    }
    const split = state.split ? await state.split.call('split', { index, text, iterations: SPLIT_ITERATIONS }) : null;
    return { pass, ids: ids.length, idsSource: source, phonemizeMs, toIdsMs, ours, raw: { ms: r.ms, samples: r.samples }, split };
  },

  /** The paragraph streamed by the package; one warm-up stream of the longest sentence first. */
  async paragraph({ reps, numThreads }) {
    const { voice } = context(numThreads);
    const warmup = await timeStream(voice, LONGEST);
    const out = [];
    for (let i = 0; i < reps; i++) out.push(await timeStream(voice, PARAGRAPH));
    const sentences = (await state.av[numThreads].phonemize(PARAGRAPH)).length;
    return { words: PARAGRAPH.split(/\s+/).length, sentences, warmupMs: warmup.totalMs, samples: out };
  },

  /**
   * Windowed streaming (issue #23): the paragraph in windows and in whole sentences against raw
   * onnxruntime-web one-shot runs of the same ids, and first audio after a 5-word and a 40-word
   * first sentence. Needs the baseline session (rawSession) still open.
   */
  async streaming({ reps, numThreads }) {
    const { av, voice, raw } = context(numThreads);
    const ids = (await textIds(av, PARAGRAPH)).ids;
    const first5 = `${FIRST_SENTENCE_5} ${FOLLOW_UP}`;
    const first40 = `${FIRST_SENTENCE_40} ${FOLLOW_UP}`;
    await timeStream(voice, first40); // warm-up, both paths
    await timeStream(voice, first40, { chunking: 'sentence' });
    const out = [];
    for (let i = 0; i < reps; i++) {
      const window = await timeStream(voice, PARAGRAPH);
      const sentence = await timeStream(voice, PARAGRAPH, { chunking: 'sentence' });
      let rawMs = 0;
      for (const sentenceIds of ids) rawMs += (await raw.call('run', { ids: sentenceIds, scales: scales(voice) })).ms;
      const w5 = await timeStream(voice, first5);
      const w40 = await timeStream(voice, first40);
      const s5 = await timeStream(voice, first5, { chunking: 'sentence' });
      const s40 = await timeStream(voice, first40, { chunking: 'sentence' });
      out.push({
        window,
        sentence,
        rawMs,
        first5: w5.firstMs,
        first40: w40.firstMs,
        sentenceFirst5: s5.firstMs,
        sentenceFirst40: s40.firstMs,
      });
    }
    return {
      streaming: voice.info.streaming,
      words5: FIRST_SENTENCE_5.split(/\s+/).length,
      words40: FIRST_SENTENCE_40.split(/\s+/).length,
      samples: out,
    };
  },

  /**
   * Text in pieces (issue #18): the paragraph typed a word every 50 ms (a fast language model)
   * into voice.stream(pieces). Per sentence: ms from the arrival of the piece that ends its text
   * to its first chunk in the page (the planner closes a sentence once the next word is in).
   */
  async incremental({ reps, numThreads }) {
    const { voice } = context(numThreads);
    const words = PARAGRAPH.split(/(?= )/);
    const runs = [];
    for (let i = 0; i < reps; i++) {
      const arrived = []; // per piece: when it arrived, and where the text so far ends
      const started = now();
      const typed = typedAtItsOwnPace(words, (word, at) => arrived.push({ at, end: (arrived.at(-1)?.end ?? 0) + word.length }));
      const firsts = new Map();
      for await (const c of voice.stream(typed, { noiseW: 0 }))
        if (!firsts.has(c.index)) firsts.set(c.index, { at: now(), end: c.textEnd });
      const latencies = [...firsts.values()].map(({ at, end }) => {
        const lastChar = PARAGRAPH.slice(0, end).trimEnd().length;
        return at - arrived.find((a) => a.end >= lastChar).at;
      });
      runs.push({ latencies, typedMs: arrived.at(-1).at - started, totalMs: now() - started });
    }
    return { msPerWord: MS_PER_WORD, words: words.length, runs };
  },

  /**
   * The store, if this build has one (API still being built: anything failing is reported, not
   * thrown). One synthesized sentence saved and loaded back `reps` times on OPFS.
   */
  async store({ reps, numThreads }) {
    const { av, voice } = context(numThreads);
    if (typeof av.openStore !== 'function') return { available: false };
    try {
      let t0 = now();
      const store = await av.openStore({ storage: 'opfs', name: 'bench.sqlite3' });
      const openMs = now() - t0;
      const speech = await voice.synthesize(SENTENCES[0], { noiseW: 0 });
      const out = [];
      for (let i = 0; i <= reps; i++) {
        t0 = now();
        const audio = await store.saveSpeech(speech, { text: SENTENCES[0], voiceId: voice.info.sha256 });
        const saveMs = now() - t0;
        t0 = now();
        await store.loadSpeech(audio.id);
        out.push({ warmup: i === 0, saveMs, loadMs: now() - t0 });
      }
      const stats = await store.stats();
      return { available: true, openMs, audioMs: speech.durationMs, samples: out, dbBytes: stats.bytes, quota: stats.quota ?? null };
    } catch (error) {
      return { available: true, error: `${error?.code ?? ''} ${error?.message ?? error}`.trim() };
    }
  },

  /**
   * Database size of `count` saved utterances of exactly 3 s, per stored format (issue #20): each
   * format in a fresh in-memory store of its own engine (the bytes are SQLite's pages, the same as
   * on OPFS), with the mean save time and one load.
   */
  async storeFormats({ count, numThreads }) {
    const { voice } = context(numThreads);
    const speech = await voice.synthesize(SENTENCES[0], { noiseW: 0 });
    const n = voice.sampleRate * 3;
    const samples = new Float32Array(n);
    for (let i = 0; i < n; i++) samples[i] = speech.samples[i % speech.samples.length];
    const three = { ...speech, samples, durationMs: 3000 };
    const out = {};
    for (const format of ['pcm_f32', 'wav', 'opus']) {
      const av = await AvatarVoice.create({ ort: { numThreads: 1 } });
      try {
        const store = await av.openStore({ storage: 'memory' });
        const t0 = now();
        let stored = format;
        let last = null;
        for (let i = 0; i < count; i++) {
          last = await store.saveSpeech(three, { text: SENTENCES[0], voiceId: voice.info.sha256, format });
          stored = last.format;
        }
        const saveMs = (now() - t0) / count;
        const t1 = now();
        await store.loadSpeech(last.id);
        out[format] = { stored, count, bytes: (await store.stats()).bytes, saveMs, loadMs: now() - t1 };
      } catch (error) {
        out[format] = { error: `${error?.code ?? ''} ${error?.message ?? error}`.trim() };
      } finally {
        av.dispose();
      }
    }
    return out;
  },

  /**
   * Rows on OPFS (issue #20), in a store of its own engine: `rows` phoneme rows inserted in one
   * batch and read back whole, `reps` times (each into a new audio); `points` sessions read one
   * call each (get) and in one call (getMany).
   */
  async storeRows({ reps, rows, points }) {
    const av = await AvatarVoice.create({ ort: { numThreads: 1 } });
    try {
      const store = await av.openStore({ storage: 'opfs', name: 'bench-rows.sqlite3' });
      const batch = Array.from({ length: rows }, (_, i) => ({ phoneme: 'ə', startMs: i * 10, endMs: i * 10 + 10, viseme: 'aa' }));
      const inserts = [];
      for (let i = 0; i <= reps; i++) {
        const audio = await store.audios.create(
          { text: 'rows', voiceId: 'bench', sampleRate: 22050, durationMs: 1, format: 'pcm_f32' },
          new Uint8Array(8),
        );
        let t0 = now();
        await store.phonemes.insertBatch(audio.id, batch);
        const insertMs = now() - t0;
        t0 = now();
        const back = await store.phonemes.list(audio.id);
        if (back.length !== rows) throw new Error(`read back ${back.length} of ${rows} rows`);
        inserts.push({ warmup: i === 0, insertMs, listMs: now() - t0 });
      }
      const avatar = await store.avatars.create({ name: 'bench' });
      const ids = [];
      await store.transaction(async (tx) => {
        for (let i = 0; i < points; i++) ids.push((await tx.sessions.create({ avatarId: avatar.id, kind: 'bench' })).id);
      });
      const reads = [];
      for (let i = 0; i <= reps; i++) {
        let t0 = now();
        for (const id of ids) await store.sessions.get(id);
        const getMs = now() - t0;
        t0 = now();
        const many = await store.sessions.getMany(ids);
        if (many.length !== points) throw new Error('getMany lost rows');
        reads.push({ warmup: i === 0, getMs, getManyMs: now() - t0 });
      }
      return { rows, points, inserts, reads };
    } catch (error) {
      return { error: `${error?.code ?? ''} ${error?.message ?? error}`.trim() };
    } finally {
      av.dispose();
    }
  },

  async release({ numThreads }) {
    await state.voices[numThreads]?.dispose();
    state.av[numThreads]?.dispose();
    state.raw[numThreads]?.terminate();
    delete state.voices[numThreads];
    delete state.av[numThreads];
    delete state.raw[numThreads];
    state.ids.clear();
  },

  /**
   * One 60-word sentence through a fresh 1-thread engine (its wasm heaps grow only once, so a
   * fresh one shows the sentence's peak): `mode` 'window' or 'sentence' (the package's chunking),
   * or 'raw' (onnxruntime-web alone on the whole model, the pre-split baseline). bench/run.mjs
   * samples the processes' memory meanwhile; `prepare` and `run` are separate steps so that the
   * sampling covers the synthesis only.
   */
  async peakPrepare({ mode }) {
    const av = await AvatarVoice.create({ ort: { numThreads: 1 } });
    const ids = (await av.phonemizeToIds(SENTENCE_60, state.configText)).map((x) => x.ids);
    if (mode === 'raw') {
      av.dispose();
      const w = connect(new URL('./raw_ort_worker.mjs', import.meta.url));
      await w.call('init', { numThreads: 1 });
      await w.call('createSession', { model: state.model.buffer });
      state.peak = { mode, raw: w, ids };
    } else {
      const voice = await av.loadVoice({ model: state.model, config: state.configText }, { cache: false });
      state.peak = { mode, av, voice, ids };
    }
    return { words: SENTENCE_60.split(/\s+/).length, sentences: ids.length, ids: ids[0].length };
  },

  async peakRun() {
    const p = state.peak;
    const t0 = now();
    if (p.mode === 'raw') {
      const d = state.config.inference;
      for (const ids of p.ids) await p.raw.call('run', { ids, scales: [d.noise_scale, d.length_scale, 0] });
    } else {
      await timeStream(p.voice, SENTENCE_60, { chunking: p.mode });
    }
    return { ms: now() - t0 };
  },

  async peakRelease() {
    const p = state.peak;
    if (p.raw) p.raw.terminate();
    else {
      await p.voice.dispose();
      p.av.dispose();
    }
    state.peak = null;
  },

  /** Puts the voice in the OPFS cache from its URL (one download), for the reload measurement. */
  async cacheVoice({ url }) {
    const av = await AvatarVoice.create();
    const voice = await av.loadVoice({ model: url }, { cache: true });
    const cachedId = voice.info.cachedId ?? null;
    // What the bare onnxruntime-web visits (rawColdStart) run: the same sentence's ids.
    const config = await (await fetch(`${url}.json`)).text();
    const ids = (await av.phonemizeToIds(FIRST_SENTENCE_5, config))[0].ids;
    const { noiseScale, lengthScale } = voice.info.defaults;
    await voice.dispose();
    av.dispose();
    return { cachedId, ids, scales: [noiseScale, lengthScale, 0] };
  },

  /**
   * Right after a reload, as an app would start: AvatarVoice.create(), loadVoice from its URL
   * (served from the OPFS cache), first chunk of a short sentence. Times are ms since navigation.
   */
  async coldStart({ url, preload = false }) {
    const started = now();
    const av = await AvatarVoice.create(preload ? { ort: { preload: true } } : {});
    const created = now();
    const voice = await av.loadVoice({ model: url }, { cache: true });
    const loaded = now();
    let firstChunk = null;
    for await (const _chunk of voice.stream(FIRST_SENTENCE_5, { noiseW: 0 })) {
      firstChunk ??= now();
    }
    const cached = voice.info.cachedId != null;
    const timings = voice.info.loadTimings;
    await voice.dispose();
    av.dispose();
    return {
      pageStartMs: started,
      createMs: created - started,
      loadMs: loaded - created,
      firstChunkMs: firstChunk - loaded,
      firstAudioMs: firstChunk,
      cached,
      timings,
    };
  },

  /**
   * The baseline of a returning visit: onnxruntime-web alone, as a page without this package would
   * start it — the model read (from the HTTP cache), a worker, InferenceSession.create of the
   * whole model, one run of the sentence's ids (`cacheVoice` returned them). Times are ms since
   * navigation.
   */
  async rawColdStart({ url, ids, scales, numThreads }) {
    const started = now();
    const model = await (await fetch(url)).arrayBuffer();
    const read = now();
    const w = connect(new URL('./raw_ort_worker.mjs', import.meta.url));
    await w.call('init', { numThreads });
    const { createMs } = await w.call('createSession', { model });
    const ready = now();
    const { ms: runMs } = await w.call('run', { ids, scales });
    const firstAudio = now();
    await w.call('release');
    w.terminate();
    return { pageStartMs: started, readMs: read - started, createMs, sessionReadyMs: ready, runMs, firstAudioMs: firstAudio };
  },

  /** Chromium's own accounting of this page and its workers (needs cross-origin isolation). */
  async memory() {
    if (typeof performance.measureUserAgentSpecificMemory !== 'function') return null;
    const m = await performance.measureUserAgentSpecificMemory();
    const byScope = {};
    for (const b of m.breakdown) {
      // An entry shared by several scopes is split evenly between them.
      const owners = b.attribution.length ? b.attribution : [{ scope: 'unattributed', url: '' }];
      for (const a of owners) {
        const key = `${a.scope} ${a.url.replace(location.origin, '')}`.trim();
        byScope[key] = (byScope[key] ?? 0) + b.bytes / owners.length;
      }
    }
    return { bytes: m.bytes, byScope };
  },
};
window.benchReady = true;
