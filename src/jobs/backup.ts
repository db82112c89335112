// The nightly backup (with RAPPORT_BACKUP_DIR set): a `rapport backup` archive named for its time,
// then all but the newest RAPPORT_BACKUP_KEEP archives of that directory are removed. Like the
// other recurring jobs it also runs when the scheduler starts, so a fresh backup less than 20
// hours old is kept instead of taking another.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../context.js';
import { writeBackup } from '../store/backup/write-backup.js';
import type { JobSpec } from './scheduler.js';

const PATTERN = /^rapport-\d{8}T\d{6}Z\.tar$/;

export const backupFileName = (at: Date) => `rapport-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar`;

/** The archives of `dir`, newest first. */
export function backupsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => PATTERN.test(f))
    .sort()
    .reverse();
}

export async function runNightlyBackup(ctx: AppContext, opts: { dir: string; keep: number; now?: Date }): Promise<{ file: string | null; removed: string[] }> {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const now = opts.now ?? new Date();
  const newest = backupsIn(opts.dir)[0];
  let file: string | null = null;
  if (newest && now.getTime() - statSync(join(opts.dir, newest)).mtimeMs < 20 * 3_600_000) {
    ctx.log.info('backup: skipped, the newest backup is less than 20 hours old');
  } else {
    file = join(opts.dir, backupFileName(now));
    const result = await writeBackup(ctx.database, file);
    ctx.log.info({ bytes: result.bytes, tables: result.manifest.tables.length }, 'backup: written');
  }
  const removed = backupsIn(opts.dir).slice(opts.keep);
  for (const f of removed) rmSync(join(opts.dir, f), { force: true });
  return { file, removed };
}

export function backupJob(): JobSpec {
  return {
    name: 'backup-nightly',
    description: 'write a backup archive to RAPPORT_BACKUP_DIR and keep the newest RAPPORT_BACKUP_KEEP',
    every: '0 3 * * *',
    retries: 2,
    retryDelayMs: 10 * 60_000,
    run: async (ctx) => {
      if (!ctx.config.RAPPORT_BACKUP_DIR) return;
      await runNightlyBackup(ctx, { dir: ctx.config.RAPPORT_BACKUP_DIR, keep: ctx.config.RAPPORT_BACKUP_KEEP });
    },
  };
}
