// `rapport backup FILE`: one REPEATABLE READ, read-only transaction — a snapshot, consistent while
// the service keeps writing — streams every table with COPY … TO STDOUT, gzipped, into a tar
// archive whose first entry is a manifest (migrations, row counts and checksums per table,
// sequences). The same on PGlite and PostgreSQL, no pg_dump binary, and an archive from either
// restores into either. The archive is written next to FILE and renamed at the end, so FILE is
// never half a backup.
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { to as copyTo } from 'pg-copy-streams';
import { pack as tarPack } from 'tar-stream';
import type { Database } from '../database.js';
import { withPgClient } from '../pg-client.js';
import { backupTables, copyOutSql, portableSettings, TableDigest } from './backup-tables.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, partName, type BackupManifest } from './manifest.js';

export interface BackupProgress {
  table: string;
  /** Rows of this table written so far. */
  rows: number;
  /** Rows in this table, and in all tables (known before the first row is read). */
  tableRows: number;
  doneRows: number;
  totalRows: number;
}

export interface BackupOptions {
  onProgress?: (p: BackupProgress) => void;
  /** Rapport's version, recorded in the manifest. */
  appVersion?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export async function writeBackup(database: Database, file: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const work = mkdtempSync(join(tmpdir(), 'rapport-backup-'));
  try {
    mkdirSync(dirname(join(work, partName('x'))), { recursive: true });
    const manifest = await withPgClient(database, async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        for (const s of portableSettings) await client.query(s);
        const tables = await backupTables(client);
        const counts = new Map<string, number>();
        for (const t of tables) {
          const r = await client.query<{ n: string }>(`select count(*) as n from "${t.name}"`);
          counts.set(t.name, Number(r.rows[0]!.n));
        }
        const totalRows = [...counts.values()].reduce((a, b) => a + b, 0);
        const migrations = await client.query<{ hash: string; created_at: string }>(
          'select hash, created_at from drizzle.__drizzle_migrations order by created_at',
        );
        const sequences = await client.query<{ name: string; value: string | null }>(
          'select sequencename as name, last_value::text as value from pg_sequences where schemaname = current_schema() order by 1',
        );
        const m: BackupManifest = {
          format: ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          createdAt: new Date().toISOString(),
          appVersion: opts.appVersion ?? null,
          source: database.kind,
          migrations: migrations.rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) })),
          tables: [],
          sequences: sequences.rows.map((r) => ({ name: r.name, value: r.value === null ? null : Number(r.value) })),
        };
        let doneRows = 0;
        for (const t of tables) {
          const digest = new TableDigest();
          const tableRows = counts.get(t.name) ?? 0;
          let lastReport = 0;
          const tap = new Transform({
            transform(chunk: Buffer, _enc, cb) {
              digest.update(chunk);
              if (opts.onProgress && Date.now() - lastReport > 200) {
                lastReport = Date.now();
                opts.onProgress({ table: t.name, rows: digest.rows, tableRows, doneRows: doneRows + digest.rows, totalRows });
              }
              cb(null, chunk);
            },
          });
          await pipeline(client.query(copyTo(copyOutSql(t))), tap, createGzip(), createWriteStream(join(work, partName(t.name))));
          const checksum = digest.digest();
          doneRows += digest.rows;
          opts.onProgress?.({ table: t.name, rows: digest.rows, tableRows, doneRows, totalRows });
          m.tables.push({ name: t.name, columns: t.columns, rows: digest.rows, checksum });
        }
        await client.query('COMMIT');
        return m;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    });

    const partial = `${file}.partial`;
    try {
      await packArchive(partial, work, manifest);
    } catch (e) {
      rmSync(partial, { force: true });
      throw e;
    }
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, manifest };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function packArchive(path: string, work: string, manifest: BackupManifest): Promise<void> {
  const archive = tarPack();
  const written = pipeline(archive, createWriteStream(path, { mode: 0o600 }));
  const manifestJson = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  archive.entry({ name: 'manifest.json', size: manifestJson.length, mode: 0o600 }, manifestJson);
  for (const t of manifest.tables) {
    const part = join(work, partName(t.name));
    const entry = archive.entry({ name: partName(t.name), size: statSync(part).size, mode: 0o600 });
    await pipeline(createReadStream(part), entry);
  }
  archive.finalize();
  await written;
}
