// The one Redis connection of a process (REDIS_URL), for state every instance shares: Slack pacing,
// caches, rate-limit counters. Redis is a help, never a dependency: every use names what to do
// without it (`run(op, fallback)`), a command that takes longer than a moment counts as a failure,
// and while Redis is away commands are not queued — callers go on with the database or this
// process's own state. One warning when Redis goes away, one note when it is back.
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** ioredis, loaded when a process first connects to Redis (it is CommonJS, so synchronously): a
 * process without REDIS_URL — a one-shot command on a single instance — never loads its ~50 modules. */
const loadRedis = (): typeof Redis => (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;

export interface LinkLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RedisLinkOptions {
  url: string;
  /** Prepended to every key (`rapport:` by default), so several deployments can share a server. */
  prefix: string;
  log: LinkLog;
  /** A command slower than this fails (and the caller falls back). */
  commandTimeoutMs?: number;
}

export class RedisLink {
  readonly client: Redis;
  readonly prefix: string;
  private readonly log: LinkLog;
  private down = false;
  private closed = false;
  /** Until the first connection succeeds or fails. */
  private starting = true;
  /** After a failed command, Redis is left alone for a moment: a hung server costs one timeout, not one per request. */
  private restUntil = 0;
  private readonly backHooks: (() => Promise<void>)[] = [];

  constructor(opts: RedisLinkOptions) {
    this.prefix = opts.prefix;
    this.log = opts.log;
    const RedisClient = loadRedis();
    this.client = new RedisClient(opts.url, {
      // An outage must never hold a request: no queue while disconnected, no retries of a command,
      // a short timeout for each one. The connection itself is retried for ever, a little slower
      // each time (at most every 2 s), so Redis is picked up again when it is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 250,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
      lazyConnect: false,
    });
    this.client.on('ready', () => this.cameBack());
    // ioredis reports every failed reconnect; one warning for the outage is enough.
    this.client.on('error', (e: Error) => this.wentAway(e));
    this.client.on('end', () => this.wentAway(null));
    this.client.on('close', () => this.wentAway(null));
  }

  /** Connected and answering (as far as this process knows). */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  /**
   * Runs `op` against Redis, or `fallback` when Redis is not there or `op` fails: the caller's
   * answer never depends on Redis being up.
   */
  async run<T>(op: (redis: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    // Just started: the connection is usually a moment away (a CLI command's first invalidation).
    for (const end = Date.now() + 1_000; this.starting && !this.closed && Date.now() < end; ) await new Promise((r) => setTimeout(r, 5));
    if (!this.ready || Date.now() < this.restUntil) return fallback();
    let result: T;
    try {
      result = await op(this.client);
    } catch (e) {
      this.restUntil = Date.now() + 1_000;
      this.wentAway(e as Error);
      return fallback();
    }
    this.cameBack();
    return result;
  }

  /** Waits until the connection is ready (start-up, tests); false after `timeoutMs`. */
  async whenReady(timeoutMs = 2_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (!this.ready && Date.now() < end && !this.closed) await new Promise((r) => setTimeout(r, 10));
    return this.ready;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Commands already sent (a CLI's last invalidation) finish first, for a moment at most.
    if (this.ready) await Promise.race([this.client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
    this.client.disconnect(false);
  }

  /** Runs `fn` each time Redis is back after an outage (what was kept elsewhere meanwhile is reconciled). */
  onBack(fn: () => Promise<void>): void {
    this.backHooks.push(fn);
  }

  private cameBack(): void {
    if (this.starting) this.log.info({ component: 'redis' }, 'redis connected; Slack pacing, caches and rate limits are shared with the other instances');
    this.starting = false;
    if (!this.down) return;
    this.down = false;
    this.log.info({ component: 'redis' }, 'redis is back; shared state is shared again');
    for (const fn of this.backHooks) void fn().catch(() => undefined);
  }

  private wentAway(e: Error | null): void {
    this.starting = false;
    if (this.closed || this.down) return;
    this.down = true;
    // The error's class and code only: a message may carry the URL, and the URL may carry a password.
    this.log.warn(
      { component: 'redis', err: e ? { type: e.name, code: (e as NodeJS.ErrnoException).code ?? null } : null },
      'redis is unavailable; going on with the database and this process’s own state until it is back',
    );
  }
}
