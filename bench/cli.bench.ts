// Wall time of one-shot `rapport` commands on the embedded database, as a cron job or a person
// runs them, against starting bare `node` in the same run. The target: ≤ 1 s.
//   npm run bench -- cli
// RAPPORT_BENCH_CLI_RUNS (default 5): runs per command; the median is reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuild, median, rapportBin, rapportEnv, startUntil, timedRun } from './processes.js';
import type { Bench, BenchRow, BenchSection } from './run.js';

const TARGET_MS = 1000;

export const bench: Bench = {
  name: 'cli',
  async run(): Promise<BenchSection> {
    const runs = Number(process.env.RAPPORT_BENCH_CLI_RUNS ?? 5);
    ensureBuild();
    const dir = mkdtempSync(path.join(tmpdir(), 'rapport-bench-cli-'));
    const rows: BenchRow[] = [];
    try {
      const env = rapportEnv({ RAPPORT_DATA_DIR: path.join(dir, 'data') });
      timedRun([process.execPath, rapportBin, 'migrate'], env);
      timedRun([process.execPath, rapportBin, 'customers', 'create', '--name', '王芳', '--email', 'wang@example.cn'], env);
      const time = (argv: string[], e: NodeJS.ProcessEnv) => {
        const ms = Array.from({ length: runs }, () => timedRun(argv, e));
        return { median: median(ms), min: Math.min(...ms) };
      };
      const bare = time([process.execPath, '-e', ''], env);
      rows.push({ name: "baseline — node -e ''", values: { 'median ms': bare.median, 'min ms': bare.min }, ratio: null });
      const commands: [string, string[]][] = [
        ['rapport --version', ['--version']],
        ['rapport --help', ['--help']],
        ['rapport customers list · PGlite', ['customers', 'list']],
        ['rapport status · PGlite', ['status']],
      ];
      for (const [source, label] of [[false, 'compiled build'], [true, 'from the sources (tsx)']] as const) {
        for (const [name, args] of commands) {
          const t = time([process.execPath, rapportBin, ...args], source ? { ...env, RAPPORT_FROM_SOURCE: '1' } : env);
          rows.push({
            name: `${name} (${label})`,
            values: { 'median ms': t.median, 'min ms': t.min },
            ratio: bare.median / t.median,
            note: t.median <= TARGET_MS ? 'within the 1 s target' : 'over the 1 s target',
          });
        }
      }
      // While `rapport serve` holds the data directory, commands reach its database over its socket
      // (no PGlite of their own): the usual case on a machine that runs the service.
      const serve = await startUntil([process.execPath, rapportBin, 'serve', '--port', '0'], rapportEnv({ RAPPORT_DATA_DIR: path.join(dir, 'data') }), /rapport listening on/);
      try {
        for (const [name, args] of commands.slice(2)) {
          const t = time([process.execPath, rapportBin, ...args], env);
          rows.push({
            name: `${name}, through a running rapport serve (compiled build)`,
            values: { 'median ms': t.median, 'min ms': t.min },
            ratio: bare.median / t.median,
            note: t.median <= TARGET_MS ? 'within the 1 s target' : 'over the 1 s target',
          });
        }
      } finally {
        await serve.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return {
      title: 'One-shot CLI commands: wall time',
      about: `Each command runs ${runs} times (\`RAPPORT_BENCH_CLI_RUNS\`) as a child process of bin/rapport.js on a migrated embedded database holding one customer (each run opens PGlite itself, except in the rows "through a running rapport serve"); the median and the fastest run are reported. "compiled build" is what \`npm ci\` leaves (build/), "from the sources" is a checkout whose build is stale (RAPPORT_FROM_SOURCE=1). Ratios are speed ratios (node's start ÷ the command's).`,
      baseline: "starting bare `node -e ''` the same way",
      columns: ['median ms', 'min ms'],
      rows,
    };
  },
};
