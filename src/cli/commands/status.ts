// `rapport status`: one place that says whether everything is working — the database and its
// migrations, mailboxes, webhook sources, Slack, jobs and the capture inbox.
// Exit 1 when something needs attention, 0 when all is well; --json for monitoring.
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { configuredMailboxes } from '../../channels/email.js';
import type { AppContext } from '../../context.js';
import { allJobs } from '../../jobs/index.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { listFolderStates } from '../../store/mailboxes-repo.js';
import { migrationState, type MigrationState } from '../../store/migration-state.js';
import { lastWebhookDeliveries } from '../../store/webhook-deliveries.js';
import { listWebhookSources } from '../../store/webhook-sources-repo.js';
import { secretBoxFor } from '../../secret-key.js';
import { inboxStats } from '../../store/inbox-repo.js';
import { formatTable } from '../format-table.js';
import { action } from '../runner.js';

/** Capture is behind when a message has waited longer than this. */
const INBOX_BEHIND_MS = 5 * 60_000;

/** Slack's auth.test must answer within this, or Slack counts as unreachable. */
const SLACK_TIMEOUT_MS = 3000;

interface Status {
  ok: boolean;
  attention: string[];
  /** `reads`: where lookups, search, lists and digests read now (a replica only with DATABASE_READ_URL). */
  database: { kind: string; location: string; migrations: MigrationState; reads: 'replica' | 'primary' };
  mailboxes: { name: string; user: string; lastSyncAt: string | null; errors: string[] }[];
  webhooks: { name: string; preset: string; origin: string; lastDeliveryAt: string | null }[];
  slack: { configured: boolean; mode?: string; connected?: boolean; team?: string | null; teamId?: string | null; error?: string | null };
  /** REDIS_URL: whether it answers (state several instances share lives there). */
  redis: { configured: boolean; connected?: boolean; prefix?: string };
  jobs: { name: string; state: string; nextRunAt: string | null; failCount: number; failReason: string | null }[];
  inbox: { depth: number; failed: number; oldestAt: string | null };
}

async function slackStatus(ctx: AppContext): Promise<Status['slack']> {
  const token = ctx.config.SLACK_BOT_TOKEN;
  if (!token) return { configured: false };
  const mode = ctx.config.SLACK_SOCKET_MODE ? 'socket' : 'http';
  const base = ctx.config.SLACK_API_URL ?? 'https://slack.com/api/';
  try {
    const res = await fetch(new URL('auth.test', base.endsWith('/') ? base : `${base}/`), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
    });
    const body = (await res.json()) as { ok?: boolean; error?: string; team?: string; team_id?: string };
    if (!body.ok) return { configured: true, mode, connected: false, error: body.error ?? `HTTP ${res.status}` };
    const allowed = ctx.config.SLACK_ALLOWED_TEAM_IDS;
    const teamAllowed = allowed.length === 0 || (body.team_id !== undefined && allowed.includes(body.team_id));
    return { configured: true, mode, connected: true, team: body.team ?? null, teamId: body.team_id ?? null, error: teamAllowed ? null : 'workspace not in SLACK_ALLOWED_TEAM_IDS' };
  } catch (e) {
    const err = e as Error;
    return { configured: true, mode, connected: false, error: err.name === 'TimeoutError' ? `no answer within ${SLACK_TIMEOUT_MS / 1000} s` : err.message };
  }
}

