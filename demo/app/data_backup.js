// Export everything to one SQLite file, and import such a file back (after a confirmation, since
// it replaces all data). Voices are not in it: they live in the voice cache.
import { byId } from './element.js';
import { describeError, formatBytes } from './format.js';
import { announce } from './status.js';

export class DataBackup {
  constructor(state) {
    this.state = state;
    this.file = null;
    byId('export-button').addEventListener('click', () => this.export());
    const input = byId('import-file');
    input.addEventListener('change', () => {
      this.file = input.files?.[0] ?? null;
      input.value = '';
      if (this.file) this.askToReplace();
    });
    byId('import-replace').addEventListener('click', () => this.import());
    byId('import-cancel').addEventListener('click', () => this.hideConfirm());
  }

  async export() {
    try {
      const blob = await this.state.store.exportDatabase();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `interview-coach-${new Date().toISOString().slice(0, 10)}.sqlite3`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      announce(`Exported ${formatBytes(blob.size)}.`, 'success');
    } catch (error) {
      announce(`Export failed: ${describeError(error)}`, 'error');
    }
  }

  askToReplace() {
    byId('import-confirm-text').textContent =
      `Replace everything stored here with “${this.file.name}” (${formatBytes(this.file.size)})? Sessions, avatars, styles and question sets made since that backup will be gone.`;
    byId('import-confirm').hidden = false;
    byId('import-replace').focus();
  }

  hideConfirm() {
    byId('import-confirm').hidden = true;
    this.file = null;
  }

  async import() {
    const file = this.file;
    this.hideConfirm();
    if (!file) return;
    try {
      this.state.playback.stop();
      const stats = await this.state.store.importDatabase(file);
      this.state.changed('data');
      const sessions = stats.rowCounts?.sessions ?? 0;
      announce(`Imported “${file.name}”: ${sessions} session${sessions === 1 ? '' : 's'}.`, 'success');
    } catch (error) {
      announce(`That file could not be imported, nothing was changed: ${describeError(error)}`, 'error');
    }
  }
}
