// Records a spoken answer from the microphone: getUserMedia → MediaRecorder (the engine's own
// compressed format) → decoded to mono samples (decodeAudioData, which every engine has for what
// its MediaRecorder writes) → handed to the store, which keeps it as Opus like the questions.
//
//   const recorder = await AnswerRecorder.start();   // asks for the microphone
//   const { samples, sampleRate, durationMs } = await recorder.stop();

/** Mono samples at this rate: Opus's own, so the store encodes without resampling. */
const RATE = 48000;

export class AnswerRecorder {
  static supported() {
    return Boolean(globalThis.navigator?.mediaDevices?.getUserMedia) && typeof MediaRecorder !== 'undefined';
  }

  /** Asks for the microphone and starts recording; rejects with the browser's DOMException. */
  static async start() {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      return new AnswerRecorder(stream);
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw error;
    }
  }

  constructor(stream) {
    this.stream = stream;
    this.chunks = [];
    this.recorder = new MediaRecorder(stream);
    this.recorder.addEventListener('dataavailable', (e) => e.data.size && this.chunks.push(e.data));
    this.stopped = new Promise((resolve, reject) => {
      this.recorder.addEventListener('stop', resolve);
      this.recorder.addEventListener('error', (e) => reject(e.error ?? new Error('recording failed')));
    });
    this.startedAt = performance.now();
    this.recorder.start();
  }

  get elapsedMs() {
    return performance.now() - this.startedAt;
  }

  /** Stops, releases the microphone and returns the recording as samples. */
  async stop() {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    try {
      await this.stopped;
    } finally {
      this.release();
    }
    const blob = new Blob(this.chunks, { type: this.recorder.mimeType });
    if (blob.size === 0) throw new Error('the microphone gave no sound');
    // An offline context decodes (and resamples) without needing a user gesture to start.
    const decoded = await new OfflineAudioContext(1, 1, RATE).decodeAudioData(await blob.arrayBuffer());
    const samples = new Float32Array(decoded.length);
    for (let c = 0; c < decoded.numberOfChannels; c++) {
      const channel = decoded.getChannelData(c);
      for (let i = 0; i < samples.length; i++) samples[i] += channel[i] / decoded.numberOfChannels;
    }
    return { samples, sampleRate: decoded.sampleRate, durationMs: (samples.length / decoded.sampleRate) * 1000 };
  }

  /** Drops the recording and releases the microphone. */
  cancel() {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    this.release();
  }

  release() {
    for (const track of this.stream.getTracks()) track.stop();
  }
}

/** What the user is told when the microphone cannot be used; typing still works. */
export function microphoneProblem(error) {
  const name = error?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Microphone access was denied, so your answer cannot be recorded. You can still type it; to speak instead, allow the microphone for this page in the browser’s site settings.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. You can still type your answer.';
  if (name === 'NotReadableError') return 'The microphone is in use by another program. You can still type your answer.';
  return `Could not record: ${error?.message ?? error}. You can still type your answer.`;
}

/** "0:12 · 96 words/min" from the typed transcript, or just the speaking time without one. */
export function speakingSummary(durationMs, transcript, formatClock) {
  const words = (transcript ?? '').trim().split(/\s+/).filter(Boolean).length;
  const time = formatClock(durationMs);
  return words && durationMs >= 1000 ? `${time} · ${Math.round(words / (durationMs / 60000))} words/min` : time;
}
