// Resident memory of an idle `rapport serve`: on the embedded database (PGlite) and on the
// PostgreSQL server, against a bare `node` process in the same run. The targets: ≤ 300 MB
// on the embedded database, ≤ 200 MB on PostgreSQL.
//   npm run bench -- memory
// RAPPORT_BENCH_IDLE_SECONDS (default 45; start-up garbage is usually collected within 30 s): how long each server idles after it is listening
// before its memory is read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuild, rapportBin, rapportEnv, resident, sleep, startUntil, timedRun, type Resident } from './processes.js';
import type { Bench, BenchRow, BenchSection } from './run.js';
import { serverDatabase } from './server-database.js';

const targets = { pglite: 300, postgres: 200 };

async function idleResident(argv: string[], env: NodeJS.ProcessEnv, ready: RegExp, idleMs: number): Promise<Resident & { readyMs: number }> {
  const started = await startUntil(argv, env, ready);
  try {
    await sleep(idleMs);
    return { ...resident(started.child.pid!), readyMs: started.readyMs };
  } finally {
    await started.stop();
  }
}

export const bench: Bench = {
  name: 'memory',
  async run(): Promise<BenchSection> {
    const idleMs = Number(process.env.RAPPORT_BENCH_IDLE_SECONDS ?? 45) * 1000;
    ensureBuild();
    const dir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-memory-'));
    const server = await serverDatabase('rapport_bench_memory');
    if (!server) throw new Error('PostgreSQL is unreachable: the memory benchmark compares both databases');
    const rows: BenchRow[] = [];
    try {
      const dataDir = path.join(dir, 'data');
      timedRun([process.execPath, rapportBin, 'migrate'], rapportEnv({ RAPPORT_DATA_DIR: dataDir }));
      await server.database.migrate();
      const serve = [process.execPath, rapportBin, 'serve', '--port', '0'];
      const listening = /rapport listening on/;

      const bare = await idleResident([process.execPath, '-e', "console.log('ready'); setInterval(() => {}, 1000)"], rapportEnv({}), /ready/, idleMs);
      rows.push({ name: 'baseline — bare node, idle', values: { 'RSS MB': bare.rssMb, 'peak MB': bare.peakMb, 'ready s': bare.readyMs / 1000 }, ratio: null });

      const measure = async (name: string, env: Record<string, string>, target: number, note = '') => {
        const r = await idleResident(serve, rapportEnv(env), listening, idleMs);
        const verdict = r.rssMb <= target ? `within the ${target} MB target` : `over the ${target} MB target`;
        rows.push({
          name,
          values: { 'RSS MB': r.rssMb, 'peak MB': r.peakMb, 'ready s': r.readyMs / 1000 },
          ratio: bare.rssMb / r.rssMb,
          note: [verdict, note].filter(Boolean).join('; '),
        });
      };
      // Jobs on, as configured by default (the digest tick runs at start, then every minute).
      const pglite = { RAPPORT_DATA_DIR: dataDir, RAPPORT_JOBS: 'on' };
      const postgres = { DATABASE_URL: server.url, RAPPORT_DATA_DIR: path.join(dir, 'unused'), RAPPORT_JOBS: 'on' };
      await measure('rapport serve · PGlite (compiled build)', pglite, targets.pglite);
      await measure('rapport serve · PGlite, RAPPORT_JOBS=off (compiled build)', { ...pglite, RAPPORT_JOBS: 'off' }, targets.pglite, 'no scheduler: nothing reaches PGlite over its socket');
      await measure('rapport serve · PGlite, from the sources (tsx)', { ...pglite, RAPPORT_FROM_SOURCE: '1' }, targets.pglite, 'what a checkout runs while its build is stale');
      await measure('rapport serve · PGlite, first start on an empty directory', { ...pglite, RAPPORT_DATA_DIR: path.join(dir, 'fresh') }, targets.pglite, "includes PGlite's initdb instance, garbage until collected");
      await measure('rapport serve · PostgreSQL (compiled build)', postgres, targets.postgres);
      await measure('rapport serve · PostgreSQL, from the sources (tsx)', { ...postgres, RAPPORT_FROM_SOURCE: '1' }, targets.postgres);
    } finally {
      await server.drop();
      rmSync(dir, { recursive: true, force: true });
    }
    return {
      title: 'Memory: idle rapport serve',
      about: `\`rapport serve --port 0\` (bin/rapport.js, jobs on as by default unless the row says otherwise, no mailboxes, mail sync off) on a migrated empty database, idle for ${idleMs / 1000} s after it is listening (\`RAPPORT_BENCH_IDLE_SECONDS\`), then its resident set (VmRSS) and peak (VmHWM) read from /proc. Ratios are memory ratios (bare node ÷ rapport; > 1 would be smaller than bare node).`,
      baseline: 'a bare `node` process idling on a timer, started and measured the same way',
      columns: ['RSS MB', 'peak MB', 'ready s'],
      rows,
    };
  },
};
