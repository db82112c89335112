// The service with its web console on a fresh test database (PGlite or PostgreSQL, per project),
// listening on a free port, loaded with the demo sample and one console user per role; and one
// headless Chromium (Debian's, never a downloaded one) to drive it.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { addUser } from '../../src/console/users.js';
import { createContext, type AppContext } from '../../src/context.js';
import { loadSample, readSample } from '../../src/demo/load-sample.js';
import { build, type App } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

export const PASSWORD = 'correct horse battery';
export const users = { admin: 'admin@ours.example', agent: 'agent@ours.example', viewer: 'viewer@ours.example', locked: 'lockme@ours.example' } as const;

export interface ConsoleHarness {
  app: App;
  ctx: AppContext;
  database: TestDatabase;
  base: string;
  browser: Browser;
  /** A fresh browser context (its own cookies), signed in as `who` unless null. */
  session(who: keyof typeof users | null, opts?: { locale?: string }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function consoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const database = await createTestDatabase();
  const sample = readSample();
  const config = loadConfig({
    RAPPORT_DEFAULT_REGION: 'CN', RAPPORT_JOBS: 'off', RAPPORT_TIMEZONE: 'Asia/Shanghai', RAPPORT_INTERNAL_DOMAINS: sample.internalDomain,
    // Webhook secrets are sealed in the database; a PostgreSQL server has no key file to fall back on.
    RAPPORT_SECRET_KEY: 'console test secret key 0123456789', ...env,
  });
  const ctx = await createContext(config, createLogger('silent'), database);
  await loadSample(ctx);
  for (const [role, email] of Object.entries(users)) await addUser(database.db, { email, role: role === 'locked' ? 'viewer' : role, password: PASSWORD }, { name: 'test' });
  const app = await build({ ctx, logRequests: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  const contexts: BrowserContext[] = [];
  return {
    app, ctx, database, base: address, browser,
    async session(who, opts = {}) {
      const context = await browser.newContext({ baseURL: address, locale: opts.locale ?? 'en-US', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
      context.setDefaultTimeout(60_000);
      contexts.push(context);
      const page = await context.newPage();
      if (who) await signIn(page, users[who]);
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await app.close();
      await database.close();
    },
  };
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('form[action="/login"] button[type=submit]')]);
}

/** The CSRF token the page's forms carry. */
export async function csrfOf(page: Page): Promise<string> {
  return (await page.locator('input[name="_csrf"]').first().getAttribute('value')) ?? '';
}
