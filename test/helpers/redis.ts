// Real Redis for tests: the machine's own on 6379 with a key prefix of each test's own (parallel
// runs never meet), or a private redis-server on a free port that a test may stop and start again.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

export const redisUrl = process.env.RAPPORT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test uses. */
export const uniquePrefix = (what: string) => `rapport-test:${what}:${randomBytes(4).toString('hex')}:`;

/** Deletes every key under `prefix` (a test's own). */
export async function dropKeys(prefix: string, url = redisUrl): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    for await (const keys of r.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length) await r.unlink(...keys);
  } finally {
    r.disconnect();
  }
}

export async function keysUnder(prefix: string, url = redisUrl): Promise<string[]> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    const all: string[] = [];
    for await (const keys of r.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) all.push(...keys);
    return all;
  } finally {
    r.disconnect();
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface PrivateRedis {
  port: number;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of this test's own (no disk), started. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const ping = async () => run('redis-cli', ['-p', String(port), 'ping']).then(({ stdout }) => stdout.trim() === 'PONG', () => false);
  const r: PrivateRedis = {
    port,
    url,
    async start() {
      await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
      const end = Date.now() + 10_000;
      while (!(await ping())) {
        if (Date.now() > end) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    async stop() {
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
      const end = Date.now() + 10_000;
      while (await ping()) {
        if (Date.now() > end) throw new Error(`redis-server on ${port} did not stop`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
  };
  await r.start();
  return r;
}

/** Polls `probe` until it is truthy, or fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T> | T, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
