// The CLI's last line for a failed command: an unexpected error is printed the way it is logged,
// so a failed query's parameters (a company name, message text, an address) never reach the terminal.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportFailure } from '../../../src/cli/runner.js';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = 0;
});

function printed(e: unknown, json = false): string {
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  reportFailure(e, json);
  return out;
}

describe('reportFailure', () => {
  it('prints an unexpected query error by its statement and cause, without its parameters', () => {
    const cause = Object.assign(new Error('invalid input syntax for type uuid: "金玉贸易"'), { name: 'error', code: '22P02', severity: 'ERROR' });
    const query = 'select "id" from "companies" where "id" = $1';
    const e = Object.assign(new Error(`Failed query: ${query}\nparams: 金玉贸易`, { cause }), { query, params: ['金玉贸易'] });
    for (const json of [false, true]) {
      const out = printed(e, json);
      expect(out).toContain('Failed query: select');
      expect(out).toContain('invalid input syntax for type uuid');
      expect(out).not.toContain('金玉贸易');
    }
    expect(process.exitCode).toBe(1);
  });
});
