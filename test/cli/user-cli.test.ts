import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCredentials } from '../../src/console/users.js';
import { auditLog } from '../../src/store/schema/index.js';
import { cliHarness, type CliHarness } from './cli-harness.js';

let cli: CliHarness;
beforeAll(async () => {
  cli = await cliHarness();
});
afterAll(async () => cli?.close());

describe('rapport user', { timeout: 300_000 }, () => {
  it('adds a user with a generated password, lists, resets and removes them, each audited', async () => {
    const added = await cli.run('--json', 'user', 'add', 'Li.Na@Example.com', '--role', 'agent', '--by', 'ops');
    expect(added.code, added.stderr).toBe(0);
    const { password, role } = JSON.parse(added.stdout) as { password: string; role: string };
    expect(role).toBe('agent');
    expect(password.length).toBeGreaterThanOrEqual(16);
    // argon2id, and the email is matched case-insensitively.
    expect(await cli.seed((d) => checkCredentials(d.db, 'li.na@example.com', password))).toMatchObject({ role: 'agent' });
    expect(await cli.seed((d) => checkCredentials(d.db, 'li.na@example.com', 'not the password'))).toBeNull();

    const listed = await cli.run('user', 'list');
    expect(listed.stdout).toMatch(/Li\.Na@Example\.com\s+agent/);
    expect(listed.stdout).not.toContain(password);

    const reset = JSON.parse((await cli.run('--json', 'user', 'reset-password', 'li.na@example.com')).stdout) as { password: string };
    expect(reset.password).not.toBe(password);
    expect(await cli.seed((d) => checkCredentials(d.db, 'li.na@example.com', password))).toBeNull();
    expect(await cli.seed((d) => checkCredentials(d.db, 'li.na@example.com', reset.password))).not.toBeNull();

    expect((await cli.run('user', 'remove', 'li.na@example.com')).code).toBe(0);
    expect(await cli.seed((d) => checkCredentials(d.db, 'li.na@example.com', reset.password))).toBeNull();
    const actions = (await cli.seed((d) => d.db.select().from(auditLog))).map((a) => `${a.actor} ${a.action}`);
    expect(actions).toEqual(expect.arrayContaining(['ops user.add', expect.stringMatching(/ user\.reset_password$/), expect.stringMatching(/ user\.remove$/)]));
  });

  it('refuses a bad role, a duplicate, and removing the last admin', async () => {
    const bad = await cli.run('user', 'add', 'x@example.com', '--role', 'root');
    expect(bad.code, bad.stderr).toBe(2);
    expect((await cli.run('user', 'add', 'boss@example.com', '--role', 'admin')).code).toBe(0);
    const dup = await cli.run('user', 'add', 'BOSS@example.com', '--role', 'viewer');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    const last = await cli.run('user', 'remove', 'boss@example.com');
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/last admin/);
  });
});
