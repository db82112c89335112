// CSV encodings through `rapport import`: a Big5 file imports with the right names without
// --encoding; a file that does not fully read in the detected encoding is refused before anything
// is written, with the --encoding to try; a forced --encoding that cannot read everything warns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHarness, type CliHarness } from '../cli/cli-harness.js';

let cli: CliHarness;
let dir: string;
beforeAll(async () => {
  cli = await cliHarness();
  dir = mkdtempSync(join(tmpdir(), 'rapport-encoding-'));
}, 300_000);
afterAll(async () => {
  await cli?.close();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('import encodings', { timeout: 300_000 }, () => {
  it('detects Big5 and stores the names as written', async () => {
    const path = file('tw.csv', iconv.encode('name,emails\n黃磊,huang.lei@example.tw\n陳美玲,chen.meiling@example.tw\n', 'big5'));
    const res = await cli.run('import', 'customers', path, '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ encoding: 'big5', created: 2, replacedCharacters: 0 });
    const got = JSON.parse((await cli.run('customers', 'get', 'huang.lei@example.tw', '--json')).stdout);
    expect(got.name).toBe('黃磊');
  });

  it('refuses a file that does not fully read in the detected encoding, naming the --encoding to try, and writes nothing', async () => {
    // 80 KB of UTF-8 (past the detection sample), then a Big5 row.
    const utf8 = Buffer.from(`name,emails\n${Array.from({ length: 3000 }, (_, i) => `客户${i},c${i}@utf8.example`).join('\n')}\n`, 'utf8');
    const path = file('mixed.csv', Buffer.concat([utf8, iconv.encode('黃磊,huang@mixed.example\n', 'big5')]));
    const res = await cli.run('import', 'customers', path);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/characters are not valid utf-8 and would be stored as "\uFFFD"; nothing was written\. Name the file's encoding: --encoding big5 or --encoding gbk\n$/);
    expect((await cli.run('customers', 'get', 'c1@utf8.example')).code).toBe(1);
  });

  it('imports with a forced --encoding that cannot read everything, and says how many characters were replaced', async () => {
    const path = file('forced.csv', iconv.encode('name,emails\n黃磊,forced@example.tw\n', 'big5'));
    const res = await cli.run('import', 'customers', path, '--encoding', 'utf-8');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/warning: \d+ characters are not valid utf-8 and were imported as "\uFFFD"/);
  });
});
