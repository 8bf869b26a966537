// Turns a run's raw samples (bench/run.mjs) into tables: plain text for the console, Markdown
// for bench/BASELINE.md. Every timing is "median (min–max)" over the timed repetitions, or a
// median alone where the table is per sentence.
import { coldStartSection, incrementalSection, peakMemorySection } from './report_latency.mjs';
import { fmt, fmtBytes, summarize, timed } from './stats.mjs';

const pct = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const ratio = (x) => (x === null || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(2)}×`);
const med = (stat, digits = 0) => (stat ? stat.median.toFixed(digits) : 'n/a');
const timedReps = (samples) => samples.filter((s) => !s.warmup);

function pipelineSections(r) {
  const sentences = r.pipeline.sentences;
  const hasSplit = sentences.every((s) => timedReps(s.samples).every((x) => x.split));
  const idPrep = (x) => x.split && x.split.planMs - x.split.phonemizeMs;
  const rows = sentences.map((s, i) => {
    const t = (pick) => timed(s.samples, pick);
    const ours = t((x) => x.ours.totalMs);
    const raw = t((x) => x.raw.ms);
    return [
      i + 1,
      s.text.split(/\s+/).length,
      s.samples[0].ids,
      (timedReps(s.samples)[0].ours.audioMs / 1000).toFixed(2),
      med(
        t((x) => x.phonemizeMs),
        1,
      ),
      med(
        t((x) => x.split?.phonemizeMs),
        1,
      ),
      med(t(idPrep), 2),
      med(
        t((x) => x.split?.finishMs),
        1,
      ),
      med(raw),
      med(ours),
      ratio(ours.median / raw.median),
      pct((ours.median - raw.median) / raw.median),
    ];
  });
  // Per repetition: the 20 sentences added up, then median (min–max) over repetitions.
  const reps = timedReps(sentences[0].samples).length;
  const total = (pick) =>
    summarize(Array.from({ length: reps }, (_, k) => sentences.reduce((n, s) => n + pick(timedReps(s.samples)[k]), 0)));
  const T = {
    phonemizeAv: total((x) => x.phonemizeMs),
    phonemizeCore: hasSplit ? total((x) => x.split.phonemizeMs) : null,
    idPrep: hasSplit ? total(idPrep) : null,
    finish: hasSplit ? total((x) => x.split.finishMs) : null,
    first: total((x) => x.ours.firstMs),
    ours: total((x) => x.ours.totalMs),
    raw: total((x) => x.raw.ms),
    overhead: total((x) => x.ours.totalMs - x.raw.ms),
    audio: total((x) => x.ours.audioMs),
  };
  const splitOverhead = hasSplit ? total((x) => x.split.phonemizeMs + idPrep(x) + x.split.finishMs) : null;
  const lengthsAgree = sentences.every(
    (s) =>
      s.samples.every((x) => x.ours.samples === x.raw.samples && (!x.split || x.split.samples === x.ours.samples)) &&
      (!s.prepare || s.prepare.samples === s.samples[0].ours.samples),
  );
  const idsChecked = sentences.filter((s) => s.prepare);
  const first = sentences.map((s) => s.samples[0]);
  const count = (list, ok) => `${list.filter(ok).length}/${list.length}`;
  const hasToIds = first.every((x) => typeof x.toIdsMs === 'number');
  const n = r.pipeline.numThreads;
  const splitCalls = sentences[0].samples[0].split ?? { iterations: 0, finishes: 0 };
  return [
    {
      title: `Pipeline cost per sentence (${sentences.length} sentences, ${n} threads, noiseW 0; medians, ms)`,
      columns: [
        '#',
        'words',
        'ids',
        'audio s',
        'phonemize',
        'core phon.',
        'id prep',
        'post-proc',
        'inference',
        'ours e2e',
        'ours/raw',
        'overhead',
      ],
      rows,
      notes: [
        'phonemize = av.phonemize() from the page (worker round trip included).',
        `core phon. / id prep / post-proc = the same sentence driven stage by stage through the wasm core in a bench worker (bench/core_split_worker.mjs; the engine has no timing hook): id prep = plan() − phonemize(), each the mean of ${splitCalls.iterations} interleaved calls per repetition; post-proc = mean of ${splitCalls.finishes} finish() calls on a kept model output (one untimed ORT run of the timing-patched model per sentence produces it).`,
        'inference = raw onnxruntime-web alone (the baseline) in its own worker on the same ids (from av.phonemizeToIds()), run() with its tensors; ours e2e = voice.stream(text, { chunking: "sentence" }) loop in the page (text in → chunk in page → stream closed); overhead = (ours e2e − inference) / inference.',
      ],
    },
    {
      title: `Pipeline totals over the ${sentences.length} sentences (${n} threads; median (min–max) of ${reps} repetitions, ms)`,
      columns: ['measure', 'value'],
      rows: [
        ['audio produced (ms)', fmt(T.audio)],
        ['phonemize, av.phonemize() (page → worker → page)', fmt(T.phonemizeAv, 1)],
        [
          'phonemize + ids, av.phonemizeToIds() (page → worker; parses the config each call)',
          hasToIds
            ? fmt(
                total((x) => x.toIdsMs),
                1,
              )
            : 'n/a (not in this build)',
        ],
        ['phonemize, core-direct', fmt(T.phonemizeCore, 1)],
        ['id prep, core-direct (plan − phonemize)', fmt(T.idPrep, 1)],
        ['post-processing, core-direct (finish: alignment, normalise, visemes)', fmt(T.finish, 1)],
        ['inference: raw onnxruntime-web, same ids (baseline)', fmt(T.raw)],
        ['ours end-to-end, voice.stream() per sentence', fmt(T.ours)],
        ['  of which: until the first (only) chunk is in the page', fmt(T.first)],
        ['overhead = ours − raw (per repetition)', fmt(T.overhead)],
        ['overhead as % of raw inference', pct(T.overhead.median / T.raw.median)],
        ['ratio ours / raw end-to-end', ratio(T.ours.median / T.raw.median)],
        [
          'core-direct phonemize + id prep + post-proc as % of raw inference',
          splitOverhead ? pct(splitOverhead.median / T.raw.median) : 'n/a',
        ],
        ['audio lengths identical (ours, raw, core-direct, every repetition)', lengthsAgree ? 'yes' : 'NO'],
        ['baseline ids taken from', first[0].idsSource],
        ['baseline ids == core plan() ids (core-direct)', idsChecked.length ? count(idsChecked, (s) => s.prepare.idsMatchCore) : 'n/a'],
      ],
      notes: hasSplit
        ? [
            "id prep is the difference of two means of sub-millisecond calls: values near zero (negative ones included) mean the id step costs less than this machine's noise resolves.",
          ]
        : [`core-direct split unavailable: ${r.split?.error ?? 'unknown'}`],
    },
  ];
}

function paragraphSection(r) {
  const threads = Object.keys(r.paragraph)
    .map(Number)
    .sort((a, b) => a - b);
  const p0 = r.paragraph[threads[0]];
  const metric = (label, pick, digits = 0) => [label, ...threads.map((t) => fmt(summarize(r.paragraph[t].samples.map(pick)), digits))];
  const audioS = p0.samples[0].audioMs / 1000;
  return {
    title: `Streaming latency and real-time factor: paragraph of ${p0.sentences} sentences, ${p0.words} words, ${audioS.toFixed(1)} s of audio (median (min–max) of ${r.reps})`,
    columns: ['measure', ...threads.map((t) => `${t} thread${t > 1 ? 's' : ''}`)],
    rows: [
      metric('time to first chunk in the page (ms)', (x) => x.firstMs),
      metric('whole paragraph, stream closed (ms)', (x) => x.totalMs),
      metric('first chunk / whole paragraph', (x) => x.firstMs / x.totalMs, 2),
      metric('RTF = synthesis time / audio duration', (x) => x.totalMs / x.audioMs, 3),
    ],
    notes: [
      'voice.stream(paragraph, { noiseW: 0 }); one AvatarVoice (own worker, own ORT env) per thread count, created with { ort: { numThreads } }; the thread counts ran one after the other. Warm-up: one stream of the longest test sentence.',
    ],
  };
}

/** Windowed streaming (issue #23): first audio, windows against sentences against raw ORT. */
function streamingSection(r) {
  const s = r.streaming;
  if (!s?.samples?.length) return null;
  const row = (label, pick, digits = 0) => [label, fmt(summarize(s.samples.map(pick)), digits)];
  const w0 = s.samples[0].window;
  return {
    title: `Streaming in windows (${s.streaming?.mode ?? '?'} mode, context ${s.streaming?.marginFrames ?? '–'} frames, decoder ${s.streaming?.decoderMarginFrames ?? s.streaming?.marginFrames ?? '–'}; median (min–max) of ${s.samples.length})`,
    columns: ['measure', 'value'],
    rows: [
      row('paragraph: first audio, windows (ms)', (x) => x.window.firstMs),
      row('paragraph: first audio, whole sentences (ms)', (x) => x.sentence.firstMs),
      row(`first audio, ${s.words5}-word first sentence, windows (ms)`, (x) => x.first5),
      row(`first audio, ${s.words40}-word first sentence, windows (ms)`, (x) => x.first40),
      row(`${s.words40}-word / ${s.words5}-word first audio, windows`, (x) => x.first40 / x.first5, 2),
      row(`first audio, ${s.words5}-word first sentence, whole sentences (ms)`, (x) => x.sentenceFirst5),
      row(`first audio, ${s.words40}-word first sentence, whole sentences (ms)`, (x) => x.sentenceFirst40),
      row('paragraph: whole, windows (ms)', (x) => x.window.totalMs),
      row('paragraph: whole, whole sentences (ms)', (x) => x.sentence.totalMs),
      row('paragraph: raw onnxruntime-web one-shot per sentence (ms)', (x) => x.rawMs),
      row('windows / raw one-shot', (x) => x.window.totalMs / x.rawMs, 2),
      row('paragraph chunks, windows', (x) => x.window.chunks),
      row('decoder frames decoded / audio frames, windows', (x) => x.window.decodedFrames / x.window.frames, 2),
      row('flow frames run / audio frames, windows', (x) => (x.window.flowFrames ?? x.window.decodedFrames) / x.window.frames, 2),
    ],
    notes: [
      `Paragraph: ${w0.frames} decoder frames of audio; windows decode ${w0.decodedFrames} (decoder context decoded twice) and run the flow on ${w0.flowFrames ?? w0.decodedFrames}. Raw one-shot: the baseline worker's run() of each sentence's ids, summed (no page round trips).`,
    ],
  };
}

function startupSection(r) {
  const load = r.voiceLoad.samples;
  const raw = r.rawSession.samples;
  const overhead = summarize(timedReps(load).map((x, k) => x.loadMs - timedReps(raw)[k].createMs));
  return {
    title: `Startup (median (min–max) of ${r.reps}, ms)`,
    columns: ['measure', 'value'],
    rows: [
      ['AvatarVoice.create(): worker + wasm core + espeak data, page view', fmt(timed(r.startupCore, (x) => x.createMs))],
      ['  wasm core init (info.moduleMs: fetch + compile + instantiate)', fmt(timed(r.startupCore, (x) => x.moduleMs))],
      [
        '  espeak data load (info.espeakMs: install pack + init)',
        fmt(
          timed(r.startupCore, (x) => x.espeakMs),
          1,
        ),
      ],
      [
        `voice load, bytes in page → session ready (loadVoice, ${(r.voiceFile.modelBytes / 2 ** 20).toFixed(1)} MiB)`,
        fmt(timed(load, (x) => x.loadMs)),
      ],
      ['raw InferenceSession.create, same bytes (baseline worker)', fmt(timed(raw, (x) => x.createMs))],
      ['voice load − raw session create (copy to worker, SHA-256, model patch)', fmt(overhead)],
      ['  of which model patch, core-direct patchModel()', r.split?.patchMs ? fmt(summarize(r.split.patchMs.slice(1))) : 'n/a'],
      [
        '  of which SHA-256 of the model (crypto.subtle, in a worker)',
        r.split?.sha256Ms ? fmt(summarize(r.split.sha256Ms.slice(1))) : 'n/a',
      ],
    ],
    notes: [],
  };
}

function sizeSection(r) {
  const sum = (list, k) => list.reduce((n, s) => n + s[k], 0);
  const before = r.sizes.filter((s) => s.fetched === 'before voice');
  const toVoice = r.sizes.filter((s) => s.fetched !== 'no');
  return {
    title: 'Size: what a page downloads (gzip: node:zlib level 9)',
    columns: ['file', 'raw', 'gzip', 'fetched by Chromium'],
    rows: [
      ...r.sizes.map((s) => [s.file, fmtBytes(s.bytes), fmtBytes(s.gzip), s.fetched]),
      ['total, all files above', fmtBytes(sum(r.sizes, 'bytes')), fmtBytes(sum(r.sizes, 'gzip')), `${r.sizes.length} files`],
      [
        'total before the voice (page + AvatarVoice.create)',
        fmtBytes(sum(before, 'bytes')),
        fmtBytes(sum(before, 'gzip')),
        `${before.length} files`,
      ],
      [
        'total before the first synthesis (+ voice load, without the model)',
        fmtBytes(sum(toVoice, 'bytes')),
        fmtBytes(sum(toVoice, 'gzip')),
        `${toVoice.length} files`,
      ],
    ],
    notes: [
      '"before voice" = requested between opening the page and the end of AvatarVoice.create(); "at voice load" = requested by the first loadVoice() (onnxruntime-web is loaded lazily); "no" = never requested in this run.',
    ],
  };
}

function storeRows(r) {
  const s = r.store;
  if (!s?.available) return [['store (OPFS SQLite)', 'n/a (store not yet exposed)']];
  if (s.error) return [['store (OPFS SQLite)', `n/a (store API present but failed: ${s.error})`]];
  return [
    ['store: openStore() on OPFS (ms, 1×)', s.openMs.toFixed(0)],
    [
      `store: saveSpeech() of ${(s.audioMs / 1000).toFixed(1)} s of speech (ms)`,
      fmt(
        timed(s.samples, (x) => x.saveMs),
        1,
      ),
    ],
    [
      'store: loadSpeech() of it (ms)',
      fmt(
        timed(s.samples, (x) => x.loadMs),
        1,
      ),
    ],
    [`store: database size after ${s.samples.length} saves`, fmtBytes(s.dbBytes)],
    ...formatRows(r.storeFormats),
    ...rowRows(r.storeRows, r.demoHistory),
    ['store: origin storage usage (navigator.storage.estimate)', s.quota ? fmtBytes(s.quota.usage) : 'n/a'],
  ];
}

function memoryRows(label, m) {
  const rows = [];
  if (m.page) {
    rows.push([`${label}: measureUserAgentSpecificMemory, total`, fmtBytes(m.page.bytes)]);
    for (const [scope, bytes] of Object.entries(m.page.byScope).sort((a, b) => b[1] - a[1]))
      if (bytes >= 1 << 20) rows.push([`  ${scope}`, fmtBytes(bytes)]);
  } else rows.push([`${label}: measureUserAgentSpecificMemory`, 'n/a (not available in this page)']);
  const pss = m.chromiumPss;
  rows.push([`${label}: all Chromium processes, PSS (/proc)`, pss ? `${fmtBytes(pss.bytes)} (${pss.processes} processes)` : 'n/a']);
  return rows;
}

/** Database size of 1,000 utterances of 3 s per stored format (bench/page.mjs storeFormats). */
function formatRows(formats) {
  if (!formats) return [];
  return Object.entries(formats).map(([format, f]) =>
    f.error
      ? [`store: 1,000 × 3 s as ${format}`, `n/a (${f.error})`]
      : [
          `store: ${f.count.toLocaleString('en')} × 3 s as ${format}${f.stored !== format ? ` (stored as ${f.stored})` : ''}: database size; save / load (ms)`,
          `${fmtBytes(f.bytes)}; ${f.saveMs.toFixed(1)} / ${f.loadMs.toFixed(1)}`,
        ],
  );
}

/** Packed rows, point reads and the demo's History (bench/page.mjs storeRows, run.mjs demoHistory). */
function rowRows(rows, history) {
  const out = [];
  if (rows?.error) out.push(['store: rows on OPFS', `n/a (${rows.error})`]);
  else if (rows) {
    const perS = (ms) => (ms ? (rows.rows / ms) * 1000 : null);
    const n = rows.rows.toLocaleString('en');
    out.push(
      [`store: ${n} phoneme rows, insertBatch on OPFS (rows/s)`, fmt(timed(rows.inserts, (x) => perS(x.insertMs)))],
      [`store: ${n} phoneme rows, insertBatch (ms)`, fmt(timed(rows.inserts, (x) => x.insertMs))],
      [`store: ${n} phoneme rows, list() back (ms)`, fmt(timed(rows.inserts, (x) => x.listMs))],
      [
        `store: ${rows.points.toLocaleString('en')} sessions by id, one get() each (reads/s)`,
        fmt(timed(rows.reads, (x) => (rows.points / x.getMs) * 1000)),
      ],
      [
        `store: the same ${rows.points.toLocaleString('en')}, one getMany() (ms)`,
        fmt(
          timed(rows.reads, (x) => x.getManyMs),
          1,
        ),
      ],
    );
  }
  if (history?.error) out.push(['demo: History opened', `n/a (${history.error})`]);
  else if (history)
    out.push([
      `demo: History opened with ${history.sessions.toLocaleString('en')} sessions, click → first ${history.shown} in the DOM (ms)`,
      fmt(
        timed(history.samples, (x) => x.ms),
        1,
      ),
    ]);
  return out;
}

function storeMemorySection(r) {
  return {
    title: 'Store and memory',
    columns: ['measure', 'value'],
    rows: [
      ...storeRows(r),
      ...memoryRows('voice loaded', r.memory.loaded),
      ...memoryRows('after the 1-thread paragraph runs', r.memory.afterSynthesis),
    ],
    notes: [
      `Memory is measured with one AvatarVoice (1 ORT thread, ${r.voice}) and no bench worker alive. Not at N threads: Chromium waits 60 s for ORT pool threads parked in Atomics.wait and attributes nothing to them. PSS covers every process of this Chromium (browser, GPU, network, renderer) with shared pages split.`,
      "The Window scope holds the bench page's own copy of the model bytes (it hands them to loadVoice()); scopes are what Chromium attributes, so trust the PSS for totals.",
    ],
  };
}

function header(r) {
  const m = r.machine;
  return [
    `machine: ${m.nproc} cores (nproc), ${m.cpuModel}, ${m.memTotalMiB} MiB RAM, Linux ${m.kernel}; ${m.chromium} (headless, Debian's chromium); Node ${m.node}`,
    `load average (1/5/15 min): ${r.load.start.join(' / ')} at start, ${r.load.end.join(' / ')} at end; 1-min between steps ${r.load.min1m}–${r.load.max1m}`,
    `commit ${r.git.sha}${r.git.dirty ? ' (+ uncommitted changes)' : ''}, dist/: ${r.build}; ${r.date}; ${r.reps} timed repetitions after 1 warm-up; text set ${r.textSet}; voice ${r.voice} (${r.voiceLoad.info.quality}, ${fmtBytes(r.voiceFile.modelBytes)}, random weights); run took ${r.durationS} s`,
  ];
}

