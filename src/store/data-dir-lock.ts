// One writer per embedded data directory. PGlite has no lock of its own: two processes opening one
// directory each see their own copy, and both write it back. So whoever opens a data directory
// first writes `rapport.lock` (created exclusively) holding its pid, the start time of that
// process, the command, and — for `rapport serve` — the socket it shares the database on. A lock
// dies with its process: a lock whose pid is gone, or now belongs to another process (a pid is
// reused; the start time tells), is stale and is taken over.
//
// Hand-written rather than proper-lockfile: that one judges a lock stale by the age of its mtime,
// so for ten seconds after a crash the directory would look busy, and it records no pid to name.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'rapport.lock';

export interface LockHolder {
  pid: number;
  /** Identifies the process beyond its pid (start time), so a reused pid is not mistaken for it. */
  started: string;
  /** What the holder runs, for messages: `serve`, `import customers`, … */
  command: string;
  /** Where the holder shares the database (`rapport serve` only), once it does. */
  socketDir: string | null;
  since: string;
}

export interface DataDirLock {
  file: string;
  /** Records where the database is shared (serve), for other processes to connect. */
  share(socketDir: string): void;
  release(): void;
}

export type LockResult = { lock: DataDirLock } | { holder: LockHolder };

/** The start time of a process, or null when it does not exist. */
export function processStartOf(pid: number): string | null {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it exists, owned by someone else.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  try {
    // Field 22 of /proc/PID/stat, after the command name in parentheses (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    // Not Linux: ask ps.
    try {
      return execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  }
}

/** The live holder of the lock in `dataDir`, or null (no lock, or a stale one). */
export function lockHolder(dataDir: string): LockHolder | null {
  const holder = readLock(join(dataDir, LOCK_FILE));
  return holder && isAlive(holder) ? holder : null;
}

function readLock(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  return holder.pid === process.pid || processStartOf(holder.pid) === holder.started;
}

/**
 * Takes the lock of `dataDir` for this process, or answers who holds it. A stale lock is removed
 * under a short takeover guard (a directory, created atomically), so two processes finding the
 * same stale lock never both take it.
 */
export function acquireDataDirLock(dataDir: string, command: string): LockResult {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, started: processStartOf(process.pid) ?? '', command, socketDir: null, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      return { lock: ownLock(file, me) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readLock(file);
    if (holder && isAlive(holder)) return { holder };
    // A lock file being written this instant reads as empty: look again before calling it stale.
    if (!holder && attempt < 3) {
      sleep(20);
      continue;
    }
    removeStale(file, holder);
  }
  throw new Error(`could not take the lock ${file}`);
}

function removeStale(file: string, seen: LockHolder | null): void {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch {
    // Another process is taking over; a guard left by a crash is removed after a few seconds.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 5000) rmdirSync(guard);
    } catch {
      // gone meanwhile
    }
    sleep(20);
    return;
  }
  try {
    const now = readLock(file);
    if (JSON.stringify(now) === JSON.stringify(seen)) rmSync(file, { force: true });
  } finally {
    rmdirSync(guard);
  }
}

function ownLock(file: string, me: LockHolder): DataDirLock {
  let held = true;
  const onExit = () => release();
  function release() {
    if (!held) return;
    held = false;
    process.off('exit', onExit);
    // Only our own lock: never remove one another process took after ours went stale.
    if (readLock(file)?.pid === me.pid) rmSync(file, { force: true });
  }
  process.on('exit', onExit);
  return {
    file,
    share(socketDir) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ ...me, socketDir }), { mode: 0o600 });
      renameSync(tmp, file);
    },
    release,
  };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
