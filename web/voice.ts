/**
 * A loaded Piper voice.
 *
 * ```ts
 * const voice = await av.loadVoice({ model: '/voices/en_US-lessac-medium.onnx' }, {
 *   onProgress: (p) => bar.value = p.loadedBytes / (p.totalBytes ?? 1),
 * });
 * for await (const chunk of voice.stream('Hello there. How are you today?')) player.enqueue(chunk);
 * const all = await voice.synthesize('One more thing.');   // whole utterance at once
 * const wav = await voice.toWav(all.samples);              // 16-bit PCM file bytes
 * await voice.dispose();
 * ```
 */
import { AvatarVoiceError } from './errors.js';
import { checkTextLength } from './limits.js';
import type { SpeechChunk, SynthesisOptions, SynthesisResult, VoiceInfo } from './types.js';
import { abortError } from './voice_source.js';
import type { EngineApi } from './engine_api.js';
import { chunkTimeline } from './chunk_timeline.js';
import { type TextPieces, completeSentences, shiftChunk } from './incremental_text.js';

export class Voice {
  private disposed = false;

  /** @internal created by AvatarVoice.loadVoice */
  constructor(
    private readonly engine: EngineApi,
    /** What the voice's config and model say about it. */
    readonly info: VoiceInfo,
    /** The core's text limit (`info.limits.maxTextChars` of its AvatarVoice). */
    private readonly maxTextChars?: number,
    /** The core's per-sentence synthesis limit, and what to do when a sentence passes it. */
    private readonly timeout?: { ms: number; expire(error: AvatarVoiceError): void },
  ) {}

  get sampleRate(): number {
    return this.info.sampleRate;
  }

  /**
   * Chunk by chunk: each chunk arrives as soon as it is synthesized, while the next one is already
   * being synthesized. With a voice that streams in windows (`info.streaming.mode === 'window'`,
   * the default `chunking`), a chunk is a run of whole words of a sentence: the first is small, so
   * audio starts after the sentence's text encoder and one short decoder run; windows are not
   * peak-normalised (`volume`, then clipped). `chunking: 'sentence'` gives whole, normalised
   * sentences. Breaking out of the loop (or aborting `signal`) stops the work.
   *
   * ```ts
   * for await (const chunk of voice.stream(text)) player.enqueue(chunk);   // chunk.index: its sentence
   * ```
   *
   * Text that arrives piece by piece (a language model's tokens): pass the pieces, an async or
   * plain iterable of strings. Each sentence is synthesized as soon as it is complete, i.e. once
   * the text of the next one has begun (the last one: at the end of the input), and sounds as it
   * would in the whole text; chunks are numbered and their text spans placed in the whole input
   * (the pieces joined). Breaking out of the loop also stops reading the pieces.
   *
   * ```ts
   * for await (const chunk of voice.stream(llmTokens())) player.enqueue(chunk);
   * ```
   */
  stream(text: string | TextPieces, options: SynthesisOptions = {}): AsyncGenerator<SpeechChunk> {
    return typeof text === 'string' ? this.streamText(text, options) : this.streamPieces(text, options);
  }

  private async *streamPieces(pieces: TextPieces, options: SynthesisOptions): AsyncGenerator<SpeechChunk> {
    this.assertLive();
    // A sentence of markup is not complete where a sentence of text is (an element may be open).
    if (options.ssml) throw new AvatarVoiceError('INVALID_ARGUMENT', 'ssml: true needs the whole text: text in pieces is plain text');
    if (options.signal?.aborted) throw abortError();
    const plan = (text: string) => this.engine.sentenceSpans(this.info.voiceId, text);
    let sentencesBefore = 0;
    let previousEnd: number | null = null; // where the last sentence spoken ends in the input
    for await (const batch of completeSentences(pieces, plan)) {
      if (options.signal?.aborted) throw abortError();
      let sentences = 0;
      const batchStart = previousEnd;
      for await (const raw of this.streamText(batch.text, options, batch.sentences)) {
        sentences = Math.max(sentences, raw.index + 1);
        const chunk = shiftChunk(raw, sentencesBefore, batch.offset);
        // Sentence spans tile the text, as in one piece: a batch's planner trims the blank
        // between the previous batch and its first sentence; that blank begins the sentence.
        if (raw.index === 0 && batchStart !== null) chunk.textStart = batchStart;
        yield chunk;
        previousEnd = chunk.textEnd;
      }
      sentencesBefore += sentences;
    }
  }

