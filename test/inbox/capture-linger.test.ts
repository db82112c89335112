// A steady stream becomes a few batches: after a batch smaller than RAPPORT_CAPTURE_BATCH the
// running worker lets more messages gather for RAPPORT_CAPTURE_LINGER_MS before it reads the next,
// while explicit drains never wait for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('the capture worker under a stream of single messages', () => {
  it('gathers what arrives while it lingers into one batch, and captures every message once', async () => {
    const batches: number[] = [];
    const channels = channelsFor(ctx, { lingerMs: 3_000, pollMs: 60_000, afterCommit: async (results: CaptureResult[]) => void batches.push(results.length) });
    channels.worker.start();
    try {
      const first = await channels.inbox.appendAll([email('stream0@shop.example')]);
      expect(first[0]!.status).toBe('accepted');
      await until('the first batch', () => batches.length === 1);
      // Twelve more, one append (and one wake) each, within the linger that follows the first batch.
      for (let i = 1; i <= 12; i++) await channels.inbox.appendAll([email(`stream${i}@shop.example`)]);
      await until('all thirteen captured', () => batches.reduce((a, b) => a + b, 0) === 13);
      expect(batches).toEqual([1, 12]);
    } finally {
      await channels.worker.stop();
    }
  });

  it('never makes an explicit drain wait', async () => {
    // The drain includes starting these channels' analysis thread (its models load in a second or
    // two, more on a busy machine), so the linger is far longer than that.
    const channels = channelsFor(ctx, { lingerMs: 20_000 });
    await channels.inbox.appendAll([email('drain@shop.example')]);
    const t0 = performance.now();
    expect(await channels.worker.drain()).toEqual({ messages: 1 });
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});
