/**
 * Checks a download against the size and MD5 a voice catalogue lists for it (voice_catalog.ts).
 * MD5 because that is what Piper's `voices.json` publishes; hash-wasm computes it, since Web
 * Crypto has no MD5.
 *
 * ```ts
 * await checkDigest(bytes, { bytes: 63201294, md5: 'c06eb96a…' }, 'the model', url);  // or INTEGRITY
 * ```
 */
import { AvatarVoiceError } from './errors.js';

export interface FileDigest {
  bytes: number;
  /** Hex, any case. */
  md5: string;
}

/** Resolves when `data` has the listed size and MD5, else rejects with INTEGRITY. */
export async function checkDigest(data: Uint8Array, expected: FileDigest, what: string, url: string): Promise<void> {
  if (data.byteLength !== expected.bytes)
    throw new AvatarVoiceError('INTEGRITY', `${what} from ${url} has ${data.byteLength} bytes; the catalogue lists ${expected.bytes}`);
  // Loaded on first use: only catalogue downloads need it (keeps ~20 KB out of the entry module).
  const { md5 } = await import('./md5.js');
  const actual = await md5(data);
  if (actual !== expected.md5.toLowerCase())
    throw new AvatarVoiceError('INTEGRITY', `${what} from ${url} has MD5 ${actual}; the catalogue lists ${expected.md5.toLowerCase()}`);
}