export function sections(r) {
  return [
    ...pipelineSections(r),
    paragraphSection(r),
    streamingSection(r),
    incrementalSection(r),
    startupSection(r),
    coldStartSection(r),
    sizeSection(r),
    storeMemorySection(r),
    peakMemorySection(r),
  ].filter(Boolean);
}

function textTable({ columns, rows }) {
  const all = [columns, ...rows].map((row) => row.map(String));
  const widths = columns.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  const line = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function renderConsole(r) {
  const out = header(r);
  for (const s of sections(r)) out.push('', `== ${s.title}`, textTable(s), ...s.notes.map((n) => `  ${n}`));
  return out.join('\n');
}

export function renderMarkdown(r) {
  const md = [
    '# Benchmark baseline',
    '',
    'Written by `npm run bench -- --update-baseline` (bench/run.mjs); what each number means is in',
    '[bench/README.md](README.md). Numbers from a shared, loaded machine: compare runs on the same machine only.',
    '',
  ];
  md.push(...header(r).map((l) => `- ${l}`));
  for (const s of sections(r)) {
    md.push('', `## ${s.title}`, '', `| ${s.columns.join(' | ')} |`, `|${s.columns.map((_, i) => (i ? ' ---: ' : ' --- ')).join('|')}|`);
    for (const row of s.rows) md.push(`| ${row.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`);
    if (s.notes.length) md.push('', ...s.notes);
  }
  return `${md.join('\n')}\n`;
}
