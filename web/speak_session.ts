/**
 * The state of one Player.speak() call: its stream's abort controller, where its audio ends, and
 * the promise speak() returns. Internal to the Player.
 *
 * ```ts
 * const session = new SpeakSession();
 * for await (const c of voice.stream(text, { signal: session.controller.signal }))
 *   session.endTime = player.enqueue(c).endTime;
 * session.streamDone = true;
 * // each frame: if (session.heardBy(now)) session.finish();   elsewhere: session.fail(error)
 * await session.done;
 * ```
 */
import type { AvatarVoiceError } from './errors.js';

export class SpeakSession {
  /** Aborts the voice stream when the session fails. */
  readonly controller = new AbortController();
  /** Settles once: resolved by finish(), rejected by the first fail(). */
  readonly done: Promise<void>;
  /** The stream has produced its last chunk (or ended another way). */
  streamDone = false;
  /** End (context s) of the last chunk this session enqueued; null before the first. */
  endTime: number | null = null;
  failure: AvatarVoiceError | null = null;
  private settle!: (error?: AvatarVoiceError) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    this.done.catch(() => {}); // speak() awaits it later; an early failure is not "unhandled"
  }

  /** All of its chunks are scheduled and the clock (`now`, context s) has passed their end. */
  heardBy(now: number): boolean {
    return this.streamDone && (this.endTime === null || now >= this.endTime);
  }

  finish(): void {
    this.settle();
  }

  fail(error: AvatarVoiceError): void {
    if (this.failure) return;
    this.failure = error;
    this.controller.abort();
    this.settle(error);
  }
}
