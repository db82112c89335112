// While the process is busy accepting (RAPPORT_CAPTURE_YIELD_ABOVE accepts a second), the running
// capture worker waits before each batch — at most RAPPORT_CAPTURE_YIELD_MAX_MS — so a burst is
// answered first; the inbox holds it meanwhile. Explicit drains and settles never wait for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox } from '../../src/channels/inbox.js';
import type { AppContext } from '../../src/context.js';
import type { CaptureResult } from '../../src/core/inbound-message.js';
import { captureContext, email } from '../capture/helpers.js';
import { channelsFor } from '../helpers/capture.js';
import { until } from '../helpers/until.js';

let ctx: AppContext;
beforeAll(async () => {
  ({ ctx } = await captureContext());
});
afterAll(async () => {
  await ctx?.close();
});

describe('the capture worker while the process is busy accepting', () => {
  it('leaves accepted messages in the inbox while busy, and captures them once it is not', async () => {
    let busy = true;
    const captured: CaptureResult[] = [];
    const channels = channelsFor(ctx, { busy: () => busy, yieldMaxMs: 60_000, lingerMs: 0, pollMs: 100, afterCommit: async (r) => void captured.push(...r) });
    channels.worker.start();
    try {
      const [a] = await channels.inbox.appendAll([email('yield-busy@shop.example')]);
      expect(a!.status).toBe('accepted');
      await new Promise((r) => setTimeout(r, 1_000));
      expect(captured).toHaveLength(0);
      busy = false;
      await until('the message captured', () => captured.length === 1);
    } finally {
      await channels.worker.stop();
    }
  });

  it('waits no longer than the yield limit under a burst that does not end', async () => {
    const captured: CaptureResult[] = [];
    const channels = channelsFor(ctx, { busy: () => true, yieldMaxMs: 300, lingerMs: 0, pollMs: 100, afterCommit: async (r) => void captured.push(...r) });
    channels.worker.start();
    try {
      await channels.inbox.appendAll([email('yield-limit@shop.example')]);
      await until('the message captured', () => captured.length === 1, 10_000);
    } finally {
      await channels.worker.stop();
    }
  });

  it('never makes a caller that waits for the capture wait', async () => {
    const channels = channelsFor(ctx, { busy: () => true, yieldMaxMs: 60_000 });
    channels.worker.start();
    try {
      const t0 = performance.now();
      const [r] = await channels.captureNow([email('yield-settle@shop.example')]);
      expect(r!.status).toBe('created');
      expect(performance.now() - t0).toBeLessThan(30_000);
    } finally {
      await channels.worker.stop();
    }
  });

  it('counts new messages accepted a second, not redeliveries', async () => {
    const inbox = createInbox(ctx.database.db, { concurrency: 1, onAppended: () => {} });
    expect(inbox.acceptsPerSecond()).toBe(0);
    const messages = Array.from({ length: 20 }, (_, i) => email(`yield-rate${i}@shop.example`));
    await Promise.all(messages.map((m) => inbox.accept(m)));
    const rate = inbox.acceptsPerSecond();
    expect(rate).toBeGreaterThanOrEqual(20);
    const again = await Promise.all(messages.map((m) => inbox.accept(m)));
    expect(again.every((r) => r.status === 'duplicate')).toBe(true);
    expect(inbox.acceptsPerSecond()).toBeLessThanOrEqual(rate);
  });
});