  private async *streamText(text: string, options: SynthesisOptions, sentenceLimit?: number): AsyncGenerator<SpeechChunk> {
    this.assertLive();
    const { signal, timeoutMs, ...engineOptions } = options;
    if (signal?.aborted) throw abortError();
    // The core's hard limit, before the text is copied to the worker; the utterance limit (the
    // store's text.maxChars) is applied there.
    if (this.maxTextChars !== undefined) checkTextLength(text, engineOptions.maxChars ?? this.maxTextChars);
    // Listen before starting: an abort that arrives while the worker is still planning the text
    // must stop the stream it is about to create.
    let aborted = false;
    let streamId: number | null = null;
    const onAbort = () => {
      aborted = true;
      if (streamId !== null) void this.engine.cancelStream(streamId).catch(() => undefined);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      streamId = await this.engine.startStream(this.info.voiceId, text, { ...engineOptions, sentenceLimit });
      if (aborted) {
        await this.engine.cancelStream(streamId).catch(() => undefined);
        throw abortError();
      }
      for (;;) {
        const chunk = await this.withTimeout(this.engine.nextChunk(streamId), timeoutMs);
        if (aborted) throw abortError();
        if (!chunk) return;
        yield chunk;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (!aborted && streamId !== null) await this.engine.cancelStream(streamId);
    }
  }

  /**
   * `next` (one sentence's synthesis), or SYNTHESIS_TIMEOUT once it has taken longer than allowed.
   * The run itself cannot be stopped, so the engine is ended (its worker stopped) by `expire`.
   */
  private withTimeout<T>(next: Promise<T>, requestedMs: number | undefined): Promise<T> {
    if (!this.timeout) return next;
    const ms = Math.min(requestedMs ?? Infinity, this.timeout.ms);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new AvatarVoiceError(
          'SYNTHESIS_TIMEOUT',
          `a sentence took longer than the limit of ${ms} ms to synthesize; the engine was stopped, create a new AvatarVoice`,
        );
        this.timeout!.expire(error);
        reject(error);
      }, ms);
    });
    return Promise.race([next, expired]).finally(() => clearTimeout(timer));
  }

  /**
   * The whole text at once, Piper-exact: whole sentences (peak-normalised unless `normalize:
   * false`) joined, phoneme and viseme times shifted onto one timeline. `chunking` is ignored.
   */
  async synthesize(text: string, options: SynthesisOptions = {}): Promise<SynthesisResult> {
    const chunks: SpeechChunk[] = [];
    // Whole sentences: Piper's per-sentence peak normalisation needs them (windows are not normalised).
    for await (const chunk of this.stream(text, { ...options, chunking: 'sentence' })) chunks.push(chunk);
    return joinChunks(chunks, this.info.sampleRate);
  }

  /** 16-bit PCM mono WAV bytes of `samples` (encoded in the C++ core). */
  toWav(samples: Float32Array): Promise<Uint8Array> {
    this.assertLive();
    return this.engine.encodeWav(samples.slice(), this.info.sampleRate);
  }

  /** Frees the model session and the core's voice. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.engine.unloadVoice(this.info.voiceId);
  }

  private assertLive(): void {
    if (this.disposed) throw new AvatarVoiceError('DISPOSED', 'this voice was disposed');
  }
}

/** Concatenates chunks into one utterance with shifted times. */
export function joinChunks(chunks: SpeechChunk[], sampleRate: number): SynthesisResult {
  const { phonemes, visemes, sentences, marks, samples: total } = chunkTimeline(chunks, sampleRate);
  const samples = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk.samples, offset);
    offset += chunk.samples.length;
  }
  // Every window of a sentence carries the sentence's warnings: count them once.
  const warnings = chunks.filter((c) => c.sampleOffset === 0).flatMap((c) => c.warnings);
  return {
    samples,
    sampleRate,
    durationMs: (total * 1000) / sampleRate,
    phonemes,
    visemes,
    sentences,
    marks,
    timing: chunks.some((c) => c.timing === 'estimated') ? 'estimated' : 'model',
    timingExact: chunks.every((c) => c.timingExact),
    chunks: chunks.length,
    warnings,
  };
}
