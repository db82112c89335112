// The nightly analytics job: recount document frequencies exactly, retrain word vectors, recompute
// segments, retrain the value model when it is derived from revenue (a model trained on a team's
// labels is kept until they train again), and retrain the kind classifier on the corpus plus
// people's corrections (promoted only when at least as good on the holdout). A step with too little data is skipped, not failed;
// the whole run is skipped when segments are less than 20 hours old (a restart, not a new night).
import { rebuildDocumentFrequencies } from '../analytics-runner/customer-analytics.js';
import { retrainKindModel } from '../analytics-runner/kind-classifier.js';
import { runSegments } from '../analytics-runner/segments-run.js';
import { trainVectors } from '../analytics-runner/similar.js';
import { trainValue } from '../analytics-runner/value-train.js';
import type { AppContext } from '../context.js';
import { isRapportError } from '../core/errors.js';
import { latestSegmentRun, latestValueModel } from '../store/analytics-repo.js';
import type { JobSpec } from './scheduler.js';

export function analyticsJob(): JobSpec {
  return {
    name: 'analytics-nightly',
    description: 'recount keyword document frequencies, retrain word vectors, recompute segments, the revenue-derived value model and the kind classifier',
    every: '30 2 * * *',
    retries: 1,
    retryDelayMs: 60_000,
    run: async (ctx) => {
      // The scheduler also runs a recurring job when it starts: do not redo a fresh night's work.
      const last = await latestSegmentRun(ctx.database.db);
      if (last && Date.now() - last.createdAt.getTime() < 20 * 3_600_000) {
        ctx.log.info('analytics: nightly run skipped, segments are less than 20 hours old');
        return;
      }
      await step(ctx, 'keywords', async () => {
        await rebuildDocumentFrequencies(ctx);
        // Cards show each customer's top keywords.
        await ctx.shared.cards.forgetAll();
      });
      await step(ctx, 'vectors', () => trainVectors(ctx));
      await step(ctx, 'segments', () => runSegments(ctx));
      const latest = await latestValueModel(ctx.database.db);
      if (!latest || latest.model.labelSource === 'revenue_percentiles') {
        await step(ctx, 'value', async () => {
          const r = await trainValue(ctx);
          // Too few customers per tier, or no better than guessing: the live model stays.
          if (!r.promoted) ctx.log.info({ step: 'value', reason: r.refusal?.reason }, 'analytics: value model not promoted');
        });
      }
      await step(ctx, 'kinds', async () => {
        const r = await retrainKindModel(ctx);
        ctx.log.info({ status: r.status, version: r.version, live: r.liveVersion, corrections: r.corrections, reason: r.reason }, 'analytics: kind model retrained');
      });
    },
  };
}

async function step(ctx: AppContext, name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
    ctx.log.info({ step: name }, 'analytics: nightly step done');
  } catch (e) {
    if (isRapportError(e, 'validation')) {
      ctx.log.info({ step: name, err: e }, 'analytics: nightly step skipped');
      return;
    }
    throw e;
  }
}
