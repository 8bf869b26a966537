// Tables of the latency measurements: a returning visit → first audio with the voice in the OPFS cache and
// peak memory of one 60-word sentence (issue #23: bench/run.mjs steps coldStart and peak*), and
// text that arrives word by word (issue #18: step incremental). Used by bench/report.mjs.
import { fmt, fmtBytes, timed } from './stats.mjs';

/** Returning visit with the voice cached in OPFS → first audio; null when the run has no such step. */
export function coldStartSection(r) {
  const s = r.coldStart;
  if (!s?.length) return null;
  const row = (label, pick) => [label, fmt(timed(s, pick))];
  const timedRuns = s.filter((x) => !x.warmup);
  return {
    title: `Returning visit with the voice in the OPFS cache → first audio (median (min–max) of ${timedRuns.length}, ms since navigation)`,
    columns: ['measure', 'value'],
    rows: [
      row('first audio of a 5-word sentence, since navigation', (x) => x.firstAudioMs),
      row('  page script running (navigation → bench page ready)', (x) => x.pageStartMs),
      row('  AvatarVoice.create()', (x) => x.createMs),
      row('  loadVoice(url) served from the OPFS cache (read + hash + patch + split + sessions)', (x) => x.loadMs),
      row('    of which waiting for onnxruntime-web to start (loadTimings.runtimeMs)', (x) => x.timings?.runtimeMs ?? Number.NaN),
      row('    of which creating its sessions (loadTimings.sessionsMs)', (x) => x.timings?.sessionsMs ?? Number.NaN),
      row('  first chunk of the stream', (x) => x.firstChunkMs),
      ['voice loaded from the cache, every run', timedRuns.every((x) => x.cached) ? 'yes' : 'NO'],
      ['requests for voice files during the visits', String(timedRuns.reduce((n, x) => n + x.voiceRequests, 0))],
      ...rawVisitRows(r.rawColdStart, s),
    ],
    notes: [
      `Each run is a visit: Chromium started again on the bench's profile (its HTTP cache, wasm code cache and OPFS kept), the bench page opened, and the engine started as an app would: create, loadVoice({ model: url }) which the OPFS cache answers, stream(). Each visit stays ${r.coldStartLingerMs ?? 0} ms before the browser closes. One untimed visit first. (Reloading in the same browser instead found onnxruntime's optimised code still alive in the renderer and was about 2x faster than a real visit.)`,
      "Baseline visits, interleaved with the package's on the same profile: onnxruntime-web alone in its own worker (bench/raw_ort_worker.mjs, its files versioned and immutable as the package's), the unpatched model read from the HTTP cache, one InferenceSession.create of the whole model (its time includes onnxruntime-web's start), one run of the sentence's ids. Load / bare create compares each package visit's loadVoice with the next baseline visit's create.",
    ],
  };
}

/** The baseline's visits (bench/page.mjs rawColdStart), and the package's load against them. */
function rawVisitRows(raw, ours) {
  if (!raw?.length) return [];
  const row = (label, pick) => [label, fmt(timed(raw, pick))];
  const ratios = ours.map((x, i) => ({ warmup: x.warmup, ratio: raw[i] ? x.loadMs / raw[i].createMs : Number.NaN }));
  return [
    row('bare onnxruntime-web, same visit: first audio of the sentence, since navigation', (x) => x.firstAudioMs),
    row('  model read from the HTTP cache', (x) => x.readMs),
    row('  InferenceSession.create of the whole model (with onnxruntime-web starting)', (x) => x.createMs),
    row('  run() of the sentence', (x) => x.runMs),
    [
      "package's cached loadVoice / bare InferenceSession.create, same visit kind",
      fmt(
        timed(ratios, (x) => x.ratio),
        2,
      ),
    ],
  ];
}

/** Peak memory of one 60-word sentence in fresh 1-thread engines; null when not measured. */
export function peakMemorySection(r) {
  const p = r.peakMemory;
  if (!p?.window) return null;
  const growth = (m) => m.peakBytes - m.beforeBytes;
  const label = {
    raw: 'raw onnxruntime-web, whole model (before the split)',
    sentence: 'package, whole-sentence chunks',
    window: 'package, windows',
  };
  const rows = ['raw', 'sentence', 'window']
    .filter((mode) => p[mode])
    .map((mode) => [label[mode], fmtBytes(growth(p[mode])), fmtBytes(p[mode].peakBytes), p[mode].ms.toFixed(0)]);
  return {
    title: `Peak memory, one ${p.window.words}-word sentence (${p.window.ids} ids), fresh 1-thread engine`,
    columns: ['engine', 'RSS growth while synthesizing', 'peak RSS, all processes', 'time (ms)'],
    rows,
    notes: [
      "RSS of every process of this Chromium summed, sampled every 10 ms from Node while the sentence synthesizes; growth = peak − the value just before. Each engine is new, so its wasm heaps grow for this sentence only (a heap never shrinks: a second run shows no growth). 'raw' is the pre-split baseline: one session of the whole model in its own worker.",
    ],
  };
}

/** voice.stream(pieces) of the paragraph typed word by word; null when the run has no such step. */
export function incrementalSection(r) {
  const s = r.incremental;
  if (!s?.runs?.length) return null;
  const sentences = s.runs[0].latencies.length;
  const rows = [];
  for (let k = 0; k < sentences; k++)
    rows.push([`sentence ${k + 1}: its text in → its first audio (ms)`, fmt(timed(s.runs, (x) => x.latencies[k]))]);
  rows.push(['typing the paragraph (ms)', fmt(timed(s.runs, (x) => x.typedMs))]);
  rows.push(['typing start → stream closed (ms)', fmt(timed(s.runs, (x) => x.totalMs))]);
  return {
    title: `Text in pieces: the paragraph typed a word every ${s.msPerWord} ms into voice.stream(pieces) (median (min–max) of ${s.runs.length})`,
    columns: ['measure', 'value'],
    rows,
    notes: [
      `"Its text in" = the arrival of the piece holding the sentence's last character. A sentence is closed once the next word is in (one piece later, ${s.msPerWord} ms here); the last one at the end of the input. Sentence 1 is the responsiveness figure (one word's wait + first audio). Later sentences also queue behind the synthesis of those before them (one worker synthesizes in order, and this paragraph is typed faster than it synthesizes, see the streaming table); their audio is needed only once the sentences before them have been heard.`,
    ],
  };
}