async function collect(ctx: AppContext): Promise<Status> {
  const db = ctx.database.db;
  const attention: string[] = [];

  const migrations = await migrationState(db);
  if (migrations.pending.length > 0) attention.push(`${migrations.pending.length} migration(s) pending: run rapport migrate`);
  if (ctx.config.DATABASE_READ_URL) {
    // One read decides where reads go: the replica, or the primary when it lags or is away.
    await ctx.database.readDb.execute(sql`select 1`);
    if (ctx.database.readsFrom() === 'primary') {
      attention.push(`the read replica (DATABASE_READ_URL) lags beyond RAPPORT_READ_MAX_LAG_MS (${ctx.config.RAPPORT_READ_MAX_LAG_MS} ms) or cannot be reached: reads go to the primary`);
    }
  }

  const mailboxRows = (await configuredMailboxes(ctx)).map((m) => m.row);
  const folders = await listFolderStates(db, mailboxRows.map((m) => m.id));
  const mailboxes = mailboxRows.map((m) => {
    const mine = folders.filter((f) => f.mailboxId === m.id);
    const synced = mine.map((f) => f.lastSyncAt?.getTime() ?? 0).filter((t) => t > 0);
    const errors = mine.filter((f) => f.lastErrorCode).map((f) => `${f.path}: ${f.lastErrorCode}`);
    if (errors.length > 0) attention.push(`mailbox ${m.name}: ${errors.join(', ')}`);
    return { name: m.name, user: m.user, lastSyncAt: synced.length ? new Date(Math.max(...synced)).toISOString() : null, errors };
  });

  const deliveries = await lastWebhookDeliveries(db);
  // Listing needs no secret key: no sealed secret is opened.
  const sources = await listWebhookSources(db, { configured: ctx.config.RAPPORT_WEBHOOK_SOURCES, box: secretBoxFor(ctx.config, ctx.database) });
  const webhooks = sources.map((s) => ({ name: s.name, preset: s.preset, origin: s.origin, lastDeliveryAt: deliveries.get(s.name) ?? null }));

  const slack = await slackStatus(ctx);
  if (slack.configured && (!slack.connected || slack.error)) attention.push(`Slack: ${slack.error ?? 'not connected'}`);

  const link = ctx.shared.redis;
  const redis: Status['redis'] = link ? { configured: true, connected: await link.whenReady(2_000), prefix: link.prefix } : { configured: false };
  if (redis.configured && !redis.connected) attention.push('Redis (REDIS_URL) cannot be reached: Slack pacing, caches and rate limits are per instance until it is back');

  const scheduler = await startScheduler(ctx, allJobs(ctx), { process: false });
  let jobs: Status['jobs'];
  try {
    jobs = (await scheduler.list()).map((j) => ({ name: j.name, state: j.state, nextRunAt: j.nextRunAt, failCount: j.failCount, failReason: j.failReason }));
  } finally {
    await scheduler.stop();
  }
  for (const j of jobs) if (j.state === 'failed') attention.push(`job ${j.name} failed ${j.failCount}×: ${j.failReason ?? 'no reason recorded'}`);

  // The capture inbox: what channels accepted and capture has not taken yet, and parked failures.
  const stats = await inboxStats(ctx.database.db);
  const inbox = { depth: stats.pending, failed: stats.failed, oldestAt: stats.oldestPendingAt?.toISOString() ?? null };
  if (stats.failed > 0) attention.push(`${stats.failed} message(s) could not be captured: see \`rapport inbox list --failed\`, then \`rapport inbox retry --all\``);
  if (stats.oldestPendingAt && Date.now() - stats.oldestPendingAt.getTime() > INBOX_BEHIND_MS) {
    attention.push(`capture is behind: ${stats.pending} message(s) waiting, the oldest since ${inbox.oldestAt} (is \`rapport serve\` running?)`);
  }
  return {
    ok: attention.length === 0,
    attention,
    database: { kind: ctx.database.kind, location: ctx.database.location, migrations, reads: ctx.database.readsFrom() },
    mailboxes,
    webhooks,
    slack,
    redis,
    jobs,
    inbox,
  };
}

function render(s: Status): string {
  const m = s.database.migrations;
  const lines = [
    `database   ${s.database.kind} at ${s.database.location}; migrations ${m.pending.length ? `${m.pending.length} pending (${m.pending.join(', ')})` : `current (${m.applied} applied)`}${s.database.reads === 'replica' ? '; reads on the replica' : ''}`,
    `slack      ${!s.slack.configured ? 'not configured' : s.slack.connected ? `connected to ${s.slack.team} (${s.slack.teamId}), ${s.slack.mode} mode${s.slack.error ? ` — ${s.slack.error}` : ''}` : `NOT connected: ${s.slack.error}`}`,
    `redis      ${!s.redis.configured ? 'not configured (pacing, caches and rate limits per instance)' : s.redis.connected ? `connected, keys under ${s.redis.prefix}` : 'NOT reachable'}`,
    `inbox      ${s.inbox.depth} waiting${s.inbox.oldestAt ? `, oldest since ${s.inbox.oldestAt}` : ''}${s.inbox.failed ? `, ${s.inbox.failed} failed` : ''}`,
    '',
    s.mailboxes.length
      ? formatTable(['MAILBOX', 'USER', 'LAST SYNC', 'ERRORS'], s.mailboxes.map((x) => [x.name, x.user, x.lastSyncAt ?? 'never', x.errors.join(', ') || '-']))
      : 'mailboxes: none',
    '',
    s.webhooks.length
      ? formatTable(['WEBHOOK', 'PRESET', 'ORIGIN', 'LAST DELIVERY'], s.webhooks.map((w) => [w.name, w.preset, w.origin, w.lastDeliveryAt ?? 'never']))
      : 'webhook sources: none',
    '',
    s.jobs.length
      ? formatTable(['JOB', 'STATE', 'NEXT RUN', 'FAILURES', 'LAST FAILURE'], s.jobs.map((j) => [j.name, j.state, j.nextRunAt ?? '-', String(j.failCount), j.failReason ?? '-']), { maxWidth: { 4: 60 } })
      : 'jobs: none scheduled yet (rapport serve schedules them)',
    '',
    s.ok ? 'all is well' : `needs attention:\n${s.attention.map((a) => `  - ${a}`).join('\n')}`,
  ];
  return lines.join('\n');
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('is everything working? database and migrations, mailboxes, webhooks, Slack, jobs; exit 1 when something needs attention')
    .action(
      action(async (ctx, io) => {
        const status = await collect(ctx);
        io.print(status, render);
        return status.ok ? 0 : 1;
      }),
    );
}
