// A new embedded database on disk is created by a short-lived process of its own (initdb's memory
// never enters the serving process), then opened here as after a restart. What a user sees: the
// first open works and keeps its data; a directory that cannot hold a database is refused with one
// clear error that names it, and nothing is opened.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { RapportError } from '../../src/core/errors.js';
import { openDatabase } from '../../src/store/database.js';

const root = mkdtempSync(join(tmpdir(), 'rapport-embedded-create-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a new embedded database on disk', () => {
  it('is created, migrated, and holds its data when opened again', async () => {
    const dataDir = join(root, 'new', 'data');
    const first = await openDatabase({ dataDir });
    try {
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      await first.migrate();
      await first.db.execute(sql`insert into companies (name) values ('Created Once Ltd')`);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir });
    try {
      const rows = await again.db.execute(sql`select name from companies`);
      expect((rows as unknown as { rows: { name: string }[] }).rows.map((r) => r.name)).toEqual(['Created Once Ltd']);
    } finally {
      await again.close();
    }
  }, 60_000);

  it('is refused in a directory whose files are not a database, with an error naming it', async () => {
    const dataDir = join(root, 'not-a-database');
    mkdirSync(dataDir, { recursive: true });
    // initdb makes base/ and global/ directories; plain files there stop it.
    writeFileSync(join(dataDir, 'base'), 'notes');
    writeFileSync(join(dataDir, 'global'), 'notes');
    const opened = openDatabase({ dataDir });
    await expect(opened).rejects.toBeInstanceOf(RapportError);
    await expect(opened).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining(`could not create the embedded database in ${dataDir}`) });
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
  }, 60_000);
});
