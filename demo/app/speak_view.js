// The Speak view: type text, hear the avatar say it (streamed sentence by sentence), set the
// speed, and see the phonemes espeak-ng produces for it, with or without a voice.
import { byId, el } from './element.js';
import { describeError, isAbort } from './format.js';
import { announce } from './status.js';

export class SpeakView {
  constructor(state) {
    this.state = state;
    this.text = byId('speak-text');
    this.button = byId('speak-button');
    this.speed = byId('speak-speed');
    this.phonemeTimer = null;
    this.button.addEventListener('click', () => this.speak());
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.speak();
      }
    });
    this.text.addEventListener('input', () => {
      clearTimeout(this.phonemeTimer);
      this.phonemeTimer = setTimeout(() => this.showPhonemes(), 250);
    });
    this.speed.addEventListener('input', () => this.showSpeed());
    this.speed.addEventListener('change', () => state.saveSetting('speed', Number(this.speed.value)));
    state.on('voice', () => this.showVoice());
  }

  async init() {
    this.speed.value = String(await this.state.setting('speed', 1));
    this.showSpeed();
    this.showVoice();
    await this.showPhonemes();
  }

  get speedValue() {
    return Number(this.speed.value);
  }

  showSpeed() {
    byId('speak-speed-value').textContent = `${this.speedValue.toFixed(2)}×`;
  }

  showVoice() {
    const ready = this.state.voice !== null;
    this.button.disabled = !ready;
    byId('speak-no-voice').hidden = ready;
  }

  async speak() {
    const { voice, playback } = this.state;
    const text = this.text.value.trim();
    if (!voice || !text) return;
    announce('Speaking…');
    try {
      const speech = await playback.say(voice, text, this.state.synthesisOptions(this.speedValue));
      announce(
        `Spoke ${speech.sentences.length} sentence${speech.sentences.length === 1 ? '' : 's'} in ${(speech.durationMs / 1000).toFixed(1)} s.`,
        'success',
      );
    } catch (error) {
      if (isAbort(error)) announce('Stopped.');
      else announce(`Could not speak: ${describeError(error)}`, 'error');
    }
  }

  async showPhonemes() {
    const list = byId('phoneme-list');
    const text = this.text.value;
    if (!text.trim()) {
      list.replaceChildren();
      return;
    }
    try {
      const language = this.state.voice?.info.espeakVoice ?? 'en-us';
      const sentences = await this.state.av.phonemize(text, { voice: language });
      if (text !== this.text.value) return; // typed on meanwhile: a newer call will draw
      list.replaceChildren(
        ...sentences.map((s) =>
          el(
            'li',
            {},
            el('q', {}, text.slice(s.textStart, s.textEnd)),
            el('code', { className: 'ipa', lang: 'und-fonipa' }, s.phonemes.map((p) => p.phoneme).join('')),
          ),
        ),
      );
    } catch (error) {
      list.replaceChildren(el('li', { className: 'error' }, describeError(error)));
    }
  }
}
