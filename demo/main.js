// Demo page logic. Uses only the public package API; text is never injected as HTML.
import { AvatarVoice, AvatarVoiceError } from 'avatar-voice';

const status = document.getElementById('status');
const input = document.getElementById('text');
const button = document.getElementById('phonemize');
const list = document.getElementById('sentences');

const av = await AvatarVoice.create();
status.textContent = `Ready: core ${av.info.version}, espeak-ng ${av.info.espeakVersion} ` +
  `(loaded in ${Math.round(av.info.moduleMs + av.info.espeakMs)} ms, in a worker).`;
button.disabled = false;

async function show() {
  list.replaceChildren();
  try {
    const sentences = await av.phonemize(input.value);
    for (const sentence of sentences) {
      const item = document.createElement('li');
      const source = document.createElement('q');
      source.textContent = input.value.slice(sentence.textStart, sentence.textEnd);
      const ipa = document.createElement('code');
      ipa.textContent = sentence.phonemes.map((p) => p.phoneme).join('');
      item.append(source, document.createElement('br'), ipa);
      list.append(item);
    }
  } catch (error) {
    const item = document.createElement('li');
    item.textContent = error instanceof AvatarVoiceError ? `${error.code}: ${error.message}` : String(error);
    list.append(item);
  }
}
button.addEventListener('click', show);
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) show();
});
show();
