// A full origin quota while the store writes: Chromium's own quota (lowered through the DevTools
// protocol, Storage.overrideQuotaForOrigin) makes the OPFS sync access handle throw a real
// QuotaExceededError mid-transaction. The package must report QUOTA_EXCEEDED, keep nothing of
// the failed transaction (README: "the transaction was rolled back"), and work again once there
// is room.
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { type BrowserSession, openAppPage } from './chromium.js';

let session: BrowserSession;
let page: Page;
let cdp: CDPSession;
let checkPageErrors: () => void;

beforeAll(async () => {
  ({ session, page, checkPageErrors } = await openAppPage());
  cdp = await session.context.newCDPSession(page);
});
afterAll(async () => session?.close());
afterEach(() => checkPageErrors());

/** Lets the origin use only `headroom` more bytes than it uses now (undefined: back to normal). */
async function limitQuota(headroom: number | undefined): Promise<void> {
  const origin = new URL(session.baseUrl).origin;
  if (headroom === undefined) {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    return;
  }
  const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + headroom });
}

describe('store at a full quota', () => {
  it('rejects with QUOTA_EXCEEDED, keeps no part of the transaction, and recovers', async () => {
    const before = await page.evaluate(async () => {
      const store = await (window as any).av.openStore();
      (window as any).store = store;
      const avatar = await store.avatars.create({ name: 'Before the quota' });
      return { avatarId: avatar.id, stats: await store.stats() };
    });

    await limitQuota(64 * 1024);
    const failed = await page.evaluate(async (avatarId) => {
      const store = (window as any).store;
      const bytes = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24); // incompressible enough
      const attempt = async (run: () => Promise<unknown>) => {
        try {
          await run();
          return 'resolved';
        } catch (e: any) {
          return e.code;
        }
      };
      return {
        // One command: the asset row and its 2 MB blob.
        asset: await attempt(() => store.assets.create({ name: 'too big', mime: 'application/octet-stream' }, bytes)),
        // A multi-step transaction: a small row first, then the blob that cannot fit.
        transaction: await attempt(() =>
          store.transaction(async (tx: any) => {
            await tx.sessions.create({ avatarId, kind: 'interview', title: 'half done' });
            await tx.assets.create({ name: 'too big 2', mime: 'application/octet-stream' }, bytes);
          }),
        ),
        // Reads still work at a full quota.
        stats: await store.stats(),
        health: await store.health(),
      };
    }, before.avatarId);
    expect({ asset: failed.asset, transaction: failed.transaction }).toEqual({ asset: 'QUOTA_EXCEEDED', transaction: 'QUOTA_EXCEEDED' });
    expect(failed.stats.rowCounts).toEqual(before.stats.rowCounts);
    expect(failed.health).toMatchObject({ ok: true, quickCheck: ['ok'] });

    await limitQuota(undefined);
    const recovered = await page.evaluate(async () => {
      const store = (window as any).store;
      const asset = await store.assets.create(
        { name: 'fits now', mime: 'application/octet-stream' },
        new Uint8Array(2 * 1024 * 1024).fill(7),
      );
      return { size: (await store.assets.getBytes(asset.id)).length, names: (await store.assets.list()).map((a: any) => a.name) };
    });
    expect(recovered).toEqual({ size: 2 * 1024 * 1024, names: ['fits now'] });
  });

  // Where OPFS is missing the database lives in memory and its image goes to IndexedDB after each
  // committed change (web/indexeddb_image.ts). A save IndexedDB refuses must not leave the change
  // in memory: the caller was told it failed, so no later read may show it, and a reload agrees.
  // Chromium's quota override does not reach IndexedDB (measured: an 8 MB put passed a 64 KB
  // headroom), so the engine's worker is pages/refusing_idb_worker.js: the package's worker, with
  // IndexedDB's put throwing the QuotaExceededError a full disk gives, for the image only, on cue.
  it('IndexedDB store: a change whose save IndexedDB refuses is gone from memory too', async () => {
    const name = `quota-${Date.now()}`;
    const before = await page.evaluate(async (n) => {
      const engine = await (window as any).avatarVoice.AvatarVoice.create({ workerUrl: '/tests/browser/pages/refusing_idb_worker.js' });
      (window as any).idbEngine = engine;
      const store = await engine.openStore({ storage: 'indexeddb', name: n });
      (window as any).idbStore = store;
      await store.avatars.create({ name: 'Before the refusal' });
      return (await store.stats()).rowCounts;
    }, name);

    const failed = await page.evaluate(async () => {
      const store = (window as any).idbStore;
      const refuse = new BroadcastChannel('refuse-idb-puts');
      refuse.postMessage(true);
      await new Promise((r) => setTimeout(r, 100));
      const codes = {
        // app.html's outcome(): "ok" or the error's code.
        asset: await (window as any).outcome(store.assets.create({ name: 'refused', mime: 'text/plain' }, new Uint8Array(1000))),
        transaction: await (window as any).outcome(
          store.transaction(async (tx: any) => {
            await tx.avatars.create({ name: 'refused in a transaction' });
          }),
        ),
      };
      refuse.postMessage(false);
      await new Promise((r) => setTimeout(r, 100));
      refuse.close();
      return { codes, assets: (await store.assets.list()).length, rowCounts: (await store.stats()).rowCounts };
    });
    expect(failed).toEqual({ codes: { asset: 'QUOTA_EXCEEDED', transaction: 'QUOTA_EXCEEDED' }, assets: 0, rowCounts: before });

    // Still usable, and what it holds is what IndexedDB holds.
    const after = await page.evaluate(async (n) => {
      const store = (window as any).idbStore;
      await store.avatars.create({ name: 'After the refusal' });
      (window as any).idbEngine.dispose(); // releases the store's lock, as a closed tab does
      const engine = await (window as any).avatarVoice.AvatarVoice.create();
      const again = await engine.openStore({ storage: 'indexeddb', name: n });
      const names = (await again.avatars.list()).map((a: any) => a.name);
      const assets = (await again.assets.list()).length;
      engine.dispose();
      return { names, assets };
    }, name);
    expect(after).toEqual({ names: ['Before the refusal', 'After the refusal'], assets: 0 });
  });
});
