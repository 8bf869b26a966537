/**
 * The timeline of consecutive chunks on one clock: phonemes, visemes and sentence spans shifted
 * by the samples before them. Used by joinChunks() (voice.synthesize) and by the avatar formats
 * for a list of streamed chunks; copies no audio. Windows of one sentence (a chunk with
 * `sampleOffset > 0` continues the sentence before it) merge into one sentence span, so windowed
 * and sentence chunks of the same speech give the same timeline.
 */
import type { SentenceSpan, SpeechChunk, TimedMark, TimedPhoneme, VisemeEvent } from './types.js';

export interface ChunkTimeline {
  phonemes: TimedPhoneme[];
  visemes: VisemeEvent[];
  sentences: SentenceSpan[];
  marks: TimedMark[];
  /** Samples of all chunks together. */
  samples: number;
}

export function chunkTimeline(chunks: readonly SpeechChunk[], sampleRate: number): ChunkTimeline {
  const out: ChunkTimeline = { phonemes: [], visemes: [], sentences: [], marks: [], samples: 0 };
  for (const chunk of chunks) {
    const offset = out.samples;
    const offsetMs = (offset * 1000) / sampleRate;
    // A window (sampleOffset > 0): its times are placed on its sentence's clock first and then
    // shifted by where the sentence starts, the same arithmetic as for the whole sentence's
    // chunk, so windowed and sentence chunks of the same speech give bit-identical times.
    const within = Math.max(0, chunk.sampleOffset || 0);
    const sentenceMs = ((offset - within) * 1000) / sampleRate;
    const phonemeMs = (sample: number) => (sample + within) * (1000 / chunk.sampleRate) + sentenceMs;
    // Viseme times are the core's sample * 1000 / rate: the sample is recovered exactly.
    const visemeMs = (ms: number) => ((Math.round((ms * chunk.sampleRate) / 1000) + within) * 1000) / chunk.sampleRate + sentenceMs;
    for (const p of chunk.phonemes)
      out.phonemes.push({
        ...p,
        startSample: p.startSample + offset,
        endSample: p.endSample + offset,
        startMs: within ? phonemeMs(p.startSample) : p.startMs + offsetMs,
        endMs: within ? phonemeMs(p.endSample) : p.endMs + offsetMs,
      });
    for (const v of chunk.visemes)
      out.visemes.push({
        ...v,
        startMs: within ? visemeMs(v.startMs) : v.startMs + offsetMs,
        endMs: within ? visemeMs(v.endMs) : v.endMs + offsetMs,
      });
    // Chunks stored before SSML existed have no marks.
    for (const m of chunk.marks ?? [])
      out.marks.push({ name: m.name, sample: m.sample + offset, ms: ((m.sample + offset) * 1000) / sampleRate, textOffset: m.textOffset });
    const end = offset + chunk.samples.length;
    const last = out.sentences[out.sentences.length - 1];
    if (chunk.sampleOffset > 0 && last) {
      last.endSample = end;
      last.endMs = (end * 1000) / sampleRate;
    } else {
      out.sentences.push({
        textStart: chunk.textStart,
        textEnd: chunk.textEnd,
        startSample: offset,
        endSample: end,
        startMs: offsetMs,
        endMs: (end * 1000) / sampleRate,
        ...(chunk.pause && { pause: true }),
      });
    }
    out.samples = end;
  }
  return out;
}
