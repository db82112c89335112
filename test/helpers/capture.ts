// Capturing in tests goes the one way in, like every channel: append to the inbox, then wait for
// the capture worker. `captureOf(ctx)` returns one message's result; `captureAllOf` a batch's.
import type { ContentAnalysis } from '../../src/analytics/analyze-message.js';
import { analyzeContent } from '../../src/analytics/analyze-message.js';
import { channelsOf, createChannels, setChannels, type ChannelOverrides } from '../../src/channels/index.js';
import type { AnalysisJob, AnalysisPool } from '../../src/channels/threads/analysis-pool.js';
import type { AppContext } from '../../src/context.js';
import type { CaptureResult, InboundMessage } from '../../src/core/inbound-message.js';

/** The context's channels, rebuilt with these overrides first when given. */
export function channelsFor(ctx: AppContext, overrides?: ChannelOverrides) {
  return overrides ? setChannels(ctx, createChannels(ctx, overrides)) : channelsOf(ctx);
}

export function captureOf(ctx: AppContext, overrides?: ChannelOverrides): (m: InboundMessage) => Promise<CaptureResult> {
  const channels = channelsFor(ctx, overrides);
  return async (m) => (await channels.captureNow([m]))[0]!;
}

export function captureAllOf(ctx: AppContext, overrides?: ChannelOverrides): (ms: InboundMessage[]) => Promise<CaptureResult[]> {
  const channels = channelsFor(ctx, overrides);
  return (ms) => channels.captureNow(ms);
}

/**
 * Analysis decided by the test (kind, sentiment…) on top of the real content analysis: for tests
 * of what happens downstream of a given kind or sentiment.
 */
export function analysisAs(decide: (job: AnalysisJob) => Partial<ContentAnalysis>): AnalysisPool {
  return {
    analyze: async (jobs) => jobs.map((j) => ({ ...analyzeContent(j.subject, j.text), ...decide(j) })),
    close: async () => {},
  };
}
