/**
 * The store's durable fallback where OPFS is missing (WebKitGTK's MiniBrowser, say): SQLite runs
 * in memory and every committed change writes the whole database image (the store's `export`,
 * sqlite3_serialize) to IndexedDB before the call that made it returns; opening imports the last
 * image (validated like any import). A write costs O(database size), which suits the KiB to few
 * MiB such a store holds; OPFS, where it exists, writes pages instead.
 *
 * A Web Lock is held while the store is open, so a second tab gets STORE_LOCKED (as with OPFS's
 * exclusive handles) instead of overwriting this tab's image with its own.
 */
import { AvatarVoiceError } from './errors.js';
import { openObjectStoreDb, transact } from './indexeddb.js';

const DB_NAME = 'avatar-voice-store';
const IMAGES = 'images';

function failure(what: string, cause: unknown): AvatarVoiceError {
  const error = cause as DOMException | null;
  if (error?.name === 'QuotaExceededError') return new AvatarVoiceError('QUOTA_EXCEEDED', `${what}: the browser's storage quota is full`);
  return new AvatarVoiceError('STORE', `${what}: ${error?.message ?? String(cause)}`);
}

export function indexedDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

export class IndexedDbImage {
  private constructor(
    private readonly db: IDBDatabase,
    private readonly key: string,
    private readonly release: () => void,
  ) {}

  /** Takes the lock for `name` (STORE_LOCKED if another tab has it) and opens the image store. */
  static async open(name: string): Promise<IndexedDbImage> {
    const release = await lock(`avatar-voice-store:${name}`);
    try {
      return new IndexedDbImage(await openObjectStoreDb(DB_NAME, IMAGES), name, release);
    } catch (cause) {
      release();
      throw failure('cannot open the database image in IndexedDB', cause);
    }
  }

  /** The last saved image, or null for a store that was never written. */
  async load(): Promise<Uint8Array | null> {
    try {
      const value = await transact<unknown>(this.db, IMAGES, 'readonly', (images) => images.get(this.key));
      return value instanceof ArrayBuffer ? new Uint8Array(value) : null;
    } catch (cause) {
      throw failure('cannot read the database image from IndexedDB', cause);
    }
  }

  /** Replaces the image; resolves once IndexedDB has committed it. */
  async save(bytes: Uint8Array): Promise<void> {
    const copy = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    try {
      await transact(this.db, IMAGES, 'readwrite', (images) => images.put(copy, this.key));
    } catch (cause) {
      throw failure('cannot save the database image to IndexedDB', cause);
    }
  }

  close(): void {
    this.db.close();
    this.release();
  }
}

/** Holds the Web Lock `name` until the returned release() is called. */
async function lock(name: string): Promise<() => void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return () => {}; // no Web Locks: nothing to coordinate with
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const granted = await new Promise<boolean>((resolve, reject) => {
    locks
      .request(name, { ifAvailable: true }, (l) => {
        resolve(l !== null);
        return l ? held : undefined;
      })
      .catch(reject);
  });
  if (!granted) throw new AvatarVoiceError('STORE_LOCKED', 'the database is open in another tab or worker of this site');
  return release;
}
