/**
 * The package's worker entry: owns the wasm core (and later the ORT session and the OPFS store).
 * Started by {@link AvatarVoice.create}; not imported by users directly.
 */
import * as Comlink from 'comlink';

import { type Core, loadCore } from './core.js';
import { AvatarVoiceError } from './errors.js';
import { installErrorTransfer } from './error_transfer.js';
import type { WorkerApi } from './worker_protocol.js';

installErrorTransfer();

let core: Promise<Core> | undefined;

function ready(): Promise<Core> {
  if (!core) throw new AvatarVoiceError('INTERNAL', 'the worker was not initialised');
  return core;
}

const api: WorkerApi = {
  async init(assets) {
    core ??= loadCore(assets);
    const c = await core;
    return { version: c.version, espeakVersion: c.espeakVersion, ...c.timings };
  },
  async phonemize(text, options) {
    return (await ready()).phonemize(text, options);
  },
  async sqliteSelfCheck() {
    return (await ready()).sqliteSelfCheck();
  },
};

Comlink.expose(api);
