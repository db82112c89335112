// `rapport restore FILE`: the archive of write-backup.ts into this database, in one transaction —
// refused when the database holds data (unless `force`: then everything is replaced), checked
// table by table against the manifest's row counts and checksums before it commits. A server
// takes COPY … FROM STDIN; PGlite cannot take COPY's input over its socket, so there the rows go
// in as multi-row INSERTs of the same text, cast to each column's type.
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { extract as tarExtract } from 'tar-stream';
import { RapportError, validationError } from '../../core/errors.js';
import type { Database } from '../database.js';
import { withPgClient } from '../pg-client.js';
import { backupTables, columnList, copyOutSql, portableSettings, quoteIdent, TableDigest, type BackupTable } from './backup-tables.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, partName, type BackupManifest } from './manifest.js';
import { parseCopyLine } from './copy-text.js';

export interface RestoreProgress {
  table: string;
  rows: number;
  doneRows: number;
  totalRows: number;
}

export interface RestoreOptions {
  /** Replace whatever the database holds. */
  force?: boolean;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreResult {
  manifest: BackupManifest;
  rows: number;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function checkManifest(m: Partial<BackupManifest>): asserts m is BackupManifest {
  if (m.format !== ARCHIVE_FORMAT || typeof m.version !== 'number' || !Array.isArray(m.tables)) {
    throw validationError('not a Rapport backup', [{ field: 'file', message: 'its manifest is missing or not a Rapport backup manifest' }]);
  }
  if (m.version > ARCHIVE_VERSION) {
    throw validationError(`this backup has format version ${m.version}; this Rapport reads up to ${ARCHIVE_VERSION}: upgrade Rapport first`, [
      { field: 'file', message: 'newer backup format' },
    ]);
  }
}

export async function restoreBackup(database: Database, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const extract = tarExtract();
  const source = createReadStream(file);
  const reading = pipeline(source, extract).catch((e: unknown) => {
    extract.destroy(e as Error);
  });
  const entries = extract[Symbol.asyncIterator]();
  try {
    const first = await entries.next();
    if (first.done || first.value.header.name !== 'manifest.json') checkManifest({});
    const manifest = JSON.parse((await readAll(first.value)).toString('utf8')) as Partial<BackupManifest>;
    checkManifest(manifest);

    const result = await withPgClient(database, async (client) => {
      await client.query('BEGIN');
      try {
        for (const s of portableSettings) await client.query(s);
        const targets = await prepareTarget(client, manifest, opts.force ?? false);
        const totalRows = manifest.tables.reduce((a, t) => a + t.rows, 0);
        let doneRows = 0;
        for (const table of manifest.tables) {
          const entry = await entries.next();
          if (entry.done || entry.value.header.name !== partName(table.name)) {
            throw validationError('the backup is incomplete', [{ field: 'file', message: `expected ${partName(table.name)}` }]);
          }
          const target = { name: table.name, columns: table.columns };
          const digest = new TableDigest();
          let lastReport = 0;
          const tap = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              digest.update(chunk);
              if (opts.onProgress && Date.now() - lastReport > 200) {
                lastReport = Date.now();
                opts.onProgress({ table: table.name, rows: digest.rows, doneRows: doneRows + digest.rows, totalRows });
              }
              cb(null, chunk);
            },
          });
          const sink = database.kind === 'postgres' ? client.query(copyFrom(`COPY ${quoteIdent(table.name)} (${columnList(target)}) FROM STDIN`)) : insertSink(client, target, targets.get(table.name)!);
          await pipeline(entry.value, createGunzip(), tap, sink);
          if (digest.digest() !== table.checksum || digest.rows !== table.rows) {
            throw new RapportError('validation', `the backup is damaged: ${table.name} does not match its checksum`, { table: table.name });
          }
          doneRows += digest.rows;
          opts.onProgress?.({ table: table.name, rows: digest.rows, doneRows, totalRows });
        }
        await restoreSequences(client, manifest);
        await verify(client, manifest);
        await client.query('COMMIT');
        return { manifest, rows: doneRows };
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    });
    // Drain whatever follows (nothing, in an archive we wrote).
    for (let e = await entries.next(); !e.done; e = await entries.next()) e.value.resume();
    await reading;
    return result;
  } finally {
    source.destroy();
  }
}

