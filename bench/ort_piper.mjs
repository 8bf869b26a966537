// Runs a Piper graph with onnxruntime-web exactly as a user without this package would: ids in,
// samples out. Shared by the two bench workers; imports nothing from the package.

/** Same session options as web/piper_session.ts, so the comparison is like for like. */
export const SESSION_OPTIONS = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };

export function configureOrt(ort, numThreads) {
  // Versioned as the package asks for them (web/assets.ts), so that a returning visit finds them
  // immutable in the HTTP cache with their compiled code, as the package's engine does.
  const file = (name) => new URL(`/dist/ort/${name}?v=${ort.env.versions.web}`, self.location.href).href;
  ort.env.wasm.wasmPaths = { mjs: file('ort-wasm-simd-threaded.mjs'), wasm: file('ort-wasm-simd-threaded.wasm') };
  ort.env.wasm.numThreads = numThreads;
}

/** One inference; returns the output tensors' data and how long run() took (tensors included). */
export async function runPiper(ort, session, ids, scales, fetches = ['output']) {
  const t0 = performance.now();
  const feeds = {
    input: new ort.Tensor(
      'int64',
      BigInt64Array.from(ids, (v) => BigInt(v)),
      [1, ids.length],
    ),
    input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
    scales: new ort.Tensor('float32', Float32Array.from(scales), [3]),
  };
  if (session.inputNames.includes('sid')) feeds.sid = new ort.Tensor('int64', BigInt64Array.of(0n), [1]);
  const results = await session.run(feeds, fetches);
  const ms = performance.now() - t0;
  return { ms, data: fetches.map((name) => results[name].data) };
}

/**
 * The worker side of a tiny request/response protocol: `{ id, op, args }` in, `{ id, result }`
 * or `{ id, error }` out. `ops` maps op names to async functions.
 */
export function serve(ops) {
  self.onmessage = async ({ data: { id, op, args } }) => {
    try {
      self.postMessage({ id, result: await ops[op](args) });
    } catch (error) {
      self.postMessage({ id, error: `${op}: ${error?.message ?? error}` });
    }
  };
}

/** The page side: `const w = connect(url); await w.call('op', args)`. */
export function connect(url) {
  const worker = new Worker(url, { type: 'module' });
  const pending = new Map();
  let next = 1;
  worker.onmessage = ({ data: { id, result, error } }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (error) p.reject(new Error(error));
    else p.resolve(result);
  };
  worker.onerror = (event) => {
    for (const p of pending.values()) p.reject(new Error(`bench worker ${url} failed: ${event.message}`));
    pending.clear();
  };
  return {
    call(op, args = {}, transfer = []) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, op, args }, transfer);
      });
    },
    terminate: () => worker.terminate(),
  };
}
