// The baseline: onnxruntime-web alone (no code from this package), in its own module worker like
// the package's engine, on the same model bytes the package is given (unpatched: only "output").
import * as ort from '/node_modules/onnxruntime-web/dist/ort.wasm.min.mjs';

import { SESSION_OPTIONS, configureOrt, runPiper, serve } from './ort_piper.mjs';

let session = null;

serve({
  async init({ numThreads }) {
    configureOrt(ort, numThreads);
    return { ortVersion: ort.env.versions?.web ?? null, numThreads };
  },
  /** Bytes → ready session; returns how long InferenceSession.create took. */
  async createSession({ model }) {
    if (session) await session.release();
    const t0 = performance.now();
    session = await ort.InferenceSession.create(new Uint8Array(model), SESSION_OPTIONS);
    return { createMs: performance.now() - t0, inputs: session.inputNames, outputs: session.outputNames };
  },
  /** One sentence's ids → audio; the time is run() with its tensors, nothing else. */
  async run({ ids, scales }) {
    const { ms, data } = await runPiper(ort, session, ids, scales);
    return { ms, samples: data[0].length };
  },
  async release() {
    await session?.release();
    session = null;
  },
});
