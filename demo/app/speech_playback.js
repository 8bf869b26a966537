// One place that plays speech: streams a voice's sentences into a Player as they are synthesized
// (or replays a stored utterance), tells the stage what is happening, and hands back the whole
// utterance so it can be saved. Only one utterance plays at a time; a new one stops the last.
//
//   const playback = new SpeechPlayback();
//   playback.on('chunk', ({ chunk, startTime }) => timeline.add(chunk, startTime));
//   const speech = await playback.say(voice, 'Tell me about yourself.', { lengthScale: 1.1 });
//   await store.saveSpeech(speech, { text, voiceId: voice.info.sha256 });
import { AvatarVoiceError, Player, joinChunks } from 'avatar-voice';

const EVENTS = ['start', 'chunk', 'word', 'sentence', 'mark', 'state', 'blocked', 'idle', 'blendshapes'];

export class SpeechPlayback {
  constructor() {
    this.player = null;
    this.run = null;
    this.listeners = new Map(EVENTS.map((e) => [e, new Set()]));
  }

  on(type, fn) {
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  emit(type, detail) {
    for (const fn of this.listeners.get(type)) fn(detail);
  }

  get busy() {
    return this.run !== null;
  }

  get paused() {
    return this.player?.paused ?? false;
  }

  /** The mouth now (Player.visemeAt), or null before anything was played. */
  visemeFrame() {
    return this.player ? this.player.visemeAt() : null;
  }

  /** Latency-corrected context time: where the playhead is. */
  get heardTime() {
    return this.player?.heardTime ?? 0;
  }

  /**
   * A Player at the voice's own rate (gapless, bit-exact joins). Made on first use and when the
   * rate changes. Call it inside a click handler once, so the browser lets audio start.
   */
  playerFor(sampleRate) {
    if (this.player && this.player.context.sampleRate === sampleRate) return this.player;
    this.player?.dispose();
    const player = new Player({ sampleRate });
    player.on('word', (cue) => this.emit('word', cue));
    player.on('sentence', (cue) => this.emit('sentence', cue));
    player.on('mark', (cue) => this.emit('mark', cue));
    player.on('blendshapes', (cue) => this.emit('blendshapes', cue));
    player.on('blocked', () => {
      this.emit('blocked');
      this.fail(new AvatarVoiceError('AUTOPLAY_BLOCKED', 'the browser is holding audio back: press Speak again'));
    });
    this.player = player;
    return player;
  }

  /**
   * Streams `text` sentence by sentence; resolves with the joined utterance once it was heard.
   * `text` may arrive in pieces (an async iterable of strings, e.g. typed_text.js): each sentence
   * then starts as soon as it is written.
   */
  async say(voice, text, options = {}) {
    let received = typeof text === 'string' ? text : '';
    const input = typeof text === 'string' ? text : recorded(text, (piece) => (received += piece));
    const player = this.begin(voice.sampleRate, received);
    const run = this.run;
    const chunks = [];
    try {
      for await (const chunk of voice.stream(input, { ...options, signal: run.controller.signal })) {
        const { startTime, endTime } = player.enqueue(chunk, { text: received });
        chunks.push(chunk);
        run.end = endTime;
        this.emit('chunk', { chunk, startTime, text: received });
      }
      await this.heard(run);
      return joinChunks(chunks, voice.sampleRate);
    } catch (error) {
      throw run.failure ?? error;
    } finally {
      this.finish(run);
    }
  }

  /** Plays a stored utterance (store.loadSpeech) with its timeline. */
  async replay(stored, text = stored.audio?.text ?? '') {
    const player = this.begin(stored.sampleRate, text);
    const run = this.run;
    try {
      const chunk = {
        index: 0,
        textStart: 0,
        textEnd: text.length,
        samples: stored.samples,
        sampleRate: stored.sampleRate,
        durationMs: stored.durationMs,
        phonemes: stored.phonemes,
        visemes: stored.visemes, // loadSpeech gives each stored name its id in its set
        timing: 'model',
        warnings: [],
      };
      const { startTime, endTime } = player.enqueue(chunk, { text });
      run.end = endTime;
      this.emit('chunk', { chunk, startTime, text });
      await this.heard(run);
    } catch (error) {
      throw run.failure ?? error;
    } finally {
      this.finish(run);
    }
  }

  stop() {
    if (!this.run) return;
    this.fail(new AvatarVoiceError('ABORTED', 'stopped'));
  }

  async togglePause() {
    if (!this.player || !this.run) return;
    if (this.player.paused) await this.player.resume();
    else await this.player.pause();
    this.emit('state', { playing: true, paused: this.player.paused });
  }

  begin(sampleRate, text) {
    this.stop();
    const player = this.playerFor(sampleRate);
    // Inside a click this still counts as the user's gesture: the context may start.
    if (player.context.state !== 'running' && !player.paused) player.resume().catch(() => {});
    this.run = { controller: new AbortController(), end: null, failure: null, wake: null };
    this.emit('start', { text });
    this.emit('state', { playing: true, paused: false });
    return player;
  }

  /** Waits until the last scheduled sample has been heard (polled: works in background tabs too). */
  heard(run) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (run.failure) reject(run.failure);
        else if (run.end === null || this.player.heardTime >= run.end) resolve();
        else setTimeout(check, 40);
      };
      run.wake = check;
      check();
    });
  }

  fail(error) {
    const run = this.run;
    if (!run || run.failure) return;
    run.failure = error;
    run.controller.abort();
    this.player?.stop();
    run.wake?.();
  }

  finish(run) {
    if (this.run !== run) return;
    this.run = null;
    this.emit('state', { playing: false, paused: false });
    this.emit('idle');
  }
}

/** `pieces` as they pass, each also handed to `onPiece` (the text received so far is theirs joined). */
async function* recorded(pieces, onPiece) {
  for await (const piece of pieces) {
    onPiece(piece);
    yield piece;
  }
}
