// The first entry of a backup archive: what it holds and how to check it.
import type { BackupColumn } from './backup-tables.js';

export const ARCHIVE_FORMAT = 'rapport-backup';
export const ARCHIVE_VERSION = 1;

export interface BackupManifest {
  format: typeof ARCHIVE_FORMAT;
  version: number;
  createdAt: string;
  appVersion: string | null;
  /** The kind of database it was taken from; it restores into either. */
  source: 'pglite' | 'postgres';
  /** The schema migrations applied when it was taken (drizzle's journal). */
  migrations: { hash: string; createdAt: number }[];
  /** In restore order (parents first). `checksum`: see TableDigest. */
  tables: { name: string; columns: BackupColumn[]; rows: number; checksum: string }[];
  sequences: { name: string; value: number | null }[];
}

/** The archive entry holding a table's gzipped COPY text. */
export const partName = (table: string) => `tables/${table}.copy.gz`;
