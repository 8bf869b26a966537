/**
 * The message API between the page and the package's worker (carried by Comlink). Errors cross
 * as `{code, message}` so the page can rethrow a real AvatarVoiceError.
 */
import type { AssetUrls } from './assets.js';
import type { AvatarVoiceErrorCode } from './errors.js';
import type { PhonemizedSentence, PhonemizeOptions } from './types.js';

export interface CoreInfo {
  version: string;
  espeakVersion: string;
  moduleMs: number;
  espeakMs: number;
}

export interface WorkerApi {
  init(assets: AssetUrls): Promise<CoreInfo>;
  phonemize(text: string, options: PhonemizeOptions): Promise<PhonemizedSentence[]>;
  sqliteSelfCheck(): Promise<{ version: string; sum: number }>;
}

export interface SerializedError {
  code: AvatarVoiceErrorCode;
  message: string;
}
