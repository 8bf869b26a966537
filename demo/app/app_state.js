// What every view shares: the engine, the store, the current voice, avatar and style, and the
// playback. Views subscribe to changes instead of calling each other.
//   state.on('voice', () => …); state.setVoice(voice, 'en_US-lessac-medium');

const CHANGES = ['voice', 'avatar', 'avatars', 'style', 'styles', 'sessions', 'questionSets', 'data'];

export class AppState {
  constructor({ av, store, storeKind, playback }) {
    this.av = av;
    this.store = store;
    /** 'opfs' (persistent) or 'memory' (another tab holds the database). */
    this.storeKind = storeKind;
    this.playback = playback;
    this.voice = null;
    this.voiceName = '';
    this.speaker = null;
    this.avatar = null;
    this.style = null; // the avatar_style preset shown
    this.listeners = new Map(CHANGES.map((c) => [c, new Set()]));
  }

  on(change, fn) {
    this.listeners.get(change).add(fn);
  }

  changed(change) {
    for (const fn of this.listeners.get(change)) fn(this);
  }

  async setVoice(voice, name) {
    const previous = this.voice;
    this.voice = voice;
    this.voiceName = voice ? name : '';
    this.speaker = voice && voice.info.numSpeakers > 1 ? (voice.info.speakers[0]?.name ?? 0) : null;
    if (previous && previous !== voice) await previous.dispose().catch(() => {});
    this.changed('voice');
  }

  /** Synthesis options every utterance uses: the chosen speaker and speed. */
  synthesisOptions(speed = 1) {
    const options = {};
    if (this.speaker !== null) options.speaker = this.speaker;
    if (this.voice) options.lengthScale = this.voice.info.defaults.lengthScale / speed;
    return options;
  }

  // Small settings live in the store's config table under "demo.*" keys.
  async setting(key, fallback) {
    try {
      return (await this.store.config.get(`demo.${key}`)).value ?? fallback;
    } catch {
      return fallback;
    }
  }

  saveSetting(key, value) {
    return this.store.config.set(`demo.${key}`, value).catch((error) => console.warn(`cannot save demo.${key}`, error));
  }
}
