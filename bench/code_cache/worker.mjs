// Creates one onnxruntime-web session of the model it is sent, in a fresh worker, and reports how
// long InferenceSession.create took (bench/code_cache.mjs).
import * as ort from './ort/ort.wasm.min.mjs';

onmessage = async ({ data }) => {
  ort.env.wasm.wasmPaths = new URL('./ort/', import.meta.url).href;
  ort.env.wasm.numThreads = data.threads;
  const bytes = new Uint8Array(await (await fetch(data.model)).arrayBuffer());
  const started = performance.now();
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const ms = performance.now() - started;
  await session.release();
  postMessage(ms);
};
