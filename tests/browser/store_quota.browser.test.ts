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
});
