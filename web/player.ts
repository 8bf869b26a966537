/**
 * Web Audio playback of speech chunks, with viseme/phoneme/word/sentence callbacks that fire when
 * their audio is heard (the AudioContext clock, corrected for output latency).
 *
 * ```ts
 * import { AvatarVoice, Player } from 'avatar-voice';
 * const player = new Player();                              // creates (and owns) an AudioContext
 * startButton.onclick = () => player.resume();              // autoplay: unlock in a user gesture
 * const off = player.on('viseme', (e) => (mouth.dataset.viseme = e.viseme));
 * player.on('word', (e) => highlight(e.textStart, e.textEnd));
 * player.on('blocked', () => (startButton.hidden = false));
 * await player.speak(voice, 'Hello there. How are you today?');   // resolves when it was heard
 * // or stream it yourself: for await (const c of voice.stream(text)) player.enqueue(c, { text });
 * // pull-style (three.js): each frame, for (const w of player.currentVisemes())
 * //   mesh.morphTargetInfluences[morph[w.viseme]] = w.weight;   // zero the others first
 * off();
 * player.dispose();                                          // closes the context it created
 * ```
 *
 * Ownership: enqueue() copies the samples into an AudioBuffer; the caller keeps its chunk. A
 * context passed in stays the caller's (dispose() does not close it, but pause() suspends it).
 * Cue objects handed to listeners are fresh and belong to the listener.
 */
import { type ScheduledChunk, ChunkScheduler } from './chunk_scheduler.js';
import { AvatarVoiceError } from './errors.js';
import { EventClock, FrameLoop } from './event_clock.js';
import { type ArkitNaming, arkitWeights } from './formats/arkit_blendshapes.js';
import type { TextPieces } from './incremental_text.js';
import { SpeakSession } from './speak_session.js';
import {
  type BlockedCue,
  type EndCue,
  type MarkCue,
  type PhonemeCue,
  type SentenceCue,
  type VisemeCue,
  type VisemeFrame,
  type VisemeWeight,
  type WordCue,
  CueQueue,
  VisemeTrack,
  chunkCues,
} from './speech_cues.js';
import type { SpeechChunk, SynthesisOptions } from './types.js';
import type { Voice } from './voice.js';

export interface PlayerOptions {
  /** The context to play on (default: a new one, closed by dispose()). */
  context?: AudioContext;
  /**
   * Sample rate of the context the Player creates (ignored with `context`). Pass the voice's rate
   * (`voice.sampleRate`) to join chunks bit-exactly: at another rate each chunk is resampled on its
   * own, and the output frame at a junction may not interpolate across it. Default: the device's.
   */
  sampleRate?: number;
  /** Output gain, 0..∞ (default 1). */
  volume?: number;
  /**
   * How far ahead of `context.currentTime` playback starts when nothing is playing (default
   * 50 ms): enough for the render thread to pick the source up at its exact start time. A chunk
   * enqueued while the previous one still has at least half of this left starts gaplessly.
   */
  lookAheadMs?: number;
  /** visemeAt()/currentVisemes(): a shape starts forming this long before its sound (default 40). */
  attackMs?: number;
  /** visemeAt()/currentVisemes(): a shape fades out over this long after its sound (default 60). */
  releaseMs?: number;
  /**
   * How long resume() may stay pending before the Player reports 'blocked' (default 1000 ms);
   * when the browser says audio may start (in a user gesture; Firefox's `getAutoplayPolicy`) a
   * slow start is waited for up to 10 s instead.
   */
  blockedAfterMs?: number;
  /**
   * Backpressure for speak(): it pulls the next sentence from the voice only while less than this
   * much audio is scheduled ahead (default 20 000 ms), so a long text does not pile up decoded
   * audio. enqueue() itself never waits: when streaming yourself, read `bufferedSeconds`.
   */
  maxBufferedMs?: number;
}

/** Every event the Player emits, by name. */
export interface PlayerEventMap {
  sentence: SentenceCue;
  word: WordCue;
  phoneme: PhonemeCue;
  viseme: VisemeCue;
  /** An SSML `<mark>` is reached (at the first word after it). */
  mark: MarkCue;
  end: EndCue;
  blocked: BlockedCue;
  /** Every animation frame while speech plays, then once at rest: ARKit weights of the mouth now. */
  blendshapes: BlendshapesCue;
}

