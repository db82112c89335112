// The data-directory lock: taken exclusively, answered with its live holder, taken over when its
// process is gone or its pid now belongs to another process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, LOCK_FILE, lockHolder, processStartOf } from '../../../src/store/data-dir-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rapport-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('data directory lock', () => {
  it('is taken once: a second taker learns the holder, and release frees it', () => {
    const first = acquireDataDirLock(dir, 'serve');
    expect('lock' in first).toBe(true);
    const second = acquireDataDirLock(dir, 'token create');
    expect(second).toEqual({ holder: expect.objectContaining({ pid: process.pid, command: 'serve', socketDir: null }) });
    if (!('lock' in first)) return;
    first.lock.share('/tmp/x');
    expect(lockHolder(dir)).toMatchObject({ pid: process.pid, socketDir: '/tmp/x' });
    first.lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(lockHolder(dir)).toBeNull();
  });

  it('takes over the lock of a process that is gone', () => {
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, started: '1', command: 'serve', socketDir: null, since: '' }));
    expect(lockHolder(dir)).toBeNull();
    const taken = acquireDataDirLock(dir, 'token list');
    expect('lock' in taken).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'token list' });
    if ('lock' in taken) taken.lock.release();
  });

  it('takes over a lock whose pid now belongs to another process (a reused pid)', () => {
    // Our parent is alive, but it is not the process that wrote this lock: its start time differs.
    const pid = process.ppid;
    expect(processStartOf(pid)).not.toBeNull();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, started: 'another process', command: 'serve', socketDir: null, since: '' }));
    const taken = acquireDataDirLock(dir, 'migrate');
    expect('lock' in taken).toBe(true);
    if ('lock' in taken) taken.lock.release();
  });

  it('never removes a lock another process holds when releasing its own stale one', () => {
    const taken = acquireDataDirLock(dir, 'import customers');
    if (!('lock' in taken)) throw new Error('not taken');
    // Someone else's lock replaced ours meanwhile (ours was judged stale).
    const other = JSON.stringify({ pid: process.ppid, started: processStartOf(process.ppid), command: 'serve', socketDir: null, since: '' });
    writeFileSync(join(dir, LOCK_FILE), other);
    taken.lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(other);
  });
});
