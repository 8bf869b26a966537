/**
 * "What is being heard now" on an AudioContext's timeline, and the frame loop that polls it.
 *
 * ```ts
 * const clock = new EventClock(context);
 * const loop = new FrameLoop(() => {
 *   const now = clock.now();                 // context seconds of the sample at the speaker
 *   for (const cue of queue.takeDue(now)) fire(cue);
 *   return queue.size > 0;                   // false: the loop sleeps until start() again
 * });
 * loop.start();
 * ```
 */

/** The parts of a context the clock reads (a real AudioContext, an OfflineAudioContext, a fake). */
export interface ClockSource {
  readonly currentTime: number;
  readonly state: string;
  readonly baseLatency?: number;
  readonly outputLatency?: number;
  getOutputTimestamp?(): AudioTimestamp;
}

// A timestamp older than this is stale (Chromium keeps the pre-suspend one for a moment after
// resume()); extrapolating it would run ahead of the speaker, so the clock falls back.
const MAX_TIMESTAMP_AGE_S = 0.1;
// The extrapolated clock may lead `currentTime − latency` by at most one audio callback (about
// 10 ms in Chromium on Linux); this bound keeps a bad timestamp from firing cues early.
const MAX_LEAD_OVER_CURRENT_TIME_S = 0.025;

/**
 * Latency-corrected context time. `currentTime` is the end of the last block the graph rendered;
 * that block is heard `baseLatency + outputLatency` later, and `currentTime` moves in whole
 * callbacks (≈10 ms steps). `getOutputTimestamp()` gives the context time at the speaker at a
 * known `performance.now()`, so extrapolating it gives a smooth clock between callbacks; it is
 * used when fresh, and `currentTime − baseLatency − outputLatency` otherwise. The value never goes
 * backwards and never advances while the context is not running.
 */
export class EventClock {
  private last = 0;

  constructor(
    private readonly context: ClockSource,
    private readonly performanceNow: () => number = () => performance.now(),
  ) {}

  now(): number {
    const c = this.context;
    if (c.state !== 'running') return this.last;
    const rendered = c.currentTime;
    const latency = (c.baseLatency ?? 0) + (c.outputLatency ?? 0);
    let heard = rendered - latency;
    const stamp = c.getOutputTimestamp?.();
    if (stamp?.performanceTime && stamp.contextTime !== undefined && stamp.contextTime > 0) {
      const age = (this.performanceNow() - stamp.performanceTime) / 1000;
      if (age >= 0 && age < MAX_TIMESTAMP_AGE_S) heard = Math.min(stamp.contextTime + age, heard + MAX_LEAD_OVER_CURRENT_TIME_S);
    }
    if (heard > this.last) this.last = heard;
    return this.last;
  }
}

/**
 * Calls `tick` once per animation frame while it returns true. requestAnimationFrame is the only
 * timer when the page is visible: cues are polled, never scheduled one timer each. Where there is
 * no rAF (Node, a worker) or it does not run (a hidden tab pauses rAF), a 16 ms setTimeout loop
 * takes over; browsers throttle that to ~1 Hz in hidden tabs, so cues arrive late there (still
 * all of them, in order) while the audio plays on.
 */
export class FrameLoop {
  private frame: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly onVisibility = () => {
    if (this.running) this.reschedule();
  };

  constructor(private readonly tick: () => boolean) {
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisibility);
  }

  get running(): boolean {
    return this.frame !== null || this.timer !== null;
  }

  /** Runs a tick at the next frame (no-op when already scheduled). */
  start(): void {
    if (!this.running) this.schedule();
  }

  stop(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    if (this.timer !== null) clearTimeout(this.timer);
    this.frame = null;
    this.timer = null;
  }

  dispose(): void {
    this.stop();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisibility);
  }

  private reschedule(): void {
    this.stop();
    this.schedule();
  }

  private schedule(): void {
    const visible = typeof document === 'undefined' || document.visibilityState !== 'hidden';
    if (typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && visible)
      this.frame = requestAnimationFrame(this.run);
    else this.timer = setTimeout(this.run, 16);
  }

  private readonly run = () => {
    this.frame = null;
    this.timer = null;
    // A listener may have restarted the loop from inside tick(): never run two chains.
    if (this.tick() && !this.running) this.schedule();
  };
}
