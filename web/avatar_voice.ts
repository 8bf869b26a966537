/**
 * The package's entry object.
 *
 * ```ts
 * import { AvatarVoice } from 'avatar-voice';
 * const av = await AvatarVoice.create();               // starts the worker, loads wasm + espeak data
 * const [sentence] = await av.phonemize('Hello there.');
 * console.log(sentence.phonemes.map((p) => p.phoneme).join(''));
 * av.dispose();
 * ```
 *
 * In a browser everything heavy runs in one dedicated module worker; under Node (tests, tools)
 * the same core runs in-process (`{ worker: false }` is the default there).
 */
import * as Comlink from 'comlink';

import { type AssetUrls, isNode, resolveAssets } from './assets.js';
import { type Core, loadCore } from './core.js';
import { AvatarVoiceError } from './errors.js';
import { installErrorTransfer } from './error_transfer.js';
import type { PhonemizedSentence, PhonemizeOptions } from './types.js';
import type { CoreInfo, WorkerApi } from './worker_protocol.js';

export interface CreateOptions {
  /** Run the core in a Web Worker (default: true in browsers, false under Node). */
  worker?: boolean;
  /** Override where the worker script is loaded from (default: `dist/worker.js` beside this file). */
  workerUrl?: string | URL;
  /** Override asset locations (wasm, espeak data); see {@link AssetUrls}. */
  assets?: AssetUrls;
}

/** Either a remote (worker) or local (in-process) backend; same calls. */
type Backend = Pick<WorkerApi, 'phonemize' | 'sqliteSelfCheck'>;

export class AvatarVoice {
  private disposed = false;

  private constructor(
    private readonly backend: Backend,
    /** Versions and load timings of the core. */
    readonly info: CoreInfo,
    private readonly worker?: Worker,
  ) {}

  static async create(options: CreateOptions = {}): Promise<AvatarVoice> {
    const useWorker = options.worker ?? !isNode();
    const assets = resolveAssets(options.assets);
    if (!useWorker) {
      const core: Core = await loadCore(assets);
      const info = { version: core.version, espeakVersion: core.espeakVersion, ...core.timings };
      const local: Backend = {
        phonemize: async (text, o) => core.phonemize(text, o),
        sqliteSelfCheck: async () => core.sqliteSelfCheck(),
      };
      return new AvatarVoice(local, info);
    }
    installErrorTransfer();
    const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
    const worker = new Worker(url, { type: 'module', name: 'avatar-voice' });
    const remote = Comlink.wrap<WorkerApi>(worker);
    const crashed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) =>
        reject(new AvatarVoiceError('WORKER_CRASHED', `the avatar-voice worker failed: ${event.message}`)),
      );
    });
    try {
      const info = await Promise.race([remote.init(assets), crashed]);
      return new AvatarVoice(remote, info, worker);
    } catch (error) {
      worker.terminate();
      throw error;
    }
  }

  /** Text → Piper phonemes per sentence (espeak-ng, Piper's procedure). */
  phonemize(text: string, options: PhonemizeOptions = {}): Promise<PhonemizedSentence[]> {
    this.assertLive();
    return this.backend.phonemize(text, options);
  }

  /** Opens an in-memory SQLite database in the core and runs a query (a health probe). */
  sqliteSelfCheck(): Promise<{ version: string; sum: number }> {
    this.assertLive();
    return this.backend.sqliteSelfCheck();
  }

  /** Stops the worker and frees the core. Further calls reject with code `DISPOSED`. */
  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
  }

  private assertLive(): void {
    if (this.disposed) throw new AvatarVoiceError('DISPOSED', 'this AvatarVoice was disposed');
  }
}
