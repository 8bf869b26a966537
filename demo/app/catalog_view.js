// The Voices view's catalogue card: Piper's voice catalogue (Hugging Face's voices.json, or any
// mirror's), filtered by language and quality, each voice with its size; one click downloads it
// with progress (size and MD5 checked by the package). Offline, the copy the package kept at the
// last visit answers, and voices already saved can be used from it.
import { byId, el } from './element.js';
import { describeError, formatBytes, formatDate } from './format.js';
import { announce } from './status.js';
import { loadVoiceFromCatalog } from './voice_sources.js';

const QUALITY_ORDER = ['x_low', 'low', 'medium', 'high'];
/** At most this many rows at once: the whole catalogue is ~150 voices, a language a handful. */
const MAX_ROWS = 200;

export class CatalogView {
  constructor(state, library) {
    this.state = state;
    this.library = library;
    this.catalog = null;
    byId('catalog-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.open(byId('catalog-url').value.trim());
    });
    byId('catalog-language').addEventListener('change', () => this.render());
    byId('catalog-quality').addEventListener('change', () => this.render());
    state.on('voice', () => this.markSaved());
    state.on('data', () => this.markSaved());
  }

  async open(url) {
    const status = byId('catalog-status');
    status.textContent = 'Reading the catalogue…';
    try {
      this.catalog = await this.state.av.catalog(url);
    } catch (error) {
      this.catalog = null;
      byId('catalog-filters').hidden = true;
      byId('catalog-list').replaceChildren();
      status.textContent = `The catalogue could not be read: ${describeError(error)}. Your saved voices are listed below.`;
      return;
    }
    const { voices, rejected, source, fetchedAt } = this.catalog;
    status.textContent =
      `${voices.length} voices` +
      (rejected.length ? ` (${rejected.length} malformed entries left out)` : '') +
      (source === 'saved' ? ` · offline: the copy saved ${formatDate(fetchedAt)}` : '');
    this.fillFilters();
    this.render();
  }

  fillFilters() {
    const languages = new Map();
    for (const v of this.catalog.voices) {
      const name = v.language.nameEnglish || v.language.family;
      languages.set(v.language.family, name);
    }
    const sorted = [...languages].sort((a, b) => a[1].localeCompare(b[1]));
    const language = byId('catalog-language');
    const previous = language.value;
    language.replaceChildren(
      el('option', { value: '' }, 'All languages'),
      ...sorted.map(([code, name]) => el('option', { value: code }, `${name} (${code})`)),
    );
    language.value = languages.has(previous) ? previous : '';
    const qualities = [...new Set(this.catalog.voices.map((v) => v.quality))].sort(
      (a, b) => QUALITY_ORDER.indexOf(a) - QUALITY_ORDER.indexOf(b),
    );
    byId('catalog-quality').replaceChildren(
      el('option', { value: '' }, 'Any quality'),
      ...qualities.map((q) => el('option', { value: q }, q.replace('_', ' '))),
    );
    byId('catalog-filters').hidden = false;
  }

  /** After a voice was saved or deleted elsewhere in the demo, the rows say so. */
  async markSaved() {
    if (!this.catalog) return;
    const saved = new Map((await this.state.av.listVoices()).filter((v) => v.url).map((v) => [v.url, v.id]));
    for (const v of this.catalog.voices) v.cachedId = saved.get(v.model.url) ?? null;
    this.render();
  }

  render() {
    if (!this.catalog) return;
    const family = byId('catalog-language').value;
    const quality = byId('catalog-quality').value;
    const shown = this.catalog.voices.filter((v) => (!family || v.language.family === family) && (!quality || v.quality === quality));
    const offline = this.catalog.source === 'saved';
    byId('catalog-list').replaceChildren(...shown.slice(0, MAX_ROWS).map((v) => this.row(v, offline)));
  }

  row(voice, offline) {
    const { language } = voice;
    const where = [language.nameNative || language.nameEnglish, language.countryEnglish].filter(Boolean).join(', ');
    const speakers = voice.numSpeakers > 1 ? ` · ${voice.numSpeakers} speakers` : '';
    const action = voice.cachedId
      ? el(
          'button',
          { type: 'button', className: 'secondary', onclick: () => this.use(voice), attrs: { 'aria-label': `Use ${voice.key}` } },
          'Use',
        )
      : el(
          'button',
          { type: 'button', disabled: offline, onclick: () => this.download(voice), attrs: { 'aria-label': `Download ${voice.key}` } },
          'Download',
        );
    return el(
      'li',
      { className: 'item', dataset: { catalogKey: voice.key } },
      el(
        'div',
        { className: 'item-main' },
        el('strong', {}, voice.key),
        voice.cachedId ? el('span', { className: 'badge badge-ok' }, 'Saved') : null,
        el(
          'div',
          { className: 'hint' },
          `${where} · ${voice.quality.replace('_', ' ')}${speakers} · ${formatBytes(voice.model.bytes + voice.config.bytes)}`,
        ),
      ),
      el('div', { className: 'item-actions' }, action),
    );
  }

  async download(voice) {
    const catalogUrl = this.catalog.url;
    await this.library.download(`Downloading ${voice.key} (${formatBytes(voice.model.bytes)})…`, (options) =>
      loadVoiceFromCatalog(this.state, voice.key, catalogUrl, options),
    );
    await this.markSaved();
  }

  async use(voice) {
    const entry = (await this.state.av.listVoices()).find((v) => v.id === voice.cachedId);
    if (!entry) {
      announce(`“${voice.key}” is no longer saved in this browser.`, 'error');
      return this.markSaved();
    }
    await this.library.useCached(entry);
  }
}
