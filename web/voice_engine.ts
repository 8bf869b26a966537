/**
 * Voices and synthesis where the core lives (the worker, or Node in-process): model patch + ORT
 * session + core voice handle per voice; sentence streams that synthesize sentence k+1 while the
 * caller consumes sentence k.
 */
import { type Core, type CoreVoiceHandle, assertWellFormed, utf8ToUtf16Offsets } from './core.js';
import { AvatarVoiceError, unwrapCore } from './errors.js';
import { type OrtOptions, PiperSession } from './piper_session.js';
import type { SpeechChunk, SynthesisOptions, TimedPhoneme, VisemeEvent, VoiceInfo } from './types.js';
import { sha256Hex } from './voice_cache.js';

interface PlannedSentence {
  ids: Int32Array;
  phonemes: string[];
  textStart: number;
  textEnd: number;
  warnings: string[];
}
interface Plan {
  planId: number;
  sentences: PlannedSentence[];
}
interface RawChunk {
  samples: Float32Array;
  sampleRate: number;
  phonemes: string[];
  phonemeStartSample: Int32Array;
  phonemeEndSample: Int32Array;
  phonemeTextStart: Int32Array;
  phonemeTextEnd: Int32Array;
  visemes: VisemeEvent[];
  timing: 'model' | 'estimated';
  timingExact: boolean;
}

interface LoadedVoice {
  info: VoiceInfo;
  handle: CoreVoiceHandle;
  session: PiperSession;
}

/** Options that survive a worker hop (no AbortSignal: cancellation is its own call). */
export type EngineSynthesisOptions = Omit<SynthesisOptions, 'signal'>;

export class VoiceEngine {
  private readonly voices = new Map<string, LoadedVoice>();
  private readonly streams = new Map<number, AsyncGenerator<SpeechChunk>>();
  private nextVoice = 1;
  private nextStream = 1;

  constructor(
    private readonly core: Core,
    private readonly ortOptions: OrtOptions = {},
  ) {}

  /** Parses the config, patches the model for timings, creates the ORT session. */
  async loadVoice(model: Uint8Array, configJson: string): Promise<VoiceInfo> {
    const handle = this.core.createVoice();
    try {
      const config = unwrapCore(handle.load(configJson)) as Omit<VoiceInfo, 'voiceId' | 'timing' | 'sha256' | 'modelBytes'>;
      const sha256 = await sha256Hex(model);
      const patch = this.core.patchModel(model);
      const session = await PiperSession.create(patch.model, patch.durationOutput || null, this.ortOptions);
      const voiceId = `voice-${this.nextVoice++}`;
      const info: VoiceInfo = {
        ...config,
        voiceId,
        timing: session.hasTiming ? 'model' : 'estimated',
        sha256,
        modelBytes: model.byteLength,
      };
      if (session.multiSpeaker !== info.numSpeakers > 1) {
        await session.release();
        throw new AvatarVoiceError(
          'INVALID_VOICE_CONFIG',
          `config says ${info.numSpeakers} speaker(s) but the model ${session.multiSpeaker ? 'has' : 'has no'} "sid" input`,
        );
      }
      this.voices.set(voiceId, { info, handle, session });
      return info;
    } catch (error) {
      handle.delete();
      throw error;
    }
  }

  async unloadVoice(voiceId: string): Promise<void> {
    const voice = this.voices.get(voiceId);
    if (!voice) return;
    this.voices.delete(voiceId);
    voice.handle.delete();
    await voice.session.release();
  }

  encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
    return this.core.encodeWav(samples, sampleRate);
  }

  /** Starts a sentence stream; pull chunks with {@link next}, stop early with {@link cancel}. */
  startStream(voiceId: string, text: string, options: EngineSynthesisOptions = {}): number {
    const voice = this.voice(voiceId);
    assertWellFormed(text);
    const speakerId = this.speakerId(voice.info, options.speaker);
    // The scales are checked by the core's rule before anything is planned (a bad one must not
    // leave a plan behind).
    const d = voice.info.defaults;
    const scales: [number, number, number] = [options.noiseScale ?? d.noiseScale, options.lengthScale ?? d.lengthScale, options.noiseW ?? d.noiseW];
    unwrapCore(voice.handle.checkScales(...scales));
    const plan = unwrapCore(voice.handle.plan(text, options.maxChars ?? 0)) as Plan;
    const id = this.nextStream++;
    this.streams.set(id, this.run(voice, plan, text, speakerId, scales, options));
    return id;
  }

  async next(streamId: number): Promise<SpeechChunk | null> {
    const stream = this.streams.get(streamId);
    if (!stream) return null;
    const step = await stream.next();
    if (step.done) {
      this.streams.delete(streamId);
      return null;
    }
    return step.value;
  }

  async cancel(streamId: number): Promise<void> {
    const stream = this.streams.get(streamId);
    this.streams.delete(streamId);
    await stream?.return(undefined);
  }

  private voice(voiceId: string): LoadedVoice {
    const voice = this.voices.get(voiceId);
    if (!voice) throw new AvatarVoiceError('NOT_FOUND', `no loaded voice "${voiceId}"`);
    return voice;
  }

  private speakerId(info: VoiceInfo, speaker: string | number | undefined): number | null {
    if (info.numSpeakers <= 1) {
      if (speaker !== undefined && speaker !== 0 && speaker !== '0')
        throw new AvatarVoiceError('INVALID_ARGUMENT', `this voice has a single speaker; got speaker ${String(speaker)}`);
      return null;
    }
    if (speaker === undefined) return (info as VoiceInfo & { defaultSpeakerId?: number }).defaultSpeakerId ?? 0;
    const byName = info.speakers.find((s) => s.name === String(speaker));
    if (byName) return byName.id;
    const n = Number(speaker);
    if (Number.isInteger(n) && n >= 0 && n < info.numSpeakers) return n;
    throw new AvatarVoiceError(
      'INVALID_ARGUMENT',
      `unknown speaker ${JSON.stringify(speaker)}: use a name from the voice or an id in 0..${info.numSpeakers - 1}`,
    );
  }

  private async *run(
    voice: LoadedVoice,
    plan: Plan,
    text: string,
    speakerId: number | null,
    scales: [number, number, number],
    options: EngineSynthesisOptions,
  ): AsyncGenerator<SpeechChunk> {
    const toUtf16 = utf8ToUtf16Offsets(text);
    const finishOptions = {
      normalize: options.normalize ?? true,
      volume: options.volume ?? 1,
      visemeSet: options.visemeSet ?? 'oculus',
      minVisemeMs: options.minVisemeMs ?? 30,
    };
    const synthesize = async (index: number): Promise<SpeechChunk> => {
      const sentence = plan.sentences[index]!;
      const out = await voice.session.run(sentence.ids, scales, speakerId);
      const raw = unwrapCore(
        voice.handle.finish(plan.planId, index, out.audio, out.frames, finishOptions),
      ) as RawChunk;
      return toChunk(raw, index, sentence, toUtf16);
    };
    try {
      let pending = plan.sentences.length > 0 ? synthesize(0) : null;
      for (let i = 0; pending; i++) {
        const chunk = await pending;
        // The next sentence synthesizes while this one plays, but only from the next task on:
        // onnxruntime's wasm run holds the thread once it starts, and the chunk must reach the
        // page (Comlink posts it in this task's continuations) before that, or the first audio
        // waits for the second sentence too.
        pending = i + 1 < plan.sentences.length ? nextTask().then(() => synthesize(i + 1)) : null;
        // A rejected prefetch must not go unhandled if the consumer stops here.
        pending?.catch(() => undefined);
        yield chunk;
      }
    } finally {
      voice.handle.release(plan.planId);
    }
  }
}

/** Resolves in a later task (after every continuation queued in this one has run). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function toChunk(raw: RawChunk, index: number, sentence: PlannedSentence, toUtf16: (b: number) => number): SpeechChunk {
  const msPerSample = 1000 / raw.sampleRate;
  const phonemes: TimedPhoneme[] = raw.phonemes.map((phoneme, i) => {
    const startSample = raw.phonemeStartSample[i]!;
    const endSample = raw.phonemeEndSample[i]!;
    return {
      phoneme,
      startSample,
      endSample,
      startMs: startSample * msPerSample,
      endMs: endSample * msPerSample,
      textStart: toUtf16(raw.phonemeTextStart[i]!),
      textEnd: toUtf16(raw.phonemeTextEnd[i]!),
    };
  });
  return {
    index,
    textStart: toUtf16(sentence.textStart),
    textEnd: toUtf16(sentence.textEnd),
    samples: raw.samples,
    sampleRate: raw.sampleRate,
    durationMs: raw.samples.length * msPerSample,
    phonemes,
    visemes: raw.visemes,
    timing: raw.timing,
    timingExact: raw.timingExact,
    warnings: sentence.warnings,
  };
}