/** The mouth as ARKit blendshape weights at `time` (see web/formats/arkit_blendshapes.ts). */
export interface BlendshapesCue {
  type: 'blendshapes';
  /** Context time (s) the weights describe: what is being heard. */
  time: number;
  dispatchTime: number;
  /** Every speech shape (`jawOpen`, `mouthFunnel`, …) in Apple's naming, 0–1. */
  weights: Record<string, number>;
}
export type PlayerEventType = keyof PlayerEventMap;
export type PlayerListener<K extends PlayerEventType> = (event: PlayerEventMap[K]) => void;

export interface EnqueueOptions {
  /** The text the chunk was synthesized from: word and sentence cues then carry their text. */
  text?: string;
}

/** Anything with Voice's stream() (a Voice, or a test double). */
export type SpeakingVoice = Pick<Voice, 'stream'>;

const EVENT_TYPES: readonly PlayerEventType[] = ['sentence', 'word', 'phoneme', 'viseme', 'mark', 'end', 'blocked', 'blendshapes'];

export class Player {
  /** The context everything plays on. */
  readonly context: AudioContext;
  private readonly ownsContext: boolean;
  private readonly gain: GainNode;
  private readonly scheduler: ChunkScheduler;
  private readonly clock: EventClock;
  private readonly loop: FrameLoop;
  private readonly queue = new CueQueue();
  private readonly track = new VisemeTrack();
  private readonly sources = new Set<AudioBufferSourceNode>();
  private readonly sessions = new Set<SpeakSession>();
  // biome-ignore lint/suspicious/noExplicitAny: one map holds every event type's listeners; on()/emit() keep each key's type
  private readonly listeners = new Map<PlayerEventType, Set<PlayerListener<any>>>(EVENT_TYPES.map((t) => [t, new Set()]));
  private readonly lookAhead: number;
  private readonly attackMs: number;
  private readonly releaseMs: number;
  private readonly blockedAfterMs: number;
  private readonly maxBufferedMs: number;
  private volumeValue: number;
  /** End (context s) of the last scheduled chunk while its audio has not all been heard. */
  private audioEnd: number | null = null;
  /** Bumped by stop(): work started before it (resume attempts, a dispatch pass) stands down. */
  private generation = 0;
  private isPaused = false;
  private blocked = false;
  private unlocking: Promise<boolean> | null = null;
  private disposed = false;
  private readonly onStateChange = () => {
    if (this.context.state === 'running') this.blocked = false;
    if (this.isActive()) this.loop.start();
  };

  constructor(options: PlayerOptions = {}) {
    if (!options.context && typeof AudioContext === 'undefined')
      throw new AvatarVoiceError('INVALID_ARGUMENT', 'no Web Audio here: pass options.context');
    this.context =
      options.context ??
      new AudioContext({ latencyHint: 'interactive', ...(options.sampleRate !== undefined && { sampleRate: options.sampleRate }) });
    this.ownsContext = !options.context;
    this.lookAhead = nonNegative(options.lookAheadMs ?? 50, 'lookAheadMs') / 1000;
    this.attackMs = nonNegative(options.attackMs ?? 40, 'attackMs');
    this.releaseMs = nonNegative(options.releaseMs ?? 60, 'releaseMs');
    this.blockedAfterMs = nonNegative(options.blockedAfterMs ?? 1000, 'blockedAfterMs');
    this.maxBufferedMs = nonNegative(options.maxBufferedMs ?? 20_000, 'maxBufferedMs');
    this.volumeValue = nonNegative(options.volume ?? 1, 'volume');
    this.gain = this.context.createGain();
    this.gain.gain.value = this.volumeValue;
    this.gain.connect(this.context.destination);
    this.scheduler = new ChunkScheduler(this.context, this.gain);
    this.clock = new EventClock(this.context);
    this.loop = new FrameLoop(this.tick);
    this.context.addEventListener('statechange', this.onStateChange);
  }