/** Checks the schema and emptiness of the target; with `force`, empties it. Returns the target's tables. */
async function prepareTarget(client: pg.ClientBase, manifest: BackupManifest, force: boolean): Promise<Map<string, BackupTable>> {
  const applied = new Set(
    (await client.query<{ created_at: string }>('select created_at from drizzle.__drizzle_migrations')).rows.map((r) => Number(r.created_at)),
  );
  const newer = manifest.migrations.filter((m) => !applied.has(m.createdAt));
  if (newer.length > 0) {
    throw validationError('this backup was made by a newer Rapport (its schema has migrations this one lacks): upgrade Rapport, then restore', [
      { field: 'file', message: `${newer.length} unknown migration(s)` },
    ]);
  }
  const targets = new Map((await backupTables(client)).map((t) => [t.name, t]));
  for (const t of manifest.tables) {
    const target = targets.get(t.name);
    const missing = target ? t.columns.filter((c) => !target.columns.some((x) => x.name === c.name)) : t.columns;
    if (missing.length > 0) {
      throw validationError(`this database has no ${target ? `column ${t.name}.${missing[0]!.name}` : `table ${t.name}`} the backup holds`, [
        { field: 'file', message: 'schema mismatch' },
      ]);
    }
  }
  const held: string[] = [];
  for (const name of targets.keys()) {
    const r = await client.query<{ n: string }>(`select count(*) as n from ${quoteIdent(name)}`);
    if (Number(r.rows[0]!.n) > 0) held.push(`${name}: ${r.rows[0]!.n}`);
  }
  if (held.length > 0) {
    if (!force) {
      throw new RapportError('conflict', `the database is not empty (${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''} rows); restore into an empty database, or pass --force to replace everything in it`, {
        tables: held,
      });
    }
    await client.query(`TRUNCATE ${[...targets.keys()].map(quoteIdent).join(', ')}`);
  }
  return targets;
}

/** A writable taking COPY text and inserting its rows in batches (PGlite, see the top). */
function insertSink(client: pg.ClientBase, table: BackupTable, target: BackupTable): Writable {
  const types = table.columns.map((c) => target.columns.find((x) => x.name === c.name)!.type);
  const perBatch = Math.max(1, Math.min(1000, Math.floor(30_000 / types.length)));
  const head = `INSERT INTO ${quoteIdent(table.name)} (${columnList(table)}) VALUES `;
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let batch: (string | null)[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const params: (string | null)[] = [];
    const rows = batch.map((fields) => `(${fields.map((f, i) => (params.push(f), `$${params.length}::${types[i]}`)).join(', ')})`);
    batch = [];
    await client.query(head + rows.join(', '), params);
  };
  const take = async (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      batch.push(parseCopyLine(line));
      if (batch.length >= perBatch) await flush();
    }
  };
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      take(decoder.write(chunk)).then(() => cb(), cb);
    },
    final(cb) {
      (async () => {
        partial += decoder.end();
        if (partial) batch.push(parseCopyLine(partial));
        partial = '';
        await flush();
      })().then(() => cb(), cb);
    },
  });
}

async function restoreSequences(client: pg.ClientBase, manifest: BackupManifest): Promise<void> {
  const present = new Set(
    (await client.query<{ name: string }>('select sequencename as name from pg_sequences where schemaname = current_schema()')).rows.map((r) => r.name),
  );
  for (const s of manifest.sequences) {
    if (s.value !== null && present.has(s.name)) await client.query('select setval($1::regclass, $2, true)', [quoteIdent(s.name), s.value]);
  }
}

/** Reads every restored table back and compares it with the manifest, before the commit. */
async function verify(client: pg.ClientBase, manifest: BackupManifest): Promise<void> {
  for (const t of manifest.tables) {
    const digest = new TableDigest();
    await pipeline(
      client.query(copyTo(copyOutSql({ name: t.name, columns: t.columns }))),
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          digest.update(chunk);
          cb();
        },
      }),
    );
    if (digest.digest() !== t.checksum || digest.rows !== t.rows) {
      throw new RapportError('internal', `restored ${t.name} does not read back as backed up (${digest.rows} rows, ${t.rows} expected); nothing was restored`, { table: t.name });
    }
  }
}
