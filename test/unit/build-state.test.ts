// bin/rapport.js runs the compiled build only while it is current, so an edit never runs stale code.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsCurrent } from '../../scripts/build-state.js';

let root: string;
const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rapport-build-state-'));
  for (const dir of ['src/cli', 'adapters/webhook', 'build']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'src/cli/program.ts'), '');
  writeFileSync(join(root, 'adapters/webhook/signature.ts'), '');
  for (const path of ['src/cli/program.ts', 'src/cli', 'src', 'adapters/webhook/signature.ts', 'adapters/webhook', 'adapters']) at(path, 1_000);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function built(seconds: number) {
  writeFileSync(join(root, 'build/.built'), '');
  at('build/.built', seconds);
}

describe('whether the compiled build is current', () => {
  it('is current when it was built after every source changed', () => {
    built(2_000);
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('is not, when there is no build', () => {
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('is not, once a source file is edited after the build', () => {
    built(2_000);
    at('adapters/webhook/signature.ts', 3_000);
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('is not, once a source file is added or removed (its directory changes)', () => {
    built(2_000);
    at('src/cli', 3_000);
    expect(buildIsCurrent(root)).toBe(false);
  });
});
