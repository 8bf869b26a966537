/**
 * The voice cache's folder where OPFS is missing or refuses the page (WebKitGTK ships without it;
 * Safari's private windows refuse it): the few FileSystemDirectoryHandle calls the caches make
 * (voice_cache.ts, voice_parts_cache.ts, voice_catalog.ts), over one IndexedDB object store keyed
 * by path, so the same code keeps voices for offline use in every engine.
 *
 * ```ts
 * const voices = await idbRoot().getDirectoryHandle('voices', { create: true });
 * const w = await (await voices.getFileHandle('a.onnx', { create: true })).createWritable();
 * await w.write(bytes); await w.close();   // one IndexedDB transaction: all of it or nothing
 * ```
 *
 * Like OPFS: a writable's data lands only at close(); a missing file or folder is a NotFoundError.
 * Folders are marker keys ("voices/"), files hold their bytes ("voices/a.onnx").
 */

import { openObjectStoreDb, transact } from './indexeddb.js';

const DB_NAME = 'avatar-voice-files';
const FILES = 'files';
const FOLDER = 'folder';

let opened: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opened ??= openObjectStoreDb(DB_NAME, FILES).catch((error) => {
    opened = null; // a later call may try again
    throw error;
  });
  return opened;
}

/** Runs `fn` in one transaction on the files; resolves with its result once it has committed. */
async function transactFiles<T>(mode: IDBTransactionMode, fn: (files: IDBObjectStore) => IDBRequest<T> | undefined): Promise<T> {
  return transact(await database(), FILES, mode, fn);
}

function childPath(parent: string, name: string): string {
  if (!name || name.includes('/') || name === '.' || name === '..') throw new TypeError(`invalid name "${name}"`);
  return parent + name;
}

const notFound = (path: string) => new DOMException(`"${path}" was not found`, 'NotFoundError');

class IdbWritable {
  private readonly parts: BlobPart[] = [];
  private done = false;

  constructor(private readonly path: string) {}

  async write(data: BlobPart): Promise<void> {
    if (this.done) throw new TypeError('the writable is closed');
    // A copy: the caller may reuse its buffer before close().
    this.parts.push(
      typeof data === 'string'
        ? data
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
          : data instanceof ArrayBuffer
            ? data.slice(0)
            : data,
    );
  }

  async close(): Promise<void> {
    if (this.done) throw new TypeError('the writable is closed');
    this.done = true;
    const bytes = await new Blob(this.parts).arrayBuffer();
    await transactFiles('readwrite', (files) => files.put(bytes, this.path));
  }

  async abort(): Promise<void> {
    this.done = true;
    this.parts.length = 0;
  }
}

class IdbFileHandle {
  readonly kind = 'file';

  constructor(
    readonly name: string,
    private readonly path: string,
  ) {}

  async getFile(): Promise<Blob> {
    const bytes = await transactFiles<unknown>('readonly', (files) => files.get(this.path));
    if (!(bytes instanceof ArrayBuffer)) throw notFound(this.path);
    return new Blob([bytes]);
  }

  async createWritable(): Promise<IdbWritable> {
    return new IdbWritable(this.path);
  }
}

export class IdbDirectoryHandle {
  readonly kind = 'directory';

  constructor(
    readonly name: string,
    /** "" for the root, else "a/b/". */
    private readonly path: string,
  ) {}

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<IdbDirectoryHandle> {
    const path = `${childPath(this.path, name)}/`;
    const found = await transactFiles<unknown>('readonly', (files) => files.get(path));
    if (found !== FOLDER) {
      if (found !== undefined) throw new DOMException(`"${path}" is a file`, 'TypeMismatchError');
      if (!options.create) throw notFound(path);
      await transactFiles('readwrite', (files) => files.put(FOLDER, path));
    }
    return new IdbDirectoryHandle(name, path);
  }

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<IdbFileHandle> {
    const path = childPath(this.path, name);
    const found = await transactFiles<unknown>('readonly', (files) => files.get(path));
    if (found === undefined) {
      if (!options.create) throw notFound(path);
      await transactFiles('readwrite', (files) => files.put(new ArrayBuffer(0), path));
    }
    return new IdbFileHandle(name, path);
  }

  /** Removes a file, or a folder with everything in it (`recursive`; an empty one without). */
  async removeEntry(name: string, options: { recursive?: boolean } = {}): Promise<void> {
    const file = childPath(this.path, name);
    const folder = `${file}/`;
    const inside = IDBKeyRange.bound(folder, `${folder}\uffff`);
    const [isFile, count] = await Promise.all([
      transactFiles<unknown>('readonly', (files) => files.get(file)),
      transactFiles<number>('readonly', (files) => files.count(inside)),
    ]);
    if (isFile !== undefined) {
      await transactFiles('readwrite', (files) => files.delete(file));
      return;
    }
    if (count === 0) throw notFound(file);
    if (count > 1 && !options.recursive) throw new DOMException(`"${folder}" is not empty`, 'InvalidModificationError');
    await transactFiles('readwrite', (files) => files.delete(inside));
  }

  /** The names directly inside this folder. */
  async *keys(): AsyncGenerator<string> {
    const inside = IDBKeyRange.bound(this.path, `${this.path}\uffff`, true);
    const paths = (await transactFiles<IDBValidKey[]>('readonly', (files) => files.getAllKeys(inside))) as string[];
    const names = new Set<string>();
    for (const p of paths) {
      const rest = p.slice(this.path.length);
      const cut = rest.indexOf('/');
      names.add(cut < 0 ? rest : rest.slice(0, cut));
    }
    yield* names;
  }
}

export function idbRoot(): IdbDirectoryHandle {
  return new IdbDirectoryHandle('', '');
}
