import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/store/tokens-repo.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness();
});
afterAll(async () => cli?.close());

describe('rapport token', { timeout: 120_000 }, () => {
  it('creates a token, prints it once, lists it without the secret, and revokes it', async () => {
    const created = await cli.run('token', 'create', '--name', 'zapier', '--scope', 'write');
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^rpt_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/created token "zapier" \(scope write, id [0-9a-f-]{36}\)/);
    expect(await cli.seed((d) => verifyToken(d.db, token))).toMatchObject({ name: 'zapier', scope: 'write' });

    const listed = await cli.run('token', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/zapier\s+write\s+rpt_/);
    expect(listed.stdout).not.toContain(token);

    const json = JSON.parse((await cli.run('token', 'list', '--json')).stdout) as { id: string; name: string; revokedAt: string | null }[];
    const id = json.find((t) => t.name === 'zapier')!.id;
    const revoked = await cli.run('token', 'revoke', id, '--json');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id, revokedAt: expect.any(String) });
    expect(await cli.seed((d) => verifyToken(d.db, token))).toBeNull();
  });

  it('prints the token inside JSON with --json', async () => {
    const res = await cli.run('--json', 'token', 'create', '--name', 'ci', '--scope', 'read');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ name: 'ci', scope: 'read', token: expect.stringMatching(/^rpt_/), prefix: expect.stringMatching(/^rpt_/) });
    expect(res.stderr).toBe('');
  });

  it('fails with one line and a non-zero exit for a bad scope or an unknown token', async () => {
    const bad = await cli.run('token', 'create', '--name', 'x', '--scope', 'root');
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['rapport: --scope must be one of read, write, admin, not "root"']);
    const unknown = await cli.run('token', 'revoke', '5b0c6f8e-1c7a-4d1e-9a43-2f6f1c0b7e21', '--json');
    expect(unknown.code, unknown.stderr).toBe(1);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('5b0c6f8e') } });
  });
});
