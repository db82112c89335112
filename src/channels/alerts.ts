// Real-time alerts: a complaint or issue from a high-value customer, or a strongly negative
// message from anyone, is posted to a Slack channel within seconds of capture — once per thread
// per day (a claim row in alerts_sent, so several instances never post twice).
import { eq } from 'drizzle-orm';
import { Blocks, Message } from 'slack-block-builder';
import { correctionMenu } from '../../adapters/slack/blocks.js';
import type { AppContext } from '../context.js';
import type { CaptureResult } from '../core/inbound-message.js';
import { snippetOf } from '../digest/digest.js';
import { localDay } from '../digest/schedule.js';
import { slackConfigOf } from './slack-config.js';
import type { DbOrTx } from '../store/database.js';
import { highValueCustomers } from '../jobs/digests.js';
import { alertsSent, communications, companies, customers } from '../store/schema/index.js';

export interface AlertRules {
  /** Kinds that alert when they come from a high-value customer. */
  kinds: string[];
  /** Sentiment at or below this alerts whoever sent it (−1…1). */
  strongNegative: number;
  /** The day boundary for "once per thread per day". */
  timeZone: string;
}

export const defaultAlertRules: AlertRules = { kinds: ['complaint', 'issue'], strongNegative: -0.7, timeZone: 'UTC' };

export interface AlertMessage {
  text: string;
  blocks: unknown[];
}

export interface AlertDeps {
  channel: string;
  post(channel: string, message: AlertMessage): Promise<void>;
  isHighValue(db: DbOrTx, customerId: string): Promise<boolean>;
  rules?: AlertRules;
}

export interface AlertOutcome {
  alerted: boolean;
  reason?: string;
}

interface Candidate {
  id: string;
  kind: string;
  sentiment: number | null;
  text: string;
  subject: string | null;
  channel: string;
  direction: string;
  threadId: string | null;
  customerId: string | null;
  customerName: string | null;
  companyName: string | null;
  occurredAt: Date;
}

export async function alertReason(db: DbOrTx, c: Candidate, deps: AlertDeps): Promise<string | null> {
  const rules = deps.rules ?? defaultAlertRules;
  if (c.direction !== 'inbound' || !c.customerId) return null;
  if (c.sentiment !== null && c.sentiment <= rules.strongNegative) return `strongly negative (${c.sentiment.toFixed(2)})`;
  if (rules.kinds.includes(c.kind) && (await deps.isHighValue(db, c.customerId))) return `${c.kind} from a high-value customer`;
  return null;
}

export function alertMessage(c: Candidate, reason: string): AlertMessage {
  const who = `${c.customerName ?? 'unknown'}${c.companyName ? ` · ${c.companyName}` : ''}`;
  const text = `:rotating_light: ${reason}: ${who}`;
  const blocks = Message()
    .blocks(
      Blocks.Section({ text: `:rotating_light: *${reason}* — ${who}` }),
      Blocks.Section({ text: `${c.subject ? `*${snippetOf(c.subject, 150)}*\n` : ''}${snippetOf(c.text, 500)}` }),
      Blocks.Context().elements(`${c.channel} · ${c.kind} · ${c.occurredAt.toISOString()}`),
      // Wrong kind or sentiment? Correcting it here teaches the classifier.
      Blocks.Actions().elements(correctionMenu(c.id)),
    )
    .buildToObject() as { blocks: unknown[] };
  return { text, blocks: blocks.blocks };
}

/** Checks one captured message and posts an alert when a rule fires and the thread has none today. */
export async function alertOnCapture(ctx: AppContext, result: CaptureResult, deps: AlertDeps): Promise<AlertOutcome> {
  if (result.status !== 'created' || result.noise || !result.customerId) return { alerted: false };
  const db = ctx.database.db;
  const [row] = await db
    .select({
      id: communications.id,
      kind: communications.kind,
      sentiment: communications.sentiment,
      text: communications.text,
      subject: communications.subject,
      channel: communications.channel,
      direction: communications.direction,
      threadId: communications.threadId,
      customerId: communications.customerId,
      customerName: customers.name,
      companyName: companies.name,
      occurredAt: communications.occurredAt,
    })
    .from(communications)
    .leftJoin(customers, eq(customers.id, communications.customerId))
    .leftJoin(companies, eq(companies.id, customers.companyId))
    .where(eq(communications.id, result.id));
  if (!row) return { alerted: false };
  const reason = await alertReason(db, row, deps);
  if (!reason) return { alerted: false };
  const day = localDay(new Date(), (deps.rules ?? defaultAlertRules).timeZone);
  const claimed = await db
    .insert(alertsSent)
    .values({ threadKey: row.threadId ?? row.id, day, communicationId: row.id, reason })
    .onConflictDoNothing()
    .returning({ id: alertsSent.id });
  if (claimed.length === 0) return { alerted: false, reason: 'already alerted for this thread today' };
  try {
    await deps.post(deps.channel, alertMessage(row, reason));
  } catch (e) {
    // Not posted: release the claim so the next message of the thread may alert.
    await db.delete(alertsSent).where(eq(alertsSent.id, claimed[0]!.id));
    throw e;
  }
  return { alerted: true, reason };
}

/** Posts a message to a Slack channel (the dispatcher passes Slack's, loaded on first use). */
export type AlertPost = AlertDeps['post'];

/**
 * The capture worker's after-commit hook: alerts for what was just stored, when an alert channel
 * (RAPPORT_ALERT_SLACK_CHANNEL) and Slack are configured; null otherwise.
 */
export function alertsAfterCommit(ctx: AppContext, post: AlertPost): ((results: CaptureResult[]) => Promise<void>) | null {
  const channel = ctx.config.RAPPORT_ALERT_SLACK_CHANNEL;
  if (!channel) return null;
  if (!slackConfigOf(ctx.config)) {
    ctx.log.warn('RAPPORT_ALERT_SLACK_CHANNEL is set but Slack is not configured: no alerts will be posted');
    return null;
  }
  const deps: AlertDeps = {
    channel,
    post,
    isHighValue: async (db, customerId) => (await highValueCustomers(db)).includes(customerId),
    rules: { kinds: ['complaint', 'issue'], strongNegative: ctx.config.RAPPORT_ALERT_STRONG_NEGATIVE, timeZone: ctx.config.RAPPORT_TIMEZONE },
  };
  return async (results) => {
    for (const r of results) {
      const outcome = await alertOnCapture(ctx, r, deps);
      if (outcome.alerted) ctx.log.info({ communication: r.id, reason: outcome.reason }, 'alert posted');
    }
  };
}
