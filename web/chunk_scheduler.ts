/**
 * Gapless, sample-accurate scheduling of speech chunks on one Web Audio timeline. The Player uses
 * it on an AudioContext; `scheduleChunks` runs it on any BaseAudioContext (e.g. to render an
 * utterance offline).
 *
 * ```ts
 * const offline = new OfflineAudioContext(1, total, 22050);
 * const scheduled = scheduleChunks(offline, chunks);   // chunk k starts where k − 1 ends
 * const rendered = await offline.startRendering();     // == the chunks' samples concatenated
 * scheduled[1].startTime;                              // = chunks[0].samples.length / 22050
 * ```
 *
 * Ownership: the samples are copied into an AudioBuffer when a chunk is scheduled; the caller
 * keeps its chunk. The returned source nodes belong to the context (stop() them to cancel).
 */
import { AvatarVoiceError } from './errors.js';
import type { SpeechChunk } from './types.js';

/** The fields of a chunk that scheduling needs (a SpeechChunk, or a stored recording's chunk). */
export type SchedulableChunk = Pick<SpeechChunk, 'samples' | 'sampleRate'>;

export interface ScheduledChunk {
  /** Null for an empty chunk (nothing to play, but its time span is still 0 s long). */
  source: AudioBufferSourceNode | null;
  /** Context time (s) of the chunk's first sample. */
  startTime: number;
  /** Context time (s) just after its last sample: the next chunk's start. */
  endTime: number;
}

/**
 * Keeps the running end of the timeline as a start time plus a whole number of samples, so chunk
 * starts are k/sampleRate exactly (no float drift over a long utterance, no wall clock involved).
 */
export class ChunkScheduler {
  private baseTime = 0;
  private baseRate = 0;
  private samplesSinceBase = 0;
  private hasTimeline = false;

  constructor(
    private readonly context: BaseAudioContext,
    private readonly destination: AudioNode = context.destination,
  ) {}

  /** Context time (s) where the next chunk would start gaplessly, or null when nothing is queued. */
  get nextStartTime(): number | null {
    return this.hasTimeline ? this.baseTime + this.samplesSinceBase / this.baseRate : null;
  }

  /**
   * Schedules `chunk` right after the previous one. When there is no previous one, or it ends
   * before `earliest` (the queue ran dry, so a gap is unavoidable), the chunk starts at `restartAt`.
   */
  schedule(chunk: SchedulableChunk, earliest: number, restartAt: number): ScheduledChunk {
    validateChunk(chunk);
    // Made before the timeline moves: a rate the context refuses must leave the timeline as it was.
    const buffer = chunk.samples.length === 0 ? null : this.createBuffer(chunk);
    const next = this.nextStartTime;
    if (next === null || next < earliest || chunk.sampleRate !== this.baseRate) {
      // Rebase: a new start, or a rate change (a different voice) keeps the previous end exactly.
      this.baseTime = next === null || next < earliest ? Math.max(restartAt, earliest) : next;
      this.baseRate = chunk.sampleRate;
      this.samplesSinceBase = 0;
      this.hasTimeline = true;
    }
    const startTime = this.baseTime + this.samplesSinceBase / this.baseRate;
    this.samplesSinceBase += chunk.samples.length;
    const endTime = this.baseTime + this.samplesSinceBase / this.baseRate;
    if (!buffer) return { source: null, startTime, endTime };
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.destination);
    source.start(startTime);
    return { source, startTime, endTime };
  }

  /** The chunk's samples in an AudioBuffer; a rate Web Audio refuses is a typed error. */
  private createBuffer(chunk: SchedulableChunk): AudioBuffer {
    let buffer: AudioBuffer;
    try {
      buffer = this.context.createBuffer(1, chunk.samples.length, chunk.sampleRate);
    } catch (cause) {
      // Browsers accept 3000..768000 Hz (NotSupportedError otherwise).
      throw new AvatarVoiceError(
        'INVALID_ARGUMENT',
        `cannot play audio at ${chunk.sampleRate} Hz (${(cause as Error).message}); Web Audio takes 3000-768000 Hz`,
      );
    }
    buffer.getChannelData(0).set(chunk.samples);
    return buffer;
  }

  /** Forgets the timeline: the next chunk starts fresh (stop the sources separately). */
  reset(): void {
    this.hasTimeline = false;
    this.samplesSinceBase = 0;
  }
}

/**
 * Schedules `chunks` back to back from `startTime` (default: the context's current time) into
 * `destination` (default: the context's destination). Returns each chunk's source and times.
 */
export function scheduleChunks(
  context: BaseAudioContext,
  chunks: Iterable<SchedulableChunk>,
  options: { destination?: AudioNode; startTime?: number } = {},
): ScheduledChunk[] {
  const scheduler = new ChunkScheduler(context, options.destination ?? context.destination);
  const start = options.startTime ?? context.currentTime;
  return [...chunks].map((chunk) => scheduler.schedule(chunk, start, start));
}

function validateChunk(chunk: SchedulableChunk): void {
  // toString, not instanceof: chunks may come from another realm (an iframe, a structured clone).
  if (Object.prototype.toString.call(chunk?.samples) !== '[object Float32Array]')
    throw new AvatarVoiceError('INVALID_ARGUMENT', 'a speech chunk needs `samples` as a Float32Array');
  if (!(Number.isFinite(chunk.sampleRate) && chunk.sampleRate > 0))
    throw new AvatarVoiceError('INVALID_ARGUMENT', `a speech chunk needs a positive sampleRate, got ${chunk.sampleRate}`);
}
