// How numbers, sizes, durations and dates read on screen.

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** 75 000 ms → "1:15"; an hour or more → "1:02:03". */
export function formatClock(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatClock(ms);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** A stored time as text; a value that is no date (from an imported row, say) reads as such. */
export function formatDate(ms) {
  const date = new Date(ms);
  if (typeof ms !== 'number' || Number.isNaN(date.getTime())) return 'unknown date';
  return dateTime.format(date);
}

export function describeError(error) {
  if (error && typeof error === 'object' && 'code' in error) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** True for a cancellation the user asked for: not an error worth reporting. */
export function isAbort(error) {
  return error?.code === 'ABORTED' || error?.name === 'AbortError';
}
