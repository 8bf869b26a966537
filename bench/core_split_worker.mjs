// The per-stage split of one sentence, which the package does not report (no timing hook in
// web/voice_engine.ts yet): this worker drives the wasm core's Embind API the way
// voice_engine.ts does — phonemize, plan (phonemize + Piper ids), ORT run on the timing-patched
// model, finish (alignment, normalisation, visemes) — and times each call.
// It uses internal bindings (wasm/bindings.cpp, wasm/voice_bindings.cpp): when they change, this
// file is what to update; the bench reports the split as n/a if it fails. Delete it once the
// engine reports stage timings itself.
import * as ort from '/node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';

import { SESSION_OPTIONS, configureOrt, runPiper, serve } from './ort_piper.mjs';

// Same options web/voice_engine.ts passes to finish() by default.
const FINISH_OPTIONS = { normalize: true, volume: 1, visemeSet: 'oculus', minVisemeMs: 30 };

let core = null;
let voice = null;
let session = null;
let durationOutput = null;
let espeakVoice = 'en-us';
/** Model output per sentence index, from prepare(): finish() is timed on it, inference once. */
const outputs = new Map();

function unwrap(value) {
  if (value && typeof value === 'object' && '__error' in value) throw new Error(`${value.__error.code}: ${value.__error.message}`);
  return value;
}

async function bytes(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Mean ms of calls of a and b, interleaved a b a b … so drift and cache state hit both alike. */
function interleaved(iterations, a, b) {
  let msA = 0;
  let msB = 0;
  for (let i = 0; i < iterations; i++) {
    let t = performance.now();
    a();
    msA += performance.now() - t;
    t = performance.now();
    b();
    msB += performance.now() - t;
  }
  return [msA / iterations, msB / iterations];
}

function planOne(text) {
  const sentences = unwrap(voice.plan(text, 0));
  if (sentences.length !== 1) throw new Error(`expected 1 sentence, got ${sentences.length}: ${text}`);
  return sentences[0];
}

serve({
  async init({ numThreads }) {
    configureOrt(ort, numThreads);
    const [factory, wasmBinary, pack] = await Promise.all([
      import('/dist/core/avatar-voice-core.mjs'),
      bytes('/dist/core/avatar-voice-core.wasm'),
      bytes('/dist/core/espeak-ng-data-en.pack'),
    ]);
    core = await factory.default({ wasmBinary });
    unwrap(core.installEspeakData(pack, '/espeak/espeak-ng-data'));
    unwrap(core.initEspeak('/espeak'));
    return { numThreads };
  },
  /** Config + model; times patchModel and SHA-256 `patchReps` + 1 times (the first is a warm-up). */
  async load({ model, config, patchReps }) {
    voice = new core.WasmVoice();
    unwrap(voice.load(config));
    espeakVoice = JSON.parse(config).espeak?.voice ?? 'en-us';
    const bytesIn = new Uint8Array(model);
    const patchMs = [];
    const sha256Ms = [];
    let patch = null;
    for (let i = 0; i <= patchReps; i++) {
      let t0 = performance.now();
      patch = unwrap(core.patchModel(bytesIn));
      patchMs.push(performance.now() - t0);
      // What Synthesizer.loadVoice also does to the bytes (the cache key).
      t0 = performance.now();
      await crypto.subtle.digest('SHA-256', bytesIn);
      sha256Ms.push(performance.now() - t0);
    }
    session = await ort.InferenceSession.create(patch.model, SESSION_OPTIONS);
    durationOutput = patch.durationOutput && session.outputNames.includes(patch.durationOutput) ? patch.durationOutput : null;
    return { timing: durationOutput ? 'model' : 'estimated', patchMs, sha256Ms };
  },
  /** One untimed inference, so prepare()'s single runs do not include the session's first run. */
  async warmup({ text, scales }) {
    await runPiper(ort, session, planOne(text).ids, scales, durationOutput ? ['output', durationOutput] : ['output']);
  },
  /** Plans and runs sentence `index` once, keeping the model output for split(). */
  async prepare({ index, text, scales }) {
    const ids = planOne(text).ids;
    const fetches = durationOutput ? ['output', durationOutput] : ['output'];
    const { ms, data } = await runPiper(ort, session, ids, scales, fetches);
    outputs.set(index, { audio: data[0], frames: data[1] ?? null });
    return { inferMs: ms, ids: Array.from(ids), samples: data[0].length };
  },
  /** One repetition of the CPU stages around inference for sentence `index`. */
  async split({ index, text, iterations }) {
    const out = outputs.get(index);
    const [phonemizeMs, planMs] = interleaved(
      iterations,
      () => unwrap(core.phonemize(text, espeakVoice, 0)),
      () => planOne(text),
    );
    let samples = 0;
    let finishMs = 0;
    const finishes = Math.max(1, Math.round(iterations / 10));
    for (let i = 0; i < finishes; i++) {
      const stream = unwrap(voice.startStream(text, FINISH_OPTIONS));
      const request = unwrap(stream.next());
      const t0 = performance.now();
      samples = unwrap(stream.finish(request.sentence, out.audio, out.frames)).samples.length;
      finishMs += performance.now() - t0;
      stream.delete();
    }
    return { phonemizeMs, planMs, finishMs: finishMs / finishes, samples, iterations, finishes };
  },
});
