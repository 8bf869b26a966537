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
  const step = fromRate / toRate;
  for (let j = 0; j < outLength; j++) {
    const x = j * step;
    const first = Math.max(0, Math.floor(x) - half + 1);
    const last = Math.min(input.length - 1, Math.floor(x) + half);
    let sum = 0;
    for (let k = first; k <= last; k++) {
      const d = x - k;
      const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
      const a = 2 * fc * d;
      sum += input[k]! * 2 * fc * (a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a)) * w;
    }
    out[j] = sum;
  }
  return out;
}
