// Every environment variable the code reads is documented in .env.example and in the README.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8'));
}

/** Names read through process.env, and the keys of the zod schemas that parse the environment. */
function variablesRead(): string[] {
  const names = new Set<string>();
  for (const text of [...sources('src'), ...sources('adapters')]) {
    for (const m of text.matchAll(/process\.env(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
    if (text.includes("from 'zod'")) for (const m of text.matchAll(/^\s+([A-Z][A-Z0-9_]{2,}):\s/gm)) names.add(m[1]!);
  }
  return [...names].sort();
}

describe('configuration documentation', () => {
  const read = variablesRead();
  const envExample = readFileSync(join(root, '.env.example'), 'utf8');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('finds the variables the code reads', () => {
    expect(read).toEqual(expect.arrayContaining(['DATABASE_URL', 'RAPPORT_DEFAULT_REGION', 'SLACK_SIGNING_SECRET', 'RAPPORT_IMAP_HOST']));
  });

  it('lists every one of them in .env.example and in the README', () => {
    const word = (name: string) => new RegExp(`\\b${name}\\b`);
    expect(read.filter((name) => !word(name).test(envExample))).toEqual([]);
    expect(read.filter((name) => !word(name).test(readme))).toEqual([]);
  });
});
