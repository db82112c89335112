// Fuzzing the CSV importer with hostile rows, on PGlite and PostgreSQL: every file either imports
// with each row counted once (created, updated or rejected with its reason) or is refused as a
// whole with a RapportError (a header that is not the format); nothing else is thrown.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRapportError } from '../../src/core/errors.js';
import { importCustomers } from '../../src/importing/import-customers.js';
import { importOrders } from '../../src/importing/import-orders.js';
import type { ImportSummary } from '../../src/importing/import-summary.js';
import { csvLine, customerHeader } from '../helpers/import-csv.js';
import { importEnv, type ImportEnv } from '../import/import-helpers.js';
import { fuzzParameters, hostileString } from './fuzz-settings.js';

let env: ImportEnv;
beforeAll(async () => {
  env = await importEnv();
});
afterAll(async () => env?.close());

const orderHeader = ['customer', 'external_id', 'amount', 'currency', 'status', 'ordered_at'];
let fileNo = 0;

/** A field as people and exports write them: plausible values, hostile ones, and empty. */
const field = fc.oneof(
  hostileString(80),
  fc.emailAddress(),
  fc.constantFrom('', '13800138000', '+86 138 0013 8000', 'vip;trial', 'CNY', 'USD', 'paid', 'refunded', '12.50', '-1', '1e309', 'NaN', '2026-11-24', '0000-01-01', '+275760-09-13T00:00:00Z', 'CUST-1', '华信科技'),
);

async function imported(run: () => Promise<ImportSummary>, rows: number): Promise<void> {
  try {
    const s = await run();
    expect(s.rows).toBe(rows);
    expect(s.created + s.updated + s.rejected).toBe(s.rows);
  } catch (e) {
    expect(isRapportError(e), String((e as Error).stack)).toBe(true);
  }
}

describe('fuzzing the CSV importer', () => {
  it('imports or refuses customer files of hostile rows, counting every row once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 8, maxLength: 8 }), { minLength: 1, maxLength: 6 }), async (rows) => {
        const file = await env.dir.write(`customers-${++fileNo}.csv`, [csvLine(customerHeader), ...rows.map(csvLine)].join(''));
        await imported(() => importCustomers(env.deps, file), rows.length);
      }),
      fuzzParameters(),
    );
  });

  it('imports or refuses order files of hostile rows, counting every row once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 6 }), async (rows) => {
        const file = await env.dir.write(`orders-${++fileNo}.csv`, [csvLine(orderHeader), ...rows.map(csvLine)].join(''));
        await imported(() => importOrders(env.deps, file), rows.length);
      }),
      fuzzParameters(),
    );
  });

  it('refuses or reads files of arbitrary bytes without an unexpected error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 500 }), async (bytes) => {
        const file = await env.dir.write(`bytes-${++fileNo}.csv`, Buffer.concat([Buffer.from(csvLine(customerHeader)), Buffer.from(bytes)]) as unknown as string);
        try {
          const s = await importCustomers(env.deps, file);
          expect(s.created + s.updated + s.rejected).toBe(s.rows);
        } catch (e) {
          expect(isRapportError(e), String((e as Error).stack)).toBe(true);
        }
      }),
      fuzzParameters(),
    );
  });
});
