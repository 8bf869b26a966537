/**
 * The flow's input z_p, frame by frame, from part A's prior per phoneme id (src/voice/prior_expansion.h).
 * The graph builds it with a dense [frames × ids] path matrix and two MatMuls, all before the
 * first audio; each row of that path holds a single 1, so the same frames are a gather:
 *
 *   k(t)    = the id whose cumulative durations first pass frame t (none past their sum)
 *   z[c, t] = mean[c, k(t)] + eps[c, t] · exp(logScale[c, k(t)]) · noiseScale
 *
 * (a frame of no id, which the graph makes when every duration is 0, has mean 0 and log scale 0).
 * eps is standard normal noise drawn from a counter-based generator keyed by (seed, c, t): one
 * sentence's windows may overlap and ask for a frame twice, and get the same noise each time, as
 * from the graph's single RandomNormalLike run. With noiseScale 0 there is no noise term at all.
 *
 * ```ts
 * const prior = new PriorFrames(mean, logScale, durations, totalFrames, noiseScale);
 * const z = prior.frames(from, to);   // [C, to − from], channel-major like an ORT [1, C, T] tensor
 * ```
 */
export class PriorFrames {
  readonly channels: number;
  private readonly ids: number;
  /** Id of each frame, −1 for a frame of no id. */
  private readonly idOfFrame: Int32Array;
  private readonly seed: number;

  /**
   * `mean`, `logScale`: [1, C, ids] channel-major; `durations`: frames per id (part A's Ceil);
   * `totalFrames`: T, the frames the model decodes (its mask's length).
   */
  constructor(
    private readonly mean: Float32Array,
    private readonly logScale: Float32Array,
    durations: Float32Array,
    readonly totalFrames: number,
    private readonly noiseScale: number,
    seed = (Math.random() * 2 ** 32) >>> 0,
  ) {
    this.ids = durations.length;
    if (this.ids === 0 || mean.length % this.ids !== 0 || logScale.length !== mean.length) {
      throw new RangeError(`prior of ${mean.length}/${logScale.length} values does not fit ${this.ids} ids`);
    }
    this.channels = mean.length / this.ids;
    this.seed = seed >>> 0;
    this.idOfFrame = new Int32Array(totalFrames).fill(-1);
    // Frame t belongs to id k when cum[k−1] ≤ t < cum[k] (the graph's path, in float32 like it).
    let end = 0;
    for (let k = 0; k < this.ids; k++) {
      const start = end;
      end = Math.fround(end + durations[k]!);
      for (let t = Math.max(0, Math.ceil(start)); t < end && t < totalFrames; t++) this.idOfFrame[t] = k;
    }
  }

  /** z_p frames [from, to): C × (to − from) values, channel-major. */
  frames(from: number, to: number): Float32Array {
    if (!(0 <= from && from <= to && to <= this.totalFrames)) {
      throw new RangeError(`frames [${from}, ${to}) are outside [0, ${this.totalFrames})`);
    }
    const width = to - from;
    const out = new Float32Array(this.channels * width);
    for (let c = 0; c < this.channels; c++) {
      const row = c * this.ids;
      for (let t = from; t < to; t++) {
        const k = this.idOfFrame[t]!;
        const m = k < 0 ? 0 : this.mean[row + k]!;
        if (this.noiseScale === 0) {
          out[c * width + t - from] = m;
          continue;
        }
        const scale = Math.fround(Math.exp(k < 0 ? 0 : this.logScale[row + k]!));
        const noise = Math.fround(Math.fround(this.normal(c * this.totalFrames + t) * scale) * this.noiseScale);
        out[c * width + t - from] = m + noise;
      }
    }
    return out;
  }

  /** Standard normal value number `index` of this sentence's noise (Box–Muller on two hashed uniforms). */
  private normal(index: number): number {
    const u1 = (hash32(this.seed, 2 * index) + 1) / 4294967297; // (0, 1): log(0) never
    const u2 = hash32(this.seed, 2 * index + 1) / 4294967296;
    return Math.fround(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  }
}

/** A 32-bit mix of (seed, counter) (the murmur3 finalizer over both): uniform, stateless. */
function hash32(seed: number, counter: number): number {
  let h = (seed ^ Math.imul(counter >>> 0, 0x9e3779b1) ^ Math.floor(counter / 4294967296)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
