// Webhook sources: those added with the CLI live in webhook_sources; those in configuration
// (RAPPORT_WEBHOOK_SOURCES) are read-only here and win on a name clash. The secret is shown once
// (at add and at rotate); listings show a short prefix only. The server needs the secret itself to
// compute HMACs, so it cannot be hashed like an API token: it is sealed with the secret box
// (RAPPORT_SECRET_KEY, src/secret-key.ts); each sealed value is opened once per process.
import { asc, eq, sql } from 'drizzle-orm';
import { RapportError, notFound } from '../core/errors.js';
import { SecretBoxError, isSealed, type SecretBox } from '../core/secret-box.js';
import type { DbOrTx } from './database.js';
import type { WebhookSourceGuard } from './inbox-repo.js';
import { webhookSources } from './schema/index.js';
import { rowsOf } from './rows.js';

export interface ResolvedWebhookSource {
  name: string;
  preset: string;
  /** The secrets accepted now: current first, then the previous one while its grace period lasts. */
  secrets: string[];
}

export interface WebhookSourceView {
  name: string;
  preset: string;
  origin: 'database' | 'config';
  /** The first characters of the current secret, to tell secrets apart (null for a secret stored sealed before prefixes were kept). */
  secretPrefix: string | null;
  createdAt: string | null;
  rotatedAt: string | null;
  /** Until when the previous secret is still accepted (after a rotation), else null. */
  previousSecretExpiresAt: string | null;
}

export interface WebhookSourceWithSecret extends WebhookSourceView {
  /** Shown once; it cannot be read back with `webhook list`. */
  secret: string;
}

/** What the functions below need besides the database: configured sources and the secret box. */
export interface WebhookSourceScope {
  configured: readonly ResolvedWebhookSource[];
  box: SecretBox;
}

const SHOWN = 'whsec_'.length + 6;


type Row = typeof webhookSources.$inferSelect;

function boxed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SecretBoxError)) throw e;
    // Kept a SecretBoxError, so its code (secret_key_missing, …) reaches the CLI's exit code.
    throw new SecretBoxError(e.code, `webhook secrets are sealed with RAPPORT_SECRET_KEY: ${e.message}`);
  }
}

const seal = (box: SecretBox, secret: string) => boxed(() => box.seal(secret));

/**
 * Opened secrets by their sealed value, per box: the row is still read for every delivery (a
 * rotation or removal takes effect at once), but the same sealed value is opened once (an HKDF
 * and an AES-GCM pass each time cost more than the HMAC they serve). Bounded: cleared when full.
 */
const opened = new WeakMap<SecretBox, Map<string, string>>();
const maxOpened = 1_000;

/** Rows written without a key (or before sealing existed) are read as they are. */
const open = (box: SecretBox, stored: string): string => {
  if (!isSealed(stored)) return stored;
  let cache = opened.get(box);
  if (!cache) opened.set(box, (cache = new Map()));
  let plain = cache.get(stored);
  if (plain === undefined) {
    plain = boxed(() => box.open(stored));
    if (cache.size >= maxOpened) cache.clear();
    cache.set(stored, plain);
  }
  return plain;
};

const prefixOf = (secret: string) => secret.slice(0, SHOWN);

/** A listing reads the stored prefix: no key is needed to list, and no secret is opened. */
const view = (r: Row, now: Date): WebhookSourceView => ({
  name: r.name,
  preset: r.preset,
  origin: 'database',
  secretPrefix: r.secretPrefix ? `${r.secretPrefix}…` : null,
  createdAt: r.createdAt.toISOString(),
  rotatedAt: r.rotatedAt?.toISOString() ?? null,
  previousSecretExpiresAt: r.previousSecret && r.previousSecretExpiresAt && r.previousSecretExpiresAt > now ? r.previousSecretExpiresAt.toISOString() : null,
});

function configView(s: ResolvedWebhookSource): WebhookSourceView {
  return { name: s.name, preset: s.preset, origin: 'config', secretPrefix: `${prefixOf(s.secrets[0]!)}…`, createdAt: null, rotatedAt: null, previousSecretExpiresAt: null };
}

function refuseConfigured({ configured }: WebhookSourceScope, name: string, verb: string): void {
  if (configured.some((s) => s.name === name)) {
    throw new RapportError('conflict', `webhook source ${name} is defined in RAPPORT_WEBHOOK_SOURCES; ${verb} it there`, { name });
  }
}

export async function findWebhookSource(db: DbOrTx, scope: WebhookSourceScope, name: string, now = new Date()): Promise<ResolvedWebhookSource | null> {
  const found = await readWebhookSource(db, scope, name);
  return found && { name: found.name, preset: found.preset, secrets: secretsAt(found, now) };
}

