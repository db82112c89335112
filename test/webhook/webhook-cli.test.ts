// `rapport webhook add|list|rotate|remove`, run as the real CLI; the printed secret signs a
// request that the server accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { build } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { cliHarness, type CliHarness } from '../cli/cli-harness.js';
import { signedPost } from './signed-post.js';

const envSecret = 'whsec_configured_in_env_001';
const secretKey = 'test-key-for-sealed-secrets';
let cli: CliHarness;

beforeAll(async () => {
  // The CLI children inherit this: one source comes from configuration.
  process.env.RAPPORT_WEBHOOK_SOURCES = `from-env:form:${envSecret}`;
  process.env.RAPPORT_SECRET_KEY = secretKey;
  cli = await cliHarness();
});

afterAll(async () => {
  await cli?.close();
});

/** Status of a signed delivery to `source`, served by an app on the CLI's database. */
async function deliver(source: string, secret: string | string[], id: string): Promise<number> {
  return cli.seed(async (database) => {
    const ctx = await createContext(loadConfig({ RAPPORT_WEBHOOK_SOURCES: `from-env:form:${envSecret}`, RAPPORT_SECRET_KEY: secretKey }), createLogger('silent'), database);
    const app = await build({ ctx, logRequests: false });
    try {
      const res = await signedPost(app, { source, secret, body: JSON.stringify({ id, from: { email: 'zhao@kunlun.cn' }, text: '你好' }) });
      return res.statusCode;
    } finally {
      await app.close();
    }
  });
}

describe('rapport webhook', { timeout: 180_000 }, () => {
  let secret = '';

  it('add prints the generated secret once, and it signs deliveries the server accepts', async () => {
    const r = await cli.run('webhook', 'add', 'helpdesk', '--preset', 'generic', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { name: string; preset: string; secret: string; url: string };
    expect(out).toMatchObject({ name: 'helpdesk', preset: 'generic', url: 'http://127.0.0.1:3000/webhooks/helpdesk' });
    expect(out.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    secret = out.secret;
    expect(await deliver('helpdesk', secret, 'cli-1')).toBe(202);
  });

  it('add refuses a taken name, an unknown preset, a bad name, and a name from configuration', async () => {
    expect((await cli.run('webhook', 'add', 'helpdesk', '--preset', 'form')).stderr).toMatch(/exists already/);
    const badPreset = await cli.run('webhook', 'add', 'other', '--preset', 'zapier');
    expect(badPreset.code).toBe(2);
    expect(badPreset.stderr).toMatch(/unknown preset "zapier"/);
    expect((await cli.run('webhook', 'add', 'Bad Name', '--preset', 'form')).code).toBe(2);
    const fromEnv = await cli.run('webhook', 'add', 'from-env', '--preset', 'form');
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toMatch(/RAPPORT_WEBHOOK_SOURCES/);
  });

  it('list shows every source with its origin and never a whole secret', async () => {
    const human = await cli.run('webhook', 'list');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/from-env\s+form\s+config/);
    expect(human.stdout).toMatch(/helpdesk\s+generic\s+database/);
    expect(human.stdout).not.toContain(secret);
    expect(human.stdout).not.toContain(envSecret);
    const json = JSON.parse((await cli.run('webhook', 'list', '--json')).stdout) as { name: string; origin: string; secretPrefix: string }[];
    expect(json.map((s) => [s.name, s.origin])).toEqual([['from-env', 'config'], ['helpdesk', 'database']]);
    expect(secret.startsWith(json[1]!.secretPrefix.replace('…', ''))).toBe(true);
  });

  it('rotate prints a new secret; the old one works during the grace period, then not after a rotate --grace 0', async () => {
    const r = await cli.run('webhook', 'rotate', 'helpdesk', '--json');
    expect(r.code).toBe(0);
    const rotated = JSON.parse(r.stdout) as { secret: string; previousSecretExpiresAt: string };
    expect(rotated.secret).not.toBe(secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(await deliver('helpdesk', secret, 'cli-2')).toBe(202);
    expect(await deliver('helpdesk', rotated.secret, 'cli-3')).toBe(202);

    const now = JSON.parse((await cli.run('webhook', 'rotate', 'helpdesk', '--grace', '0', '--json')).stdout) as { secret: string; previousSecretExpiresAt: string | null };
    expect(now.previousSecretExpiresAt).toBeNull();
    expect(await deliver('helpdesk', rotated.secret, 'cli-4')).toBe(401);
    expect(await deliver('helpdesk', now.secret, 'cli-5')).toBe(202);
  });

  it('remove stops deliveries (401, as for any unknown source), and refuses unknown and configured sources', async () => {
    expect((await cli.run('webhook', 'remove', 'helpdesk')).code).toBe(0);
    expect(await deliver('helpdesk', secret, 'cli-6')).toBe(401);
    const again = await cli.run('webhook', 'remove', 'helpdesk');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not found/);
    expect((await cli.run('webhook', 'remove', 'from-env')).stderr).toMatch(/RAPPORT_WEBHOOK_SOURCES/);
  });
});
