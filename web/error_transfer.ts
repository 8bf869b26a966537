/**
 * Comlink's default error transfer keeps only name/message/stack; ours keeps the `code` too.
 * Both sides of the worker boundary call this once.
 */
import * as Comlink from 'comlink';

import { AvatarVoiceError, type AvatarVoiceErrorCode } from './errors.js';

interface ThrownValue {
  isError: boolean;
  value: unknown;
}
interface WireError {
  code: AvatarVoiceErrorCode;
  message: string;
  offset?: number;
}

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  // Comlink does not export its throw marker: reuse the built-in handler's test for it.
  const builtin = Comlink.transferHandlers.get('throw');
  if (!builtin) throw new Error('Comlink has no built-in "throw" transfer handler');
  Comlink.transferHandlers.set('throw', {
    canHandle: (value: unknown): value is ThrownValue => builtin.canHandle(value),
    serialize({ value }: ThrownValue) {
      const wire: WireError =
        value instanceof AvatarVoiceError
          ? { code: value.code, message: value.message, ...(value.offset !== undefined && { offset: value.offset }) }
          : { code: 'INTERNAL', message: value instanceof Error ? value.message : String(value) };
      return [wire, []];
    },
    deserialize(wire: WireError) {
      throw new AvatarVoiceError(wire.code, wire.message, wire.offset);
    },
  } as Comlink.TransferHandler<ThrownValue, WireError>);
}
