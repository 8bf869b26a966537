/**
 * Band-limited resampling of mono audio (a windowed-sinc interpolator): what the Opus store
 * format needs around a codec that only runs at 48 kHz, where voices speak at 16 or 22.05 kHz.
 * Pure and deterministic, so a stored utterance decodes to the same samples in every engine.
 *
 * ```ts
 * const at48k = resample(samples, 22050, 48000);          // length: round(n × 48000 / 22050)
 * const back = resample(at48k, 48000, 22050, samples.length);
 * ```
 *
 * Output sample j is the input's band-limited value at time j / toRate: a Blackman-windowed sinc
 * of 16 zero crossings each side, its cutoff at 0.95 × the lower of the two Nyquist frequencies
 * (so downsampling does not alias). Input outside [0, n) is silence.
 */
const ZERO_CROSSINGS = 16;
const CUTOFF = 0.95;

export function resample(input: Float32Array, fromRate: number, toRate: number, length?: number): Float32Array<ArrayBuffer> {
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError(`sample rates must be positive (${fromRate} → ${toRate})`);
  const outLength = length ?? Math.round((input.length * toRate) / fromRate);
  const out = new Float32Array(outLength);
  if (fromRate === toRate) {
    out.set(input.subarray(0, outLength));
    return out;
  }
  // Cutoff in cycles per input sample; the kernel spans ZERO_CROSSINGS of its sinc on each side.
  const fc = 0.5 * CUTOFF * Math.min(1, toRate / fromRate);
  const half = Math.ceil(ZERO_CROSSINGS / (2 * fc));
  const taps = 2 * half;
  const weight = (d: number) => {
    const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
    const a = 2 * fc * d;
    return 2 * fc * (a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a)) * w;
  };
  // Integer rates: output j lies at input j·from/to, whose fraction repeats every to/gcd outputs,
  // so each phase's weights are computed once (22.05 ↔ 48 kHz: 147 or 320 phases).
  const g = gcd(fromRate, toRate);
  const period = Number.isInteger(fromRate) && Number.isInteger(toRate) ? toRate / g : Number.POSITIVE_INFINITY;
  const table = period <= 4096 ? new Float64Array(period * taps) : null;
  if (table)
    for (let p = 0; p < period; p++) {
      const frac = ((p * fromRate) % toRate) / toRate;
      for (let t = 0; t < taps; t++) table[p * taps + t] = weight(frac + half - 1 - t);
    }
  for (let j = 0; j < outLength; j++) {
    // x = j·from/to as an integer part and a fraction, exactly for integer rates.
    const base = Math.floor((j * fromRate) / toRate);
    const frac = table ? ((j * fromRate) % toRate) / toRate : (j * fromRate) / toRate - base;
    const first = base - half + 1; // tap t reads input[first + t], at distance frac + half - 1 - t
    let sum = 0;
    const from = Math.max(0, -first);
    const to = Math.min(taps, input.length - first);
    if (table) {
      const row = (j % period) * taps;
      for (let t = from; t < to; t++) sum += input[first + t]! * table[row + t]!;
    } else {
      for (let t = from; t < to; t++) sum += input[first + t]! * weight(frac + half - 1 - t);
    }
    out[j] = sum;
  }
  return out;
}

function gcd(a: number, b: number): number {
  let x = Math.round(a);
  let y = Math.round(b);
  while (y) [x, y] = [y, x % y];
  return x;
}
