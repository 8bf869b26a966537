// Test only (refusing_idb_worker.js): IndexedDB's put refuses the store's image ("images") the way
// a full disk does, while the page says so over the BroadcastChannel 'refuse-idb-puts' (true/false).
let refuse = false;
new BroadcastChannel('refuse-idb-puts').onmessage = (e) => {
  refuse = e.data === true;
};
const realPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (refuse && this.name === 'images') throw new DOMException('the quota is full (test)', 'QuotaExceededError');
  return realPut.apply(this, args);
};
