// DATABASE_READ_URL is a replica of DATABASE_URL: without a primary server it is refused at start.
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/cli/runner.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

const primary = 'postgres://rapport:secret@db.internal:5432/rapport';
const replica = 'postgres://rapport:secret@replica.internal:5432/rapport';

describe('read replica configuration', () => {
  it('reads the replica URL and the lag bound, five seconds by default', () => {
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: replica })).toMatchObject({ DATABASE_READ_URL: replica, RAPPORT_READ_MAX_LAG_MS: 5_000 });
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: replica, RAPPORT_READ_MAX_LAG_MS: '250' }).RAPPORT_READ_MAX_LAG_MS).toBe(250);
  });

  it('refuses a replica without DATABASE_URL, as bad configuration (exit 2), naming the variable', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_READ_URL: replica });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('config_invalid');
    expect(exitCodeFor((error as ConfigError).code)).toBe(2);
    expect((error as Error).message).toMatch(/DATABASE_READ_URL: a read replica needs DATABASE_URL/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('refuses a replica URL that is not postgres:// and a lag bound that is not a number of milliseconds', () => {
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://replica/rapport' })).toThrow(/DATABASE_READ_URL: a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(() => loadConfig({ DATABASE_URL: primary, RAPPORT_READ_MAX_LAG_MS: 'soon' })).toThrow(/RAPPORT_READ_MAX_LAG_MS/);
    expect(() => loadConfig({ DATABASE_URL: primary, RAPPORT_READ_MAX_LAG_MS: '10' })).toThrow(/RAPPORT_READ_MAX_LAG_MS/);
  });
});
