// The environment is read once, against a schema, so a bad setting fails at start with its name.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { availableParallelism } from 'node:os';
import { webhookSourcesEnv } from './config-webhook-sources.js';
import { normalizeDomain } from './core/email-address.js';
import { isPhoneRegion } from './core/phone-number.js';

/**
 * Analysis threads by default: one per core but one, at least one, at most 4. The main thread
 * (the store, the database driver, HTTP) and the database need a core: on 2 cores one analysis
 * thread captures faster than two (`npm run bench -- capture`), and every thread holds its own
 * copy of the language models (~150 MB).
 */
const defaultAnalysisThreads = () => Math.max(1, Math.min(4, availableParallelism() - 1));
/**
 * Mail-parsing threads of the bulk paths (ingest, first syncs): they hold no models, so one per core
 * (at most 4), or as many as analysis threads when more are set; none when RAPPORT_ANALYSIS_THREADS=0.
 */
export const parseThreadsOf = (config: { RAPPORT_ANALYSIS_THREADS: number }): number =>
  config.RAPPORT_ANALYSIS_THREADS === 0 ? 0 : Math.max(config.RAPPORT_ANALYSIS_THREADS, Math.min(4, availableParallelism()));

const list = z
  .string()
  .optional()
  .transform((s) => (s ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean));

const urlWithScheme = (schemes: string[], example: string) =>
  z
    .string()
    .url(`a URL such as ${example}`)
    .refine((u) => URL.canParse(u) && schemes.includes(new URL(u).protocol.replace(/:$/, '')), `a ${schemes.join(':// or ')}:// URL such as ${example}`);

