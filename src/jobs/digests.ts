// Daily digests: build one for a subscription, and send every digest that is due. A tick runs
// every minute; each subscription's latest due slot is claimed in the database before sending, so
// two instances never send the same digest and a digest missed while the service was down goes
// out once when it comes back, marked late.
import type { Mailer } from '../channels/smtp.js';
import type { AppContext } from '../context.js';
import { digestSummary, type DigestChange, type DigestData } from '../digest/digest.js';
import { digestTitle } from '../digest/labels.js';
import { renderDigestEmail } from '../digest/render-email.js';
import { renderDigestSlack, type SlackDigestMessage } from '../digest/render-slack.js';
import { lastDueSlot, localDay } from '../digest/schedule.js';
import type { DbOrTx } from '../store/database.js';
import { customersInTier, segmentMembers } from '../store/analytics-repo.js';
import { keywordTrends, negativeFrom, newByChannel, newFeedback, segmentChanges, tierChanges, topRevenueCustomers, waitingForReply, type DigestScope } from '../store/digest-queries.js';
import { claimDelivery, finishDelivery, listSubscriptions, reclaimFailed, type DigestSubscription } from '../store/digest-repo.js';
import type { JobSpec } from './scheduler.js';

/** What analytics adds to a digest; the defaults work without any trained model. */
export interface DigestAnalytics {
  /** Customers counted as high value (default: top 20 % by revenue). */
  highValueCustomerIds(db: DbOrTx): Promise<string[]>;
  /** Members of a segment by label, or null when segments have not been computed. */
  segmentMembers(db: DbOrTx, segment: string): Promise<string[] | null>;
  /** Segment and value-tier changes in the window. */
  changes(db: DbOrTx, from: Date, to: Date): Promise<DigestChange[]>;
}

/** High-value customers: the latest value model's `high` tier when one was trained, else the top 20 % by revenue. */
export async function highValueCustomers(db: DbOrTx): Promise<string[]> {
  return (await customersInTier(db, 'high')) ?? topRevenueCustomers(db);
}

/** Digest analytics from the stored segment runs and value models (src/analytics-service). */
export const defaultDigestAnalytics: DigestAnalytics = {
  highValueCustomerIds: highValueCustomers,
  segmentMembers,
  changes: async (db, from, to) => [...(await segmentChanges(db, from, to)), ...(await tierChanges(db, from, to))],
};

export interface DigestSenders {
  slack?: ((channel: string, message: SlackDigestMessage) => Promise<void>) | undefined;
  mail?: Mailer | undefined;
}

export interface DigestOptions {
  waitingHours: number;
  negativeThreshold: number;
  analytics: DigestAnalytics;
}

export interface DigestRequest {
  /** The digest covers the 24 hours before this instant. */
  slot: Date;
  timeZone: string;
  owner: string | null;
  segment: string | null;
  late: boolean;
}

export async function buildDigest(db: DbOrTx, req: DigestRequest, opts: DigestOptions): Promise<DigestData> {
  const from = new Date(req.slot.getTime() - 24 * 3_600_000);
  const members = req.segment ? ((await opts.analytics.segmentMembers(db, req.segment)) ?? []) : null;
  const scope: DigestScope = { from, to: req.slot, owner: req.owner, customerIds: members };
  const highValue = await opts.analytics.highValueCustomerIds(db);
  const [byChannel, feedback, negative, waiting, keywords, changes] = [
    await newByChannel(db, scope),
    await newFeedback(db, scope),
    await negativeFrom(db, scope, highValue, opts.negativeThreshold),
    await waitingForReply(db, scope, opts.waitingHours),
    await keywordTrends(db, scope),
    await opts.analytics.changes(db, from, req.slot),
  ];
  const inScope = (id: string) => !members || members.includes(id);
  const day = localDay(new Date(req.slot.getTime() - 1), req.timeZone);
  return {
    title: digestTitle(day, { owner: req.owner, segment: req.segment }),
    day,
    timeZone: req.timeZone,
    window: { from: from.toISOString(), to: req.slot.toISOString() },
    late: req.late,
    filters: { owner: req.owner, segment: req.segment },
    newByChannel: byChannel,
    newFeedback: feedback,
    negativeHighValue: negative,
    waiting,
    waitingHours: opts.waitingHours,
    topKeywords: keywords.top,
    risingKeywords: keywords.rising,
    changes: changes.filter((c) => inScope(c.customer.id)),
  };
}

