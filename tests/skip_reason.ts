// A test that cannot run here says why: the reason travels in the task's meta to Vitest's JSON
// report, where scripts/test_summary.mjs lists it (a skip without a reason fails the summary).
//
//   it('p95 lateness', (ctx) => { if (!regular) skipWithReason(ctx, 'frames arrived late'); ... });
import type { TestContext } from 'vitest';

export function skipWithReason(ctx: TestContext, reason: string): never {
  (ctx.task.meta as { skipReason?: string }).skipReason = reason;
  ctx.skip(reason);
  throw new Error('unreachable: ctx.skip() returned');
}