  /** Adds a listener; returns the function that removes it. Listeners run in the order added. */
  on<K extends PlayerEventType>(type: K, listener: PlayerListener<K>): () => void {
    const set = this.listeners.get(type);
    if (!set) throw new AvatarVoiceError('INVALID_ARGUMENT', `unknown Player event "${String(type)}"`);
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Schedules a chunk right after the previous one (sample-exact, no gap), or `lookAheadMs` from
   * now when nothing is playing. Its cues fire as it is heard. Returns where it sits on the
   * context timeline. Throws INVALID_ARGUMENT for a chunk without samples or a sample rate.
   */
  enqueue(chunk: SpeechChunk, options: EnqueueOptions = {}): { startTime: number; endTime: number } {
    this.assertLive();
    if (!Array.isArray(chunk?.phonemes) || !Array.isArray(chunk.visemes))
      throw new AvatarVoiceError('INVALID_ARGUMENT', 'a speech chunk needs `phonemes` and `visemes` arrays');
    const now = this.context.currentTime;
    const scheduled: ScheduledChunk = this.scheduler.schedule(chunk, now + this.lookAhead / 2, now + this.lookAhead);
    const source = scheduled.source;
    if (source) {
      this.sources.add(source);
      source.onended = () => {
        this.sources.delete(source);
        source.disconnect();
      };
    }
    this.queue.push(chunkCues(chunk, scheduled.startTime, options.text));
    this.track.add(chunk, scheduled.startTime);
    this.audioEnd = Math.max(this.audioEnd ?? 0, scheduled.endTime);
    this.loop.start();
    if (!this.isPaused && this.context.state !== 'running' && !this.unlocking) void this.unlock();
    return { startTime: scheduled.startTime, endTime: scheduled.endTime };
  }

  /** Seconds of scheduled audio not yet played (0 when idle): the queue a producer should watch. */
  get bufferedSeconds(): number {
    return this.audioEnd === null ? 0 : Math.max(0, this.audioEnd - this.context.currentTime);
  }

  /**
   * Streams `text` from `voice` and plays each sentence as it arrives (sentence k plays while
   * k + 1 is synthesized). `text` may arrive in pieces (see Voice.stream). Resolves once all of it has been heard. Rejects with ABORTED when
   * `options.signal` aborts (that also stops the player) or stop()/dispose() is called, with
   * AUTOPLAY_BLOCKED when the context cannot start (the player is then stopped: call resume()
   * from a user gesture and speak again), and with the synthesis error if synthesis fails (the
   * sentences already scheduled then still play).
   */
  async speak(voice: SpeakingVoice, text: string | TextPieces, options: SynthesisOptions = {}): Promise<void> {
    this.assertLive();
    const { signal, ...synthesis } = options;
    if (signal?.aborted) throw new AvatarVoiceError('ABORTED', 'speak() was aborted');
    const session = new SpeakSession();
    const onAbort = () => {
      session.fail(new AvatarVoiceError('ABORTED', 'speak() was aborted'));
      this.stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.sessions.add(session);
    // Called inside the user's click handler, this resume() still has the gesture's activation.
    if (!this.isPaused && this.context.state !== 'running') void this.unlock();
    // Pieces of text (voice.stream(pieces)): the cues read the text received so far, which
    // holds every sentence that has audio.
    let received = typeof text === 'string' ? text : '';
    const input = typeof text === 'string' ? text : recorded(text, (piece) => (received += piece));
    try {
      try {
        for await (const chunk of voice.stream(input, { ...synthesis, signal: session.controller.signal })) {
          if (session.failure) break;
          session.endTime = this.enqueue(chunk, { text: received }).endTime;
          // Backpressure: the voice's next sentence waits while enough audio is queued.
          while (!session.failure && this.bufferedSeconds * 1000 > this.maxBufferedMs) await sleep(50);
        }
      } catch (error) {
        if (!session.failure) throw error;
      }
      session.streamDone = true;
      if (session.endTime === null)
        session.finish(); // nothing to say (empty text)
      else this.loop.start(); // the next tick settles it, after 'end', once the audio is heard
      await session.done;
    } finally {
      session.streamDone = true;
      this.sessions.delete(session);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Suspends the context: audio and cues halt together and continue in order on resume(). */
  async pause(): Promise<void> {
    this.assertLive();
    this.isPaused = true;
    if (this.context.state === 'running') await this.context.suspend();
  }

  /**
   * Resumes after pause(), and unlocks audio: call it from a user gesture (click, key) when the
   * browser's autoplay policy keeps the context suspended. Rejects with AUTOPLAY_BLOCKED (and
   * emits 'blocked') when the context does not start within `blockedAfterMs`.
   */
  async resume(): Promise<void> {
    this.assertLive();
    this.isPaused = false;
    if (this.context.state === 'running') return;
    if (!(await this.unlock()))
      throw new AvatarVoiceError('AUTOPLAY_BLOCKED', 'the browser keeps audio suspended: call resume() from a user gesture');
  }

  /** Stops all audio now, drops every pending cue (none fires after this), rejects speak() calls. */
  stop(): void {
    if (this.disposed) return;
    this.generation++;
    for (const source of this.sources) {
      source.onended = null;
      try {
        source.stop();
      } catch {
        // never started (context closed): nothing to stop
      }
      source.disconnect();
    }
    this.sources.clear();
    this.queue.clear();
    this.track.clear();
    this.scheduler.reset();
    this.audioEnd = null;
    this.blocked = false;
    for (const session of [...this.sessions]) session.fail(new AvatarVoiceError('ABORTED', 'playback was stopped'));
    if (this.listeners.get('blendshapes')!.size) {
      const now = this.clock.now();
      this.emit('blendshapes', { type: 'blendshapes', time: now, dispatchTime: now, weights: arkitWeights([]) });
    }
    if (this.isPaused) {
      // The timeline is empty now: leave the context running for the next enqueue().
      this.isPaused = false;
      if (this.context.state === 'suspended') this.context.resume().catch(() => {});
    }
  }

  get volume(): number {
    return this.volumeValue;
  }

  /** Changes the gain with a 10 ms glide (no click). */
  set volume(value: number) {
    this.assertLive();
    this.volumeValue = nonNegative(value, 'volume');
    const gain = this.gain.gain;
    gain.cancelScheduledValues(this.context.currentTime);
    gain.setTargetAtTime(this.volumeValue, this.context.currentTime, 0.01);
  }

  /** True while scheduled audio is being heard (not paused, not blocked, not finished). */
  get playing(): boolean {
    return !this.disposed && this.audioEnd !== null && !this.isPaused && this.context.state === 'running';
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** Latency-corrected context time (s): the position of the audio at the speaker now. */
  get heardTime(): number {
    return this.clock.now();
  }

  /**
   * The mouth at `time` (context seconds, default: now as heard): the viseme whose span holds it,
   * and attack/release-blended weights. Silence outside speech.
   */
  visemeAt(time: number = this.clock.now()): VisemeFrame {
    return this.track.frameAt(time, this.attackMs, this.releaseMs);
  }

  /** Blended viseme weights now (ascending id, zeros left out): for morph targets each frame. */
  currentVisemes(): VisemeWeight[] {
    return this.visemeAt().weights;
  }

  /**
   * The mouth at `time` (default: now as heard) as ARKit blendshape weights: `visemeAt()`'s
   * blended Oculus weights through ARKIT_VISEME_TABLE. For rigs with ARKit shapes instead of visemes.
   */
  blendshapesAt(time: number = this.clock.now(), naming: ArkitNaming = 'apple'): Record<string, number> {
    return arkitWeights(this.visemeAt(time).weights, naming);
  }

  /** Stops, removes listeners, closes the context if the Player created it. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.stop();
    this.disposed = true;
    this.loop.dispose();
    this.context.removeEventListener('statechange', this.onStateChange);
    for (const set of this.listeners.values()) set.clear();
    this.gain.disconnect();
    if (this.ownsContext) this.context.close().catch(() => {});
  }

  /** One frame: fire every cue whose time has come, in order; then 'end'; then settle speak(). */
  private readonly tick = (): boolean => {
    if (this.disposed) return false;
    const generation = this.generation;
    const now = this.clock.now();
    for (const cue of this.queue.takeDue(now)) {
      cue.dispatchTime = now;
      this.emit(cue.type, cue);
      if (generation !== this.generation) return this.isActive(); // a listener called stop()
    }
    if (this.audioEnd !== null && now >= this.audioEnd && this.queue.size === 0 && !this.streaming()) {
      const end: EndCue = { type: 'end', time: this.audioEnd, dispatchTime: now };
      this.audioEnd = null;
      this.emit('end', end);
      if (generation !== this.generation) return this.isActive();
    }
    for (const session of this.sessions) if (session.heardBy(now)) session.finish();
    const active = this.isActive();
    if (this.listeners.get('blendshapes')!.size) {
      // Once more when playback stops, at rest, so a rig never freezes mid-shape.
      const weights = active ? this.blendshapesAt(now) : arkitWeights([]);
      this.emit('blendshapes', { type: 'blendshapes', time: now, dispatchTime: now, weights });
    }
    this.track.prune(now - 1, this.releaseMs); // a second of history for visemeAt() just behind
    return active;
  };

  /** A speak() stream is still producing chunks: 'end' waits for it (an underrun is not the end). */
  private streaming(): boolean {
    for (const session of this.sessions) if (!session.streamDone) return true;
    return false;
  }

  private isActive(): boolean {
    return !this.disposed && (this.queue.size > 0 || this.audioEnd !== null || this.sessions.size > 0);
  }

  private emit<K extends PlayerEventType>(type: K, event: PlayerEventMap[K]): void {
    for (const listener of [...this.listeners.get(type)!]) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not stop the others or the timeline; the page still sees it.
        if (typeof reportError === 'function') reportError(error);
        else
          setTimeout(() => {
            throw error;
          });
      }
    }
  }

  /** resume(), raced against `blockedAfterMs`; reports 'blocked' when the context stays stopped. */
  private unlock(): Promise<boolean> {
    const generation = this.generation;
    const attempt = (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Where the browser says audio may start (a gesture, Firefox's policy), a slow start — an
      // audio device opening: Firefox took ~0.9 s — is not a block: it gets longer.
      const wait = audioStartAllowed(this.context) ? Math.max(this.blockedAfterMs, ALLOWED_START_MS) : this.blockedAfterMs;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, wait)));
      await Promise.race([this.context.resume().catch(() => {}), timeout]);
      clearTimeout(timer);
      const running = this.context.state === 'running';
      if (!running && !this.disposed && !this.isPaused && generation === this.generation) this.reportBlocked();
      return running;
    })();
    this.unlocking = attempt;
    void attempt.finally(() => {
      if (this.unlocking === attempt) this.unlocking = null;
    });
    return attempt;
  }