/** A source as read, to check deliveries against for as long as its row stays the same. */
export interface HeldWebhookSource {
  name: string;
  preset: string;
  /** The secrets accepted without a time limit, opened: the current one (a configured source may list several). */
  current: string[];
  /** The previous secret (opened) and until when it is accepted, after a rotation with a grace period. */
  previous: { secret: string; expiresAt: Date } | null;
  /** What the row holds now (sealed), for appendToInbox's guard; null for a configured source (it cannot change). */
  guard: WebhookSourceGuard | null;
}

/** The source of this name (configuration first), or null. */
export async function readWebhookSource(db: DbOrTx, scope: WebhookSourceScope, name: string): Promise<HeldWebhookSource | null> {
  const fromConfig = scope.configured.find((s) => s.name === name);
  if (fromConfig) return { name, preset: fromConfig.preset, current: fromConfig.secrets, previous: null, guard: null };
  const rows = rowsOf<{ name: string; preset: string; secret: string; previous_secret: string | null; previous_secret_expires_at: Date | string | null }>(
    await db.execute(sql`select name, preset, secret, previous_secret, previous_secret_expires_at from ${webhookSources} where name = ${name} limit 1`),
  );
  const row = rows[0];
  if (!row) return null;
  const expiresAt = row.previous_secret_expires_at === null ? null : new Date(row.previous_secret_expires_at);
  return {
    name: row.name,
    preset: row.preset,
    current: [open(scope.box, row.secret)],
    previous: row.previous_secret && expiresAt ? { secret: open(scope.box, row.previous_secret), expiresAt } : null,
    guard: { source: row.name, secret: row.secret, previousSecret: row.previous_secret },
  };
}

/** The secrets a held source accepts at `now`: the current one, and the previous one until it expires. */
export function secretsAt(source: HeldWebhookSource, now = new Date()): string[] {
  return source.previous && source.previous.expiresAt > now ? [...source.current, source.previous.secret] : source.current;
}

export async function listWebhookSources(db: DbOrTx, scope: WebhookSourceScope, now = new Date()): Promise<WebhookSourceView[]> {
  const rows = await db.select().from(webhookSources).orderBy(asc(webhookSources.name));
  const names = new Set(scope.configured.map((s) => s.name));
  return [...scope.configured.map(configView), ...rows.filter((r) => !names.has(r.name)).map((r) => view(r, now))].sort((a, b) => a.name.localeCompare(b.name));
}

export async function createWebhookSource(
  db: DbOrTx,
  scope: WebhookSourceScope,
  input: { name: string; preset: string; secret: string },
): Promise<WebhookSourceWithSecret> {
  refuseConfigured(scope, input.name, 'change');
  const [row] = await db
    .insert(webhookSources)
    .values({ name: input.name, preset: input.preset, secret: seal(scope.box, input.secret), secretPrefix: prefixOf(input.secret) })
    .onConflictDoNothing({ target: webhookSources.name })
    .returning();
  if (!row) throw new RapportError('conflict', `webhook source ${input.name} exists already (rotate its secret with \`rapport webhook rotate ${input.name}\`)`, { name: input.name });
  return { ...view(row, new Date()), secret: input.secret };
}

export async function removeWebhookSource(db: DbOrTx, scope: WebhookSourceScope, name: string): Promise<void> {
  refuseConfigured(scope, name, 'remove');
  const deleted = await db.delete(webhookSources).where(eq(webhookSources.name, name)).returning({ id: webhookSources.id });
  if (!deleted.length) throw notFound('webhook source', name);
}

/** A new current secret; the old one keeps working for `graceSeconds` (0: it stops at once). */
export async function rotateWebhookSecret(
  db: DbOrTx,
  scope: WebhookSourceScope,
  input: { name: string; secret: string; graceSeconds: number },
  now = new Date(),
): Promise<WebhookSourceWithSecret> {
  refuseConfigured(scope, input.name, 'rotate');
  const [current] = await db.select().from(webhookSources).where(eq(webhookSources.name, input.name)).limit(1);
  if (!current) throw notFound('webhook source', input.name);
  const grace = input.graceSeconds > 0;
  const [row] = await db
    .update(webhookSources)
    .set({
      secret: seal(scope.box, input.secret),
      secretPrefix: prefixOf(input.secret),
      previousSecret: grace ? current.secret : null,
      previousSecretExpiresAt: grace ? new Date(now.getTime() + input.graceSeconds * 1000) : null,
      rotatedAt: now,
    })
    .where(eq(webhookSources.id, current.id))
    .returning();
  return { ...view(row!, now), secret: input.secret };
}
