// Median / min / max over the timed repetitions (warm-up runs are dropped before this).

/** `{ median, min, max, n }` of the numbers `values`, or null when there are none. */
export function summarize(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v.at(-1), n: v.length };
}

/** Summary of `pick(sample)` over the non-warm-up samples. */
export function timed(samples, pick) {
  return summarize(samples.filter((s) => !s.warmup).map(pick));
}

/** "123 (110–140)" with `digits` decimals; "n/a" for null. */
export function fmt(stat, digits = 0) {
  if (!stat) return 'n/a';
  const f = (x) => x.toFixed(digits);
  return `${f(stat.median)} (${f(stat.min)}–${f(stat.max)})`;
}

export function fmtBytes(n) {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
