// The Storage view: what the store holds (store.stats()), whether it is healthy (store.health()),
// how much of the browser's quota is used, the voice cache, the offline cache and the engine.
import { byId, el } from './element.js';
import { describeError, formatBytes } from './format.js';
import { cacheSummary } from './offline_support.js';

const TABLE_LABELS = {
  avatars: 'Avatars',
  sessions: 'Sessions',
  presets: 'Presets',
  audios: 'Audio clips',
  phonemes: 'Phoneme rows',
  renders: 'Renders',
  assets: 'Assets',
  config: 'Settings',
};

export class StatsView {
  constructor(state) {
    this.state = state;
    byId('stats-refresh').addEventListener('click', () => this.refresh());
  }

  async refresh() {
    const host = byId('stats-cards');
    host.setAttribute('aria-busy', 'true');
    try {
      const { store, av } = this.state;
      const [stats, health, voices, cache] = await Promise.all([store.stats(), store.health(), av.listVoices(), cacheSummary()]);
      host.replaceChildren(
        this.storageCard(stats),
        this.recordsCard(stats),
        this.healthCard(health, stats),
        this.voicesCard(voices),
        this.engineCard(cache),
      );
    } catch (error) {
      host.replaceChildren(el('p', { className: 'notice notice-error' }, `Could not read the store: ${describeError(error)}`));
    } finally {
      host.removeAttribute('aria-busy');
    }
  }

  storageCard(stats) {
    const quota = stats.quota;
    const share = quota?.quota ? quota.usage / quota.quota : 0;
    return card(
      'Storage',
      'stats-storage',
      el('p', { className: 'big-number' }, formatBytes(stats.bytes)),
      el('p', { className: 'hint' }, `database: ${stats.pageCount} pages of ${formatBytes(stats.pageSize)}, ${stats.freelistCount} free`),
      el('p', { className: 'hint', id: 'stats-audio-formats' }, audioFormatsLine(stats.audioFormats ?? {})),
      quota
        ? el(
            'div',
            {},
            el(
              'label',
              { htmlFor: 'quota-meter', className: 'field-label' },
              `This site uses ${formatBytes(quota.usage)} of ${formatBytes(quota.quota)}`,
            ),
            el('meter', { id: 'quota-meter', min: 0, max: 1, value: share, low: 0.7, high: 0.9, optimum: 0 }),
          )
        : el('p', { className: 'hint' }, 'The browser does not report a quota.'),
      el(
        'p',
        { className: 'hint' },
        this.state.store.persistence.storage === 'opfs'
          ? 'Kept in this browser (SQLite on OPFS).'
          : this.state.store.persistence.survivesReload
            ? `Kept in this browser: ${this.state.store.persistence.reason}.`
            : `In memory only, nothing is kept after a reload: ${this.state.store.persistence.reason}.`,
      ),
    );
  }

  recordsCard(stats) {
    const rows = Object.entries(stats.rowCounts ?? {});
    return card(
      'Records',
      'stats-records',
      el(
        'table',
        { className: 'stats-table' },
        el('caption', { className: 'visually-hidden' }, 'Rows and bytes per table'),
        el(
          'tbody',
          {},
          ...rows.map(([table, count]) =>
            el(
              'tr',
              { dataset: { table } },
              el('th', { scope: 'row' }, TABLE_LABELS[table] ?? table),
              el('td', {}, count.toLocaleString()),
              el('td', { className: 'bytes' }, formatBytes(stats.tableBytes?.[table] ?? 0)),
            ),
          ),
          el(
            'tr',
            { dataset: { table: 'deleted' } },
            el('th', { scope: 'row' }, 'Sessions in Recently deleted'),
            el('td', {}, stats.deletedSessions.toLocaleString()),
          ),
        ),
      ),
    );
  }

  healthCard(health, stats) {
    const ok = health.ok;
    return card(
      'Health',
      'stats-health',
      el('p', {}, el('span', { className: `badge ${ok ? 'badge-ok' : 'badge-error'}` }, ok ? 'Healthy' : 'Problems found')),
      el(
        'dl',
        { className: 'details compact' },
        el('dt', {}, 'Integrity check'),
        el('dd', {}, health.quickCheck.join('; ') || 'ok'),
        el('dt', {}, 'Schema version'),
        el(
          'dd',
          {},
          `${health.schemaVersion} of ${health.latestSchemaVersion}${stats.schemaVersion !== health.schemaVersion ? ` (stats: ${stats.schemaVersion})` : ''}`,
        ),
        el('dt', {}, 'Journal'),
        el('dd', {}, health.journalMode),
        el('dt', {}, 'SQLite'),
        el('dd', {}, health.sqliteVersion),
      ),
    );
  }

  voicesCard(voices) {
    const bytes = voices.reduce((n, v) => n + v.modelBytes + v.configBytes, 0);
    return card(
      'Voice cache',
      'stats-voices',
      el('p', { className: 'big-number' }, `${voices.length} voice${voices.length === 1 ? '' : 's'}`),
      el('p', { className: 'hint' }, `${formatBytes(bytes)} in this browser's private file system`),
    );
  }

  engineCard(cache) {
    const info = this.state.av.info;
    return card(
      'Engine and offline',
      'stats-engine',
      el(
        'dl',
        { className: 'details compact' },
        el('dt', {}, 'avatar-voice'),
        el('dd', {}, info.version ?? '–'),
        el('dt', {}, 'espeak-ng'),
        el('dd', {}, info.espeakVersion ?? '–'),
        el('dt', {}, 'Start-up'),
        el('dd', {}, `${Math.round((info.moduleMs ?? 0) + (info.espeakMs ?? 0))} ms`),
        el('dt', {}, 'Threads'),
        el(
          'dd',
          {},
          crossOriginIsolated ? `up to ${navigator.hardwareConcurrency} (cross-origin isolated)` : '1 (not cross-origin isolated)',
        ),
        el('dt', {}, 'Offline cache'),
        el('dd', {}, cache ? `${cache.files} files, ${formatBytes(cache.bytes)}` : 'not active yet'),
      ),
    );
  }
}

function card(title, id, ...content) {
  return el(
    'section',
    { className: 'card stat-card', id, attrs: { 'aria-labelledby': `${id}-title` } },
    el('h3', { id: `${id}-title` }, title),
    ...content,
  );
}

/** "Audio: 12 as opus (113 KB), 2 as wav (1.2 MB)": what the saved speech takes, per format. */
function audioFormatsLine(formats) {
  const parts = Object.entries(formats).map(([format, u]) => `${u.count.toLocaleString()} as ${format} (${formatBytes(u.bytes)})`);
  return parts.length ? `Audio: ${parts.join(', ')}` : 'No saved audio yet.';
}