/** Sent later than this after its slot, a digest is marked late. */
export const LATE_AFTER_MS = 15 * 60_000;
const RETRY_FAILED_AFTER_MS = 5 * 60_000;

export interface DueResult {
  sent: { subscriptionId: string; slot: string; late: boolean }[];
  failed: { subscriptionId: string; error: string }[];
}

async function deliver(sub: DigestSubscription, digest: DigestData, senders: DigestSenders): Promise<void> {
  if (sub.targetKind === 'slack') {
    if (!senders.slack) throw new Error('Slack is not configured (SLACK_BOT_TOKEN)');
    for (const message of renderDigestSlack(digest)) await senders.slack(sub.target, message);
  } else {
    if (!senders.mail) throw new Error('SMTP is not configured (RAPPORT_SMTP_URL)');
    const email = renderDigestEmail(digest);
    await senders.mail.send({ to: [sub.target], subject: email.subject, html: email.html, text: email.text, kind: 'digest' });
  }
}

export async function runDueDigests(ctx: AppContext, senders: DigestSenders, opts: DigestOptions, now = new Date()): Promise<DueResult> {
  const db = ctx.database.db;
  const result: DueResult = { sent: [], failed: [] };
  for (const sub of await listSubscriptions(db, { activeOnly: true })) {
    const slot = lastDueSlot(now, sub.at, sub.timeZone);
    if (slot.getTime() < sub.createdAt.getTime()) continue; // subscribed after today's time: starts tomorrow
    const late = now.getTime() - slot.getTime() > LATE_AFTER_MS;
    const deliveryId = (await claimDelivery(db, sub.id, slot, late)) ?? (await reclaimFailed(db, sub.id, slot, RETRY_FAILED_AFTER_MS));
    if (!deliveryId) continue;
    try {
      // The day's figures may be a moment behind: they read the replica when there is one.
      const digest = await buildDigest(ctx.database.readDb, { slot, timeZone: sub.timeZone, owner: sub.owner, segment: sub.segment, late }, opts);
      await deliver(sub, digest, senders);
      await finishDelivery(db, deliveryId, { status: 'sent', summary: digestSummary(digest) });
      result.sent.push({ subscriptionId: sub.id, slot: slot.toISOString(), late });
    } catch (e) {
      const error = (e as Error).message;
      await finishDelivery(db, deliveryId, { status: 'failed', error });
      result.failed.push({ subscriptionId: sub.id, error });
      ctx.log.warn({ subscription: sub.id, code: (e as { code?: string }).code, err: { message: error } }, 'digest delivery failed');
    }
  }
  return result;
}

export function digestJob(senders: () => DigestSenders, opts: () => DigestOptions): JobSpec {
  return {
    name: 'digests',
    description: 'send every daily digest that is due (runs each minute; catches up once after downtime)',
    every: '1 minute',
    retries: 0,
    run: async (ctx) => {
      const r = await runDueDigests(ctx, senders(), opts());
      if (r.failed.length) throw new Error(`${r.failed.length} digest(s) failed: ${r.failed.map((f) => f.error).join('; ')}`);
    },
  };
}

export function digestOptions(ctx: AppContext): DigestOptions {
  return {
    waitingHours: ctx.config.RAPPORT_DIGEST_WAITING_HOURS,
    negativeThreshold: ctx.config.RAPPORT_NEGATIVE_THRESHOLD,
    analytics: defaultDigestAnalytics,
  };
}
