// What a backup holds: every table of Rapport's schema (src/store/schema — a table added later is
// included by itself), in an order that satisfies foreign keys, with the columns that hold data
// (generated columns such as communications.search are recomputed on restore), and the schema's
// sequences. A table's checksum does not depend on row order, so it is the same on PGlite and on
// a server whatever their collations.
import { createHash } from 'node:crypto';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import * as schema from '../schema/index.js';

export interface BackupColumn {
  name: string;
  /** format_type(): `uuid`, `text[]`, `timestamp with time zone`, … */
  type: string;
}

export interface BackupTable {
  name: string;
  columns: BackupColumn[];
}

export const schemaTableNames = (): string[] =>
  (Object.values(schema) as unknown[]).filter((v): v is PgTable => v instanceof PgTable).map((t) => getTableConfig(t).name);

/** The tables of the schema that exist in this database, parents before children. */
export async function backupTables(client: pg.ClientBase): Promise<BackupTable[]> {
  const names = schemaTableNames();
  const cols = await client.query<{ table: string; name: string; type: string }>(
    `select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relname = any($1) and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by c.relname, a.attnum`,
    [names],
  );
  const fks = await client.query<{ child: string; parent: string }>(
    `select c.relname as child, p.relname as parent from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = current_schema() and c.relname <> p.relname`,
  );
  const columns = new Map<string, BackupColumn[]>();
  for (const r of cols.rows) columns.set(r.table, [...(columns.get(r.table) ?? []), { name: r.name, type: r.type }]);
  const present = [...columns.keys()].sort();
  const parents = new Map(present.map((t) => [t, new Set(fks.rows.filter((f) => f.child === t && columns.has(f.parent)).map((f) => f.parent))]));
  const ordered: string[] = [];
  while (ordered.length < present.length) {
    const ready = present.filter((t) => !ordered.includes(t) && [...parents.get(t)!].every((p) => ordered.includes(p)));
    // A cycle would need deferred constraints; the schema has none, so take the rest as they come.
    ordered.push(...(ready.length > 0 ? ready : present.filter((t) => !ordered.includes(t))));
  }
  return ordered.map((name) => ({ name, columns: columns.get(name)! }));
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
export const columnList = (t: BackupTable) => t.columns.map((c) => q(c.name)).join(', ');
export const quoteIdent = q;

/** The statement that reads a table as COPY text, the same for backup and for verifying a restore. */
export const copyOutSql = (t: BackupTable) => `COPY (SELECT ${columnList(t)} FROM ${q(t.name)}) TO STDOUT`;

/** Settings that make COPY text identical on every server: exact floats, UTC, ISO dates, hex bytea. */
export const portableSettings = [
  'SET LOCAL extra_float_digits = 3',
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  "SET LOCAL bytea_output = 'hex'",
];

/**
 * Rows and an order-independent checksum of a table's COPY text: the sum, modulo 2^128, of the
 * first 16 bytes of each line's SHA-256. Feed it the bytes in any chunks (lines are cut at \n
 * bytes, so a character split between chunks is no matter).
 */
export class TableDigest {
  rows = 0;
  private sum = 0n;
  private partial: Buffer = Buffer.alloc(0);
  private static readonly mod = 1n << 128n;

  update(chunk: Buffer): void {
    let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      this.add(data.subarray(0, nl));
      data = data.subarray(nl + 1);
    }
    this.partial = Buffer.from(data);
  }

  private add(line: Buffer): void {
    this.rows += 1;
    const h = createHash('sha256').update(line).digest();
    this.sum = (this.sum + BigInt(`0x${h.subarray(0, 16).toString('hex')}`)) % TableDigest.mod;
  }

  /** The checksum, once all text was given (a trailing partial line counts as a row). */
  digest(): string {
    if (this.partial.length > 0) {
      this.add(this.partial);
      this.partial = Buffer.alloc(0);
    }
    return this.sum.toString(16).padStart(32, '0');
  }
}
