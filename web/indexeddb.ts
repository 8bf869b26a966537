/**
 * The two IndexedDB calls the package's fallbacks share (indexeddb_image.ts, the store's image;
 * indexeddb_directory.ts, the voice cache's folder): opening a database of one object store, and
 * running one transaction that resolves only once it has committed (`durability: 'strict'`, so a
 * resolved write survives a crash of the browser).
 *
 * ```ts
 * const db = await openObjectStoreDb('avatar-voice-files', 'files');
 * await transact(db, 'files', 'readwrite', (files) => files.put(bytes, 'voices/a.onnx'));
 * const bytes = await transact(db, 'files', 'readonly', (files) => files.get('voices/a.onnx'));
 * ```
 */

/** Opens (creating at version 1) database `name` holding the object store `store`. */
export function openObjectStoreDb(name: string, store: string): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(store);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

/** Runs `fn` in one transaction on `store`; resolves with its request's result once committed. */
export function transact<T>(
  db: IDBDatabase,
  store: string,
  mode: IDBTransactionMode,
  fn: (objects: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T> {
  const tx = db.transaction(store, mode, { durability: 'strict' });
  const request = fn(tx.objectStore(store));
  return new Promise<T>((resolve, reject) => {
    tx.oncomplete = () => resolve(request?.result as T);
    tx.onabort = () => reject(tx.error ?? new DOMException('the IndexedDB transaction was aborted', 'AbortError'));
  });
}
