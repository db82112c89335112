// Child processes for the memory and cli benchmarks: the `rapport` command as users run it
// (bin/rapport.js, on the compiled build, or on the sources with RAPPORT_FROM_SOURCE=1), its wall
// time, and the resident memory of a long-running one read from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildIsCurrent } from '../scripts/build-state.js';

export const root = path.join(import.meta.dirname, '..');
export const rapportBin = path.join(root, 'bin/rapport.js');

/** Compiles build/ when it is missing or older than the sources, so bin/rapport.js runs it. */
export function ensureBuild(): void {
  if (buildIsCurrent(root)) return;
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !buildIsCurrent(root)) throw new Error('npm run build failed: the benchmark measures the compiled build');
}

/** Environment for a child `rapport`: quiet, no jobs, no mail, and none of this process's database settings. */
export function rapportEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', RAPPORT_JOBS: 'off', RAPPORT_EMAIL_SYNC: 'off' };
  delete env.DATABASE_URL;
  delete env.RAPPORT_FROM_SOURCE;
  return { ...env, ...extra };
}

/** Runs a command to the end; its wall time in ms. Throws when it fails. */
export function timedRun(argv: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.slice(1).join(' ')} exited ${r.status}: ${(r.stderr ?? '').slice(0, 300)}`);
  return ms;
}

export interface Resident {
  /** Resident set now (VmRSS), MB. */
  rssMb: number;
  /** The most it was resident (VmHWM), MB. */
  peakMb: number;
}

export function resident(pid: number): Resident {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Starts a new peak for this process: the kernel sets VmHWM back to the resident set now (writing 5
 * to clear_refs, Linux 4.0 and later). False where it cannot; peaks read later then count from the
 * process's start, which still bounds the phase from above.
 */
export function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export interface Started {
  child: ChildProcess;
  /** ms from spawn until `ready` matched its output. */
  readyMs: number;
  stop(): Promise<void>;
}

/** Starts a long-running process and waits (with a deadline) for a line of its output to match `ready`. */
export async function startUntil(argv: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 180_000): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${argv.slice(1).join(' ')} was not ready within ${timeoutMs} ms: ${output.slice(-300)}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${argv.slice(1).join(' ')} exited ${code} before it was ready: ${output.slice(-300)}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { child, readyMs: performance.now() - t0, stop };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
