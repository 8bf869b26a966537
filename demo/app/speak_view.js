// The Speak view: type text (or SSML), hear the avatar say it (streamed sentence by sentence),
// set the speed, and see the phonemes espeak-ng produces for it, with or without a voice.
import { byId, el } from './element.js';
import { describeError, isAbort } from './format.js';
import { announce } from './status.js';

// What the SSML subset can do, in one utterance (README, "SSML").
const SSML_EXAMPLE = `<speak>
  <s>Welcome to your practice interview.</s>
  <break time="700ms"/>
  <s>Your first question is about <mark name="topic"/>teamwork.</s>
  <s>Take <prosody rate="slow">a moment</prosody> before you answer.</s>
  <s>Questions? Call <say-as interpret-as="telephone">555-0134</say-as>
     or ask the <sub alias="Human Resources">HR</sub> team.</s>
</speak>`;

export class SpeakView {
  constructor(state) {
    this.state = state;
    this.text = byId('speak-text');
    this.button = byId('speak-button');
    this.speed = byId('speak-speed');
    this.ssml = byId('speak-ssml');
    this.marks = byId('speak-marks');
    this.phonemeTimer = null;
    this.ssml.addEventListener('change', () => this.showPhonemes());
    byId('speak-ssml-example').addEventListener('click', () => {
      this.text.value = SSML_EXAMPLE;
      this.ssml.checked = true;
      this.showPhonemes();
    });
    // Marks fire as they are heard: the page could show a slide, start a timer, …
    state.playback.on('mark', (cue) => {
      this.marks.hidden = false;
      this.marks.textContent = `Mark reached: ${cue.name} (${cue.time.toFixed(2)} s)`;
    });
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
    this.marks.hidden = true;
    const ssml = this.ssml.checked;
    try {
      const speech = await playback.say(voice, text, { ...this.state.synthesisOptions(this.speedValue), ssml });
      if (ssml) this.showSpokenPhonemes(speech, text);
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
    if (this.ssml.checked) {
      // Markup is not text: its phonemes are those of the speech, shown once it was spoken.
      list.replaceChildren(el('li', { className: 'hint' }, 'SSML: the phonemes appear here once it is spoken.'));
      return;
    }
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

  /** The phonemes of spoken SSML, sentence by sentence, each with its span of the markup. */
  showSpokenPhonemes(speech, text) {
    const rows = speech.sentences
      .filter((s) => !s.pause)
      .map((s) => {
        const ipa = speech.phonemes
          .filter((p) => p.startSample >= s.startSample && p.startSample < s.endSample && p.phoneme !== '^' && p.phoneme !== '$')
          .map((p) => p.phoneme)
          .join('');
        return el('li', {}, el('q', {}, text.slice(s.textStart, s.textEnd)), el('code', { className: 'ipa', lang: 'und-fonipa' }, ipa));
      });
    byId('phoneme-list').replaceChildren(...rows);
  }
}
