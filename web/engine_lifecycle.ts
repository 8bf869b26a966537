/**
 * The life of one engine (worker or in-process core) as its callers see it: once it is disposed or
 * its worker crashes, every call still waiting and every later one rejects with the same typed
 * error (`DISPOSED` or `WORKER_CRASHED`). Without this a Comlink call whose worker is gone would
 * wait forever, and so would `Player.speak` and every Store call queued behind it.
 *
 * ```ts
 * const life = new EngineLifecycle();
 * const api = life.guard(Comlink.wrap<EngineApi>(worker));
 * worker.addEventListener('error', () => life.end(new AvatarVoiceError('WORKER_CRASHED', '...')));
 * life.end(new AvatarVoiceError('DISPOSED', '...'));   // pending api calls reject now
 * ```
 */
import type { AvatarVoiceError } from './errors.js';

export class EngineLifecycle {
  private failure: AvatarVoiceError | null = null;
  private rejectEnded!: (error: AvatarVoiceError) => void;
  /** Rejects once, when the engine ends; never resolves. */
  readonly ended: Promise<never>;

  constructor() {
    this.ended = new Promise<never>((_, reject) => (this.rejectEnded = reject));
    this.ended.catch(() => undefined); // only calls in flight care; an idle end is not "unhandled"
  }

  /** Why the engine ended, or null while it is alive. */
  get error(): AvatarVoiceError | null {
    return this.failure;
  }

  /** Ends the engine with `error`; the first call wins (a crash after dispose stays DISPOSED). */
  end(error: AvatarVoiceError): void {
    if (this.failure) return;
    this.failure = error;
    this.rejectEnded(error);
  }

  /** `api` with every method call raced against the end (and refused after it). */
  guard<T extends object>(api: T): T {
    const methods = new Map<PropertyKey, unknown>();
    return new Proxy(api, {
      get: (target, name) => {
        // Comlink's remote is a Proxy that answers every name; only calls are guarded.
        if (typeof name !== 'string' || name === 'then') return undefined;
        let method = methods.get(name);
        if (!method) {
          method = (...args: unknown[]) => {
            if (this.failure) return Promise.reject(this.failure);
            const call = (target as Record<string, (...a: unknown[]) => Promise<unknown>>)[name]!(...args);
            return Promise.race([call, this.ended]);
          };
          methods.set(name, method);
        }
        return method;
      },
    });
  }
}
