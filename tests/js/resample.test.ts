// The store's resampler (web/resample.ts) against analytic signals: a band-limited tone must come
// out as the same tone sampled at the new rate, and a tone above the new Nyquist frequency must
// not alias into the output.
import { describe, expect, it } from 'vitest';

import { resample } from '../../dist/index.js';

function tone(hz: number, rate: number, n: number, phase = 0.3): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate + phase);
  return out;
}

/** Largest difference away from the edges (the kernel sees silence past them). */
function maxDiff(a: Float32Array, b: Float32Array, margin: number): number {
  let worst = 0;
  for (let i = margin; i < Math.min(a.length, b.length) - margin; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('resample', () => {
  it('22.05 kHz → 48 kHz and back keeps a 440 Hz and a 3 kHz tone', () => {
    for (const hz of [440, 3000]) {
      const up = resample(tone(hz, 22050, 22050), 22050, 48000);
      expect(up.length).toBe(48000);
      expect(maxDiff(up, tone(hz, 48000, 48000), 200)).toBeLessThan(2e-3);
      const down = resample(tone(hz, 48000, 48000), 48000, 22050, 22050);
      expect(maxDiff(down, tone(hz, 22050, 22050), 100)).toBeLessThan(2e-3);
    }
  });

  it('16 kHz ↔ 48 kHz too, and the requested length is exact', () => {
    const up = resample(tone(1000, 16000, 16001), 16000, 48000);
    expect(up.length).toBe(48003);
    expect(maxDiff(up, tone(1000, 48000, 48003), 200)).toBeLessThan(2e-3);
    expect(resample(up, 48000, 16000, 12345).length).toBe(12345);
  });

  it('a tone above the target Nyquist frequency does not alias', () => {
    // 15 kHz at 48 kHz → 22.05 kHz (Nyquist 11.025 kHz): without filtering it would fold to 7.05 kHz.
    const down = resample(tone(15000, 48000, 48000), 48000, 22050);
    let peak = 0;
    for (let i = 100; i < down.length - 100; i++) peak = Math.max(peak, Math.abs(down[i]!));
    expect(peak).toBeLessThan(0.005);
  });

  it('the same rate copies, and bad rates are refused', () => {
    const x = tone(440, 22050, 100);
    expect(resample(x, 22050, 22050)).toEqual(x);
    expect(() => resample(x, 0, 22050)).toThrow(RangeError);
  });
});
