// Signing in and out, lockout, roles and CSRF, in a real browser against the real service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, communications } from '../../src/store/schema/index.js';
import { consoleHarness, csrfOf, users, PASSWORD, type ConsoleHarness } from './console-harness.js';

let h: ConsoleHarness;

beforeAll(async () => {
  h = await consoleHarness({ RAPPORT_LOGIN_MAX_FAILURES: '3' });
}, 360_000);
afterAll(async () => {
  await h?.close();
});

// A browser on a loaded two-core machine: pages take seconds, not milliseconds.
describe('console access', { timeout: 120_000 }, () => {
  it('sends a visitor to sign in, signs in and out, and the session ends with sign-out', async () => {
    const { page } = await h.session(null);
    await page.goto('/customers');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#email', users.agent);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/customers'), page.click('form[action="/login"] button')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Customers');
    const cookie = (await page.context().cookies()).find((c) => c.name === 'rapport_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');

    await page.click('form[action="/logout"] button');
    await page.waitForURL((u) => u.pathname === '/login');
    await expect(page.locator('.notice').textContent()).resolves.toContain('signed out');
    // The old cookie value is revoked, not just forgotten by the browser.
    await page.context().addCookies([{ ...cookie!, expires: -1 }]);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('refuses a wrong password, then locks the account out, even for the right password', async () => {
    const { page } = await h.session(null);
    for (let i = 0; i < 2; i++) {
      await page.goto('/login');
      await page.fill('#email', users.locked);
      await page.fill('#password', 'wrong password');
      await page.click('form[action="/login"] button');
      await expect(page.locator('.errors').textContent()).resolves.toBe('The email or password is wrong.');
    }
    await page.fill('#password', 'wrong again');
    await page.click('form[action="/login"] button');
    await expect(page.locator('.errors').textContent()).resolves.toMatch(/Too many failed sign-ins/);
    await page.fill('#password', PASSWORD);
    await page.click('form[action="/login"] button');
    await expect(page.locator('.errors').textContent()).resolves.toMatch(/Too many failed sign-ins/);
    expect(new URL(page.url()).pathname).toBe('/login');
    const audit = await h.database.db.select().from(auditLog).where(eq(auditLog.action, 'sign_in.failed'));
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });

  it('shows a viewer no agent action, and refuses a forged one with 403', async () => {
    const { page } = await h.session('viewer');
    await page.goto('/review');
    expect(await page.locator('.review-item').count()).toBeGreaterThan(0);
    expect(await page.locator('form[action$="/link"], form[action$="/dismiss"]').count()).toBe(0);
    const item = (await page.locator('.review-item').first().getAttribute('id'))!.slice(2);
    const res = await page.request.post(`/review/${item}/dismiss`, { form: { _csrf: await csrfOf(page) }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    await page.goto('/review');
    expect(await page.locator(`#r-${item}`).count()).toBe(1);
    // Settings are for admins only.
    const settings = await page.goto('/settings/tokens');
    expect(settings?.status()).toBe(403);
  });

  it('refuses a POST without the CSRF token', async () => {
    const { page } = await h.session('agent');
    await page.goto('/customers');
    await page.click('table.customers tbody tr:first-child a');
    const customerId = new URL(page.url()).pathname.split('/')[2]!;
    const before = await h.database.db.select().from(communications).where(eq(communications.kind, 'note'));
    const res = await page.request.post(`/customers/${customerId}/notes`, { form: { text: 'forged note' }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    const after = await h.database.db.select().from(communications).where(eq(communications.kind, 'note'));
    expect(after.length).toBe(before.length);
    // The same form with its token goes through.
    await page.fill('#note', 'Called back, all good');
    await page.click('#notes button[type=submit]');
    await expect(page.locator('.notice').textContent()).resolves.toBe('Note added.');
    await expect(page.locator('#notes ul.notes').textContent()).resolves.toContain('Called back, all good');
  });

  it('switches language, and takes the default from Accept-Language', async () => {
    const { page } = await h.session('admin');
    await page.goto('/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await page.click('a.lang');
    await page.waitForURL((u) => u.pathname === '/');
    await expect(page.locator('h1').textContent()).resolves.toBe('概览');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    const zh = await h.session(null, { locale: 'zh-CN' });
    await zh.page.goto('/login');
    await expect(zh.page.locator('h1').textContent()).resolves.toBe('登录 Rapport');
  });
});
