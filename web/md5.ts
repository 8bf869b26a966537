/**
 * MD5 (hash-wasm), in a module of its own so that `file_digest.ts` loads it on first use and a
 * bundler keeps only this one algorithm of hash-wasm.
 */
export { md5 } from 'hash-wasm';
