/**
 * The package's worker entry: owns the wasm core, the ORT sessions (and the OPFS store).
 * Started by {@link AvatarVoice.create}; not imported by users directly.
 */
import * as Comlink from 'comlink';

import { createEngineApi } from './engine_api.js';
import { installErrorTransfer } from './error_transfer.js';

installErrorTransfer();
Comlink.expose(createEngineApi((value, buffers) => Comlink.transfer(value, buffers)));
