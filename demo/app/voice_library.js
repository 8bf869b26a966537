// The Voices view: add a Piper voice (files, drag and drop, or a URL with progress and cancel),
// see and delete the voices saved in this browser, pick a speaker of a multi-speaker voice.
import { byId, el } from './element.js';
import { describeError, formatBytes, formatDate, isAbort } from './format.js';
import { announce } from './status.js';
import { displayName, loadCachedVoice, loadVoiceFromFiles, loadVoiceFromUrl, splitVoiceFiles } from './voice_sources.js';

export class VoiceLibrary {
  constructor(state) {
    this.state = state;
    this.pending = { model: null, config: null };
    this.downloading = null;
    this.busy = false;
    this.wireFiles();
    this.wireUrl();
    byId('voice-speaker').addEventListener('change', (e) => this.chooseSpeaker(e.target.value));
    state.on('voice', () => {
      this.showCurrent();
      this.refresh();
    });
    state.on('data', () => this.refresh());
  }

  wireFiles() {
    const input = byId('voice-files');
    input.addEventListener('change', () => {
      this.addFiles(input.files);
      input.value = '';
    });
    const zone = byId('voice-drop');
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('is-over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('is-over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('is-over');
      this.addFiles(e.dataTransfer?.files ?? []);
    });
  }

  /** Files may come together or one at a time: load once both the model and config are here. */
  async addFiles(files) {
    const { model, config } = splitVoiceFiles(files);
    if (model) this.pending.model = model;
    if (config) this.pending.config = config;
    const hint = byId('voice-pending');
    if (!this.pending.model || !this.pending.config) {
      hint.textContent = this.pending.model
        ? `Got ${this.pending.model.name}. Now add its config, ${this.pending.model.name}.json.`
        : this.pending.config
          ? `Got ${this.pending.config.name}. Now add the model (.onnx) it describes.`
          : 'Those are not voice files: a Piper voice is a .onnx model and its .onnx.json.';
      return;
    }
    const { model: m, config: c } = this.pending;
    this.pending = { model: null, config: null };
    hint.textContent = '';
    await this.run(`Loading ${m.name} (${formatBytes(m.size)})…`, () => loadVoiceFromFiles(this.state, m, c));
  }

  wireUrl() {
    const form = byId('voice-url-form');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const url = byId('voice-url').value.trim();
      if (!url) return;
      await this.download(`Downloading ${url}…`, (options) => loadVoiceFromUrl(this.state, url, options));
    });
    byId('voice-cancel').addEventListener('click', () => this.downloading?.abort());
  }

  /** Runs a download (`start(options)` → { voice, name }) with the progress bar and Cancel. */
  async download(message, start) {
    const controller = new AbortController();
    this.downloading = controller;
    byId('voice-cancel').hidden = false;
    byId('voice-progress-row').hidden = false;
    try {
      await this.run(message, () => start({ signal: controller.signal, onProgress: (p) => this.showProgress(p) }));
    } finally {
      this.downloading = null;
      byId('voice-cancel').hidden = true;
      byId('voice-progress-row').hidden = true;
    }
  }

  showProgress({ file, loadedBytes, totalBytes }) {
    const bar = byId('voice-progress');
    if (totalBytes) {
      bar.max = totalBytes;
      bar.value = loadedBytes;
    } else bar.removeAttribute('value');
    const what = { model: 'Model', config: 'Config', catalog: 'Catalogue' }[file] ?? file;
    byId('voice-progress-text').textContent = `${what}: ${formatBytes(loadedBytes)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}`;
  }

  async run(message, load) {
    if (this.busy) return;
    this.setBusy(true);
    announce(message);
    try {
      const { voice, name } = await load();
      await this.use(voice, name);
      announce(`Voice “${name}” is ready${voice.info.numSpeakers > 1 ? ` (${voice.info.numSpeakers} speakers)` : ''}.`, 'success');
    } catch (error) {
      announce(
        isAbort(error) ? 'Download cancelled.' : `Could not load the voice: ${describeError(error)}`,
        isAbort(error) ? 'info' : 'error',
      );
    } finally {
      this.setBusy(false);
    }
  }

  async use(voice, name, speaker = null) {
    await this.state.setVoice(voice, name);
    if (speaker !== null && voice.info.speakers.some((s) => s.name === speaker)) this.state.speaker = speaker;
    this.showCurrent();
    await this.state.saveSetting('voice', { id: voice.info.sha256, speaker: this.state.speaker });
  }

  setBusy(busy) {
    this.busy = busy;
    for (const id of ['voice-files', 'voice-url', 'voice-download']) byId(id).disabled = busy;
    byId('voice-drop').classList.toggle('is-busy', busy);
    for (const button of byId('voice-list').querySelectorAll('button')) button.disabled = busy;
    for (const button of byId('catalog-list').querySelectorAll('button')) button.disabled = busy;
  }

  chooseSpeaker(name) {
    this.state.speaker = name;
    this.state.saveSetting('voice', { id: this.state.voice.info.sha256, speaker: name });
    announce(`Speaker “${name}” selected.`);
  }

  showCurrent() {
    const { voice, voiceName } = this.state;
    byId('voice-current').hidden = !voice;
    const badge = byId('voice-badge');
    badge.textContent = voice ? `Voice: ${voiceName}` : 'No voice';
    badge.className = `badge ${voice ? 'badge-ok' : 'badge-muted'}`;
    if (!voice) return;
    const info = voice.info;
    const language = info.language?.name_english ?? info.language?.code ?? info.espeakVoice ?? '–';
    const rows = [
      ['Name', voiceName],
      ['Language', language],
      ['Quality', info.quality ?? '–'],
      ['Sample rate', `${info.sampleRate} Hz`],
      ['Speakers', String(info.numSpeakers)],
      ['Timing', info.timing === 'model' ? 'exact, from the model' : 'estimated'],
      ['Model size', formatBytes(info.modelBytes)],
    ];
    byId('voice-details').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const multi = info.numSpeakers > 1;
    byId('voice-speaker-row').hidden = !multi;
    if (multi) {
      const select = byId('voice-speaker');
      select.replaceChildren(...info.speakers.map((s) => el('option', { value: s.name }, `${s.name} (#${s.id})`)));
      select.value = String(this.state.speaker);
    }
  }

  async refresh() {
    const voices = await this.state.av.listVoices();
    byId('voice-list-empty').hidden = voices.length > 0;
    byId('voice-help').hidden = voices.length > 0 && this.state.voice !== null;
    const current = this.state.voice?.info.sha256;
    const items = [];
    for (const entry of voices) {
      const name = await displayName(this.state, entry);
      const inUse = entry.id === current;
      const origin = entry.url ? new URL(entry.url).host : 'from files';
      items.push(
        el(
          'li',
          { className: `item${inUse ? ' is-current' : ''}`, dataset: { voiceId: entry.id } },
          el(
            'div',
            { className: 'item-main' },
            el('strong', {}, name),
            inUse ? el('span', { className: 'badge badge-ok' }, 'In use') : null,
            el(
              'div',
              { className: 'hint' },
              `${formatBytes(entry.modelBytes + entry.configBytes)} · ${origin} · added ${formatDate(entry.cachedAt)}`,
            ),
          ),
          el(
            'div',
            { className: 'item-actions' },
            el(
              'button',
              {
                type: 'button',
                className: 'secondary',
                disabled: inUse || this.busy,
                onclick: () => this.useCached(entry),
                attrs: { 'aria-label': `Use ${name}` },
              },
              'Use',
            ),
            el(
              'button',
              {
                type: 'button',
                className: 'danger',
                disabled: this.busy,
                onclick: () => this.remove(entry, name),
                attrs: { 'aria-label': `Delete ${name}` },
              },
              'Delete',
            ),
          ),
        ),
      );
    }
    byId('voice-list').replaceChildren(...items);
  }

  async useCached(entry) {
    await this.run('Loading the voice from this browser…', () => loadCachedVoice(this.state, entry));
  }

  async remove(entry, name) {
    if (this.state.voice?.info.sha256 === entry.id) {
      this.state.playback.stop();
      await this.state.setVoice(null, '');
      await this.state.saveSetting('voice', null);
    }
    await this.state.av.deleteVoice(entry.id);
    announce(`Deleted the voice “${name}”.`, 'success');
    await this.refresh();
  }
}