/** A file that holds JSON (read once at start, so a broken file is named before anything runs). */
const jsonFile = z
  .string()
  .optional()
  .superRefine((path, check) => {
    if (!path) return;
    try {
      JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      check.addIssue({ code: 'custom', message: `cannot read ${path} as JSON: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  });

// The first-sync window, as adapters/email-imap/since.ts reads it (config imports no adapter).
const sinceWindow = /^(all|\d+\s*[dwmy]|\d{4}-\d{2}-\d{2}.*)$/i;

export const configSchema = z.object({
  DATABASE_URL: urlWithScheme(['postgres', 'postgresql'], 'postgres://user:password@host:5432/rapport').optional(),
  /** A streaming replica of DATABASE_URL for reads that may be a moment old (lookups, search, lists, digests). */
  DATABASE_READ_URL: urlWithScheme(['postgres', 'postgresql'], 'postgres://user:password@replica:5432/rapport').optional(),
  /** Reads leave a replica further behind than this (ms) for the primary, until it catches up. */
  RAPPORT_READ_MAX_LAG_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
  RAPPORT_PG_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(64).default(0),
  RAPPORT_DATA_DIR: z.string().trim().min(1, 'a directory').default('./data'),
  HOST: z.string().trim().min(1, 'a host name or address').default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RAPPORT_DEFAULT_REGION: z
    .string()
    .refine(isPhoneRegion, 'a region code libphonenumber knows, upper-case, e.g. CN or US')
    .default('US'),
  RAPPORT_INTERNAL_DOMAINS: list.refine((ds) => ds.every((d) => normalizeDomain(d) === d), 'email domains such as acme.com, comma-separated'),
  RAPPORT_AUTO_CREATE: z.enum(['never', 'company_domain', 'always']).default('company_domain'),
  /** Who the CLI records as acting (review link, customers merge) when --by is not given. */
  RAPPORT_USER: z.string().trim().min(1).max(200).optional(),
  RAPPORT_SECRET_KEY: z.string().min(16, 'at least 16 characters').optional(),
  /** Run scheduled jobs (mail sync, analytics, digests) in this process. */
  RAPPORT_JOBS: z
    .enum(['on', 'off', 'true', 'false', '1', '0'])
    .default('on')
    .transform((v) => ['on', 'true', '1'].includes(v)),
  RAPPORT_BODY_LIMIT: z.coerce.number().int().positive().default(1024 * 1024),
  /** Nightly backups go here (unset: none); the newest RAPPORT_BACKUP_KEEP are kept. */
  RAPPORT_BACKUP_DIR: z.string().min(1).optional(),
  RAPPORT_BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  /** Requests a minute per API token, per webhook source, per Slack workspace (0: no limit). */
  RAPPORT_RATE_LIMIT_API: z.coerce.number().int().min(0).default(600),
  RAPPORT_RATE_LIMIT_WEBHOOK: z.coerce.number().int().min(0).default(6000),
  RAPPORT_RATE_LIMIT_SLACK: z.coerce.number().int().min(0).default(6000),
  // State several instances share (README "Scaling"): Slack pacing, caches, rate-limit counters.
  REDIS_URL: urlWithScheme(['redis', 'rediss'], 'redis://127.0.0.1:6379/0').optional(),
  /** Prepended to every Redis key, so deployments can share one Redis. */
  RAPPORT_REDIS_PREFIX: z.string().trim().min(1).max(100).regex(/^[\w:.-]+$/, 'letters, digits and : . _ -, e.g. rapport:').default('rapport:'),
  /** A Redis command slower than this counts as Redis being away (the caller goes on without it). */
  RAPPORT_REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(250),
  /** How long a customer card stays in Redis (it is dropped at once when the customer changes); 0: no card cache. */
  RAPPORT_CARD_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  // Mail out (digests): smtp://user:pass@host:port or smtps://…
  RAPPORT_SMTP_URL: urlWithScheme(['smtp', 'smtps'], 'smtp://user:pass@host:587').optional(),
  RAPPORT_MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'an address, or a name and an address: Rapport <rapport@acme.com>')
    .default('Rapport <rapport@localhost>'),
  /** Allow SMTP without TLS (a local relay); never for a relay across a network. */
  RAPPORT_SMTP_IGNORE_TLS: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  /** The zone for "today" in alerts and the default for digest subscriptions (IANA name). */
  RAPPORT_TIMEZONE: z
    .string()
    .default(Intl.DateTimeFormat().resolvedOptions().timeZone)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as Asia/Shanghai'),
  /** Slack channel for real-time alerts (id or #name); unset: no alerts. */
  RAPPORT_ALERT_SLACK_CHANNEL: z.string().regex(/^(#[^\s#]+|[A-Z][A-Z0-9_]+)$/, 'a channel id (C0123ABCD) or #name').optional(),
  /** Sentiment at or below this alerts whoever sent it (−1…1). */
  RAPPORT_ALERT_STRONG_NEGATIVE: z.coerce.number().min(-1).max(0).default(-0.7),
  /** Digests list customers waiting longer than this for our reply. */
  RAPPORT_DIGEST_WAITING_HOURS: z.coerce.number().positive().default(24),
  /** Sentiment at or below this (−1…1) counts as negative in digests and alerts. */
  RAPPORT_NEGATIVE_THRESHOLD: z.coerce.number().min(-1).max(0).default(-0.4),
  // One IMAP mailbox from the environment (more with `rapport mailbox add`); see README "Email".
  RAPPORT_IMAP_HOST: z.string().min(1).optional(),
  RAPPORT_IMAP_PORT: z.coerce.number().int().min(1).max(65535).default(993),
  RAPPORT_IMAP_TLS: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('true').transform((v) => ['true', '1', 'on'].includes(v)),
  RAPPORT_IMAP_USER: z.string().min(1).optional(),
  RAPPORT_IMAP_PASSWORD: z.string().optional(),
  RAPPORT_IMAP_ACCESS_TOKEN: z.string().optional(),
  RAPPORT_IMAP_NAME: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'letters, digits, . _ -').default('default'),
  RAPPORT_IMAP_FOLDERS: z.string().optional().transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean)),
  RAPPORT_IMAP_SINCE: z.string().regex(sinceWindow, '90d, 12w, 6m, 1y, a date (2026-01-31) or all').default('90d'),
  /** Email sync inside `rapport serve`: auto (when a mailbox is configured) | on | off. */
  RAPPORT_EMAIL_SYNC: z.enum(['auto', 'on', 'off']).default('auto'),
  RAPPORT_IMAP_POLL_SECONDS: z.coerce.number().int().min(5).default(300),
  RAPPORT_IMAP_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  RAPPORT_IMAP_MAX_MESSAGE_MB: z.coerce.number().positive().default(50),
  RAPPORT_WEBHOOK_SOURCES: webhookSourcesEnv,
  // Slack (README "Slack"): the routes exist only when SLACK_BOT_TOKEN is set.
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'the signing secret from the app’s Basic Information page').optional(),
  SLACK_ALLOWED_TEAM_IDS: z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').map((x) => x.trim().toUpperCase()).filter(Boolean))
    .refine((ids) => ids.every((id) => /^[TE][A-Z0-9]+$/.test(id)), 'workspace ids such as T0123ABCD, comma-separated'),
  SLACK_API_URL: urlWithScheme(['http', 'https'], 'https://slack.com/api/').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'an app-level token (xapp-…)').optional(),
  SLACK_SOCKET_MODE: z.enum(['true', 'false', '1', '0', 'on', 'off']).default('false').transform((v) => ['true', '1', 'on'].includes(v)),
  SLACK_COMMAND: z.string().regex(/^\/[a-z0-9_-]+$/, 'a slash command such as /crm').default('/crm'),
  /** Product and brand names analytics keeps whole (jieba user dictionary), comma-separated. */
  RAPPORT_ANALYTICS_USER_WORDS: z
    .string()
    .optional()
    .transform((s) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean)),
  /** 1: V8 favours small heaps over speed (default on the embedded database), 0: never (heap-tuning.ts; read at start by main.ts). */
  RAPPORT_SMALL_HEAPS: z.enum(['0', '1'], { message: 'RAPPORT_SMALL_HEAPS is 1 or 0' }).optional(),
  /** Worker threads that analyze captured messages (0: on the main thread). */
  RAPPORT_ANALYSIS_THREADS: z.coerce.number().int().min(0).max(64).default(defaultAnalysisThreads()),
  /** Time one message's analysis may take before it is stored without analysis (ms). */
  RAPPORT_ANALYSIS_BUDGET_MS: z.coerce.number().int().min(10).default(5_000),
  /** Messages the capture worker takes from the inbox per transaction. */
  RAPPORT_CAPTURE_BATCH: z.coerce.number().int().min(1).max(5_000).default(500),
  /** After a batch smaller than that, how long the capture worker lets more messages gather (ms). */
  RAPPORT_CAPTURE_LINGER_MS: z.coerce.number().int().min(0).max(5_000).default(50),
  /** While this process accepts more messages a second than this, the capture worker waits before a batch (0: never). */
  RAPPORT_CAPTURE_YIELD_ABOVE: z.coerce.number().int().min(0).default(600),
  /** …for at most this long per batch (ms). */
  RAPPORT_CAPTURE_YIELD_MAX_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** `off`: `rapport serve` accepts (webhooks, Slack, mail) and leaves capture to another instance. */
  RAPPORT_CAPTURE_WORKER: z.enum(['on', 'off']).default('on'),
  // Web console sign-in (README "Console").
  /** Failed sign-ins for one account before it is locked; a client address may fail four times as often. */
  RAPPORT_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long a locked account (or client) waits, in minutes; failures are counted over the same window. */
  RAPPORT_LOGIN_LOCK_MINUTES: z.coerce.number().positive().max(10_080).default(15),
  /** A console session ends this many hours after sign-in at the latest… */
  RAPPORT_SESSION_HOURS: z.coerce.number().positive().max(8760).default(168),
  /** …or after this many hours without a request. */
  RAPPORT_SESSION_IDLE_HOURS: z.coerce.number().positive().max(8760).default(12),
  /** Deprecated: a JSON file of cue rules; when set, kind and sentiment come from them, not the learned model. */
  RAPPORT_KIND_RULES: jsonFile,
  /** The currency analytics sums revenue in (ISO 4217); unset → the currency of most orders. */
  RAPPORT_REPORTING_CURRENCY: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'a three-letter currency code such as CNY or USD')
    .transform((v) => v.toUpperCase())
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    // One reason per variable: a value that is not a URL at all need not also be told its scheme.
    const byVariable = new Map<string, string>();
    for (const i of parsed.error.issues) if (!byVariable.has(i.path.join('.'))) byVariable.set(i.path.join('.'), i.message);
    const lines = [...byVariable].map(([name, message]) => `${name}: ${message}`);
    throw new ConfigError(`invalid configuration — ${lines.join('; ')}`);
  }
  if (parsed.data.DATABASE_READ_URL && !parsed.data.DATABASE_URL) {
    throw new ConfigError('invalid configuration — DATABASE_READ_URL: a read replica needs DATABASE_URL (its primary); the embedded database has no replicas, so unset DATABASE_READ_URL or set DATABASE_URL');
  }
  return parsed.data;
}
