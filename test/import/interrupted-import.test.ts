import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapHeader } from '../../src/importing/columns.js';
import { openCsv } from '../../src/importing/csv-source.js';
import { emptySummary } from '../../src/importing/import-summary.js';
import { runImport } from '../../src/importing/run-import.js';
import { importEnv, rejectionOf, type ImportEnv } from './import-helpers.js';

let env: ImportEnv;
beforeAll(async () => {
  env = await importEnv();
  await env.db.execute(sql`create table import_probe (n int primary key)`);
});
afterAll(async () => env?.close());

describe('an import the database stops', () => {
  it('keeps the committed batches, rolls back the failing one, and says where it stopped', async () => {
    const file = await env.dir.write('n.csv', `n\n${Array.from({ length: 25 }, (_, i) => `${i + 1}\n`).join('')}`);
    const source = await openCsv(file, (h) => mapHeader(h, [{ key: 'n', required: true }], 'probe'));
    const run = runImport(
      env.db,
      source,
      {
        parse: (fields) => ({ row: Number(fields[0]), warnings: [] }),
        async write(tx, n) {
          // Row 15 fails with an error that is not about the row's data: the import must stop.
          if (n === 15) throw new Error('connection terminated unexpectedly');
          await tx.execute(sql`insert into import_probe (n) values (${n})`);
          return { created: true };
        },
      },
      emptySummary('customers', file),
      { batchSize: 10 },
    );
    const e = await rejectionOf(run);
    expect(e).toMatchObject({ code: 'unavailable', details: { reason: 'import_interrupted', line: 12, rowsImported: 10 } });
    expect(e.message).toMatch(/stopped at line 12: connection terminated unexpectedly/);
    const rows = await env.db.execute<{ n: number }>(sql`select n from import_probe order by n`);
    expect((rows as unknown as { rows: { n: number }[] }).rows.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
