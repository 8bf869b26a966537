/**
 * Opens, in the worker, the OPFS sync access handles the store's SQLite VFS reads and writes
 * (src/store/file_pool_vfs.h): the database file and its rollback journal, before SQLite starts.
 * A sync access handle is exclusive: while one worker (tab) holds it, another gets STORE_LOCKED.
 */
import { AvatarVoiceError } from './errors.js';

export interface PooledFile {
  name: string;
  slot: number;
}

interface SyncHandle {
  close(): void;
}

/**
 * OPFS is there but refuses this page (WebKit's private browsing and automation sessions reject
 * getDirectory with UnknownError), or has no sync access handles: nothing of the database was
 * touched, so the store can fall back to IndexedDB.
 */
export class OpfsUnavailableError extends AvatarVoiceError {
  constructor(readonly detail: string) {
    super('STORE', `cannot use the Origin Private File System: ${detail}`);
  }
}

type FileWithSyncHandle = { createSyncAccessHandle?: () => Promise<SyncHandle> };

export async function openOpfsPool(module: { avatarVoiceOpfs?: SyncHandle[] }, dbName: string): Promise<PooledFile[]> {
  closeOpfsPool(module);
  let dir: FileSystemDirectoryHandle;
  try {
    const root = await navigator.storage.getDirectory();
    dir = await (await root.getDirectoryHandle('avatar-voice', { create: true })).getDirectoryHandle('db', { create: true });
  } catch (cause) {
    throw new OpfsUnavailableError(`${(cause as Error).name}: ${(cause as Error).message}`);
  }
  const names = [dbName, `${dbName}-journal`];
  const handles: SyncHandle[] = [];
  try {
    for (const name of names) {
      const file = (await dir.getFileHandle(name, { create: true })) as unknown as FileWithSyncHandle;
      if (typeof file.createSyncAccessHandle !== 'function')
        throw new OpfsUnavailableError('this browser has no sync access handles (FileSystemSyncAccessHandle)');
      handles.push(await file.createSyncAccessHandle());
    }
  } catch (cause) {
    for (const h of handles) h.close();
    if (cause instanceof OpfsUnavailableError) throw cause;
    const name = (cause as Error).name;
    if (name === 'NoModificationAllowedError' || name === 'InvalidStateError')
      throw new AvatarVoiceError('STORE_LOCKED', 'the database is open in another tab or worker of this site');
    throw new AvatarVoiceError('STORE', `cannot open the database in OPFS: ${(cause as Error).message}`);
  }
  module.avatarVoiceOpfs = handles;
  return names.map((name, slot) => ({ name: `/${name}`, slot }));
}

export function closeOpfsPool(module: { avatarVoiceOpfs?: SyncHandle[] }): void {
  for (const h of module.avatarVoiceOpfs ?? []) {
    try {
      h.close();
    } catch {
      // already closed
    }
  }
  module.avatarVoiceOpfs = [];
}