  private reportBlocked(): void {
    if (this.blocked || this.context.state === 'closed') return;
    this.blocked = true;
    const now = this.clock.now();
    this.emit('blocked', { type: 'blocked', state: this.context.state, time: now, dispatchTime: now });
    if (this.sessions.size === 0) return; // plain enqueue(): the audio waits for a resume()
    const error = new AvatarVoiceError(
      'AUTOPLAY_BLOCKED',
      `the AudioContext stays "${this.context.state}": the browser wants a user gesture first (call player.resume() in a click handler)`,
    );
    for (const session of [...this.sessions]) session.fail(error);
    this.stop();
  }

  private assertLive(): void {
    if (this.disposed) throw new AvatarVoiceError('DISPOSED', 'this Player was disposed');
    if (this.context.state === 'closed') throw new AvatarVoiceError('DISPOSED', "the Player's AudioContext was closed");
  }
}

function nonNegative(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0))
    throw new AvatarVoiceError('INVALID_ARGUMENT', `${name} must be a finite number >= 0, got ${value}`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `pieces`, each also handed to `onPiece` as it passes (strings only; the voice rejects others). */
async function* recorded(pieces: TextPieces, onPiece: (piece: string) => void): AsyncGenerator<string> {
  for await (const piece of pieces) {
    if (typeof piece === 'string') onPiece(piece);
    yield piece;
  }
}

/** How long a start the browser allows may take before it counts as blocked. */
const ALLOWED_START_MS = 10_000;

type AutoplayNavigator = {
  getAutoplayPolicy?: (context: AudioContext) => 'allowed' | 'allowed-muted' | 'disallowed';
  userActivation?: { isActive: boolean };
};

/** Whether the browser lets `context` start now: its autoplay policy, else a user gesture in progress. */
function audioStartAllowed(context: AudioContext): boolean {
  const nav = (globalThis as { navigator?: AutoplayNavigator }).navigator;
  try {
    if (nav?.getAutoplayPolicy) return nav.getAutoplayPolicy(context) === 'allowed';
  } catch {
    // not a real AudioContext (a test double): ask the gesture instead
  }
  return nav?.userActivation?.isActive === true;
}
