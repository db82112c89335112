// `npm run bench`: runs every bench/*.bench.ts module and writes BENCHMARKS.md.
//
// The contract for a benchmark module (small on purpose):
//
//   import type { Bench } from './run.js';
//   export const bench: Bench = { name: 'import', async run() { …; return section; } };
//
// - `name` is short and unique; `npm run bench -- import api` runs only those names.
// - `run()` measures and returns one BenchSection: a title, a paragraph saying what ran on what
//   data, the baseline, and rows. Every section measures its own baseline IN THE SAME RUN, on the
//   same machine and data, and each row carries its `ratio` to that baseline (result ÷ baseline,
//   > 1 meaning better than the baseline; null on the baseline row). Absolute numbers drift with
//   the machine and its load, ratios much less: compare ratios across runs.
// - `values` are the measured columns of the row, in the order of `columns` (rows/s, ms, …);
//   numbers are printed with sensible precision, strings as they are.
// - A benchmark cleans up what it creates (temp dirs, databases) even when it fails, and throws
//   when it could not measure; run.ts reports that section as failed and exits non-zero.
// - Sizes come from environment variables with defaults (e.g. BENCH_ROWS), named in `about`.
//
// `npm run bench -- capture --json FILE` also writes the measured sections as JSON (command, date,
// machine, and per section its rows with name, values and ratio), for programs to read.
//
// The runner imports each module (so a module must not start work at import time; with names, only
// NAME.bench.ts when every name has such a file), runs the benches one after another, and writes
// BENCHMARKS.md with the command, date, machine and a table per section. A module in bench/ named
// *.bench.ts that does not export `bench` is listed as not run, and the exit code is 1.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchRow {
  /** What ran, e.g. "rapport import customers · PGlite". */
  name: string;
  /** Measured values by column name (see BenchSection.columns). */
  values: Record<string, number | string>;
  /** Result ÷ the baseline of the same run (> 1: better than the baseline); null on the baseline row. */
  ratio: number | null;
  note?: string;
}

export interface BenchSection {
  /**
   * Where in BENCHMARKS.md the section goes (its marker), when not under the bench's name: a run
   * at a size of its own (`BENCH_MESSAGES=1000000`) keeps its own section beside the default one.
   */
  key?: string;
  title: string;
  /** What ran, on what data and sizes (and the env vars that change them). Markdown. */
  about: string;
  /** What the ratios are against, measured in the same run. */
  baseline: string;
  /** The value columns, in order; each row's `values` has these keys. */
  columns: string[];
  rows: BenchRow[];
}

export interface Bench {
  name: string;
  run(): Promise<BenchSection>;
}

const benchDir = import.meta.dirname;
const root = path.join(benchDir, '..');

function formatValue(v: number | string | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 100) return Math.round(v).toLocaleString('en-US');
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export function sectionMarkdown(s: BenchSection): string {
  const head = ['run', ...s.columns, `ratio to baseline`, 'note'];
  const lines = [`## ${s.title}`, '', s.about, '', `Baseline: ${s.baseline}.`, '', `| ${head.join(' | ')} |`, `|---|${s.columns.map(() => '---:').join('|')}|---:|---|`];
  for (const r of s.rows) {
    const cells = [r.name, ...s.columns.map((c) => formatValue(r.values[c])), r.ratio === null ? 'baseline' : `${r.ratio.toFixed(3)}×`, r.note ?? ''];
    lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}

const MARKER = /^<!-- bench:(\S+) -->$/m;

function withProvenance(name: string, md: string, provenance: string): string {
  const [title, ...rest] = md.split('\n');
  return [`<!-- bench:${name} -->`, title, '', provenance, ...rest].join('\n');
}

/** The sections of an existing BENCHMARKS.md, by bench name (each starts at its marker). */
function previousSections(file: string): Map<string, string> {
  const sections = new Map<string, string>();
  if (!existsSync(file)) return sections;
  const text = readFileSync(file, 'utf8').split(/^## Not measured/m)[0]!;
  const parts = text.split(/^(?=<!-- bench:\S+ -->$)/m);
  for (const part of parts) {
    const name = MARKER.exec(part)?.[1];
    if (name) sections.set(name, part.trimEnd());
  }
  return sections;
}

function checkSection(name: string, s: BenchSection): void {
  if (!s.rows.some((r) => r.ratio === null)) throw new Error(`bench ${name} has no baseline row (ratio: null)`);
  if (!s.rows.some((r) => typeof r.ratio === 'number' && Number.isFinite(r.ratio))) throw new Error(`bench ${name} reports no ratio to its baseline`);
}

function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}, Node ${process.version}; load average at start ${load}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  if (jsonAt >= 0 && (!jsonFile || jsonFile.startsWith('--'))) {
    process.stderr.write('bench: --json needs a file name (npm run bench -- capture --json out.json)\n');
    return 2;
  }
  const wanted = jsonAt >= 0 ? args.filter((_, i) => i !== jsonAt && i !== jsonAt + 1) : args;
  const all = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  // Named benches that live in NAME.bench.ts are the only modules loaded: the others' imports would
  // sit in the memory a bench measures (the capture bench's peak RSS is the whole process).
  const named = wanted.map((w) => `${w}.bench.ts`);
  const files = wanted.length > 0 && named.every((f) => all.includes(f)) ? named.sort() : all;
  const startedAt = new Date();
  const machineLine = machine();
  const sections = new Map<string, string>();
  const measured: { name: string; section: BenchSection }[] = [];
  const problems: string[] = [];
  const names: string[] = [];
  for (const file of files) {
    let mod: { bench?: Bench };
    try {
      mod = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { bench?: Bench };
    } catch (e) {
      problems.push(`- \`bench/${file}\`: could not be loaded: ${(e as Error).message}`);
      continue;
    }
    const bench = mod.bench;
    if (!bench || typeof bench.run !== 'function' || typeof bench.name !== 'string') {
      problems.push(`- \`bench/${file}\`: not run — it does not export \`bench: Bench\` (see the contract at the top of bench/run.ts).`);
      continue;
    }
    names.push(bench.name);
    if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
    process.stderr.write(`bench ${bench.name} (${file})…\n`);
    const t0 = performance.now();
    try {
      const section = await bench.run();
      checkSection(bench.name, section);
      sections.set(section.key ?? bench.name, sectionMarkdown(section));
      measured.push({ name: bench.name, section });
      process.stderr.write(`bench ${bench.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      problems.push(`- \`${bench.name}\` failed: ${(e as Error).message}`);
      process.stderr.write(`bench ${bench.name} failed: ${(e as Error).stack}\n`);
    }
  }
  for (const w of wanted.filter((w) => !names.includes(w))) problems.push(`- \`${w}\`: no bench of that name.`);

  const command = ['npm run bench', ...(wanted.length ? ['--', ...wanted] : [])].join(' ');
  const env = Object.entries(process.env)
    .filter(([k]) => /^(BENCH_|RAPPORT_BENCH_)/.test(k))
    .map(([k, v]) => `${k}=${v}`);
  const fullCommand = `${env.length ? `${env.join(' ')} ` : ''}${command}`;
  const provenance = `_Measured by \`${fullCommand}\` on ${startedAt.toISOString()}; ${machineLine}._`;
  const fresh = new Map([...sections].map(([name, md]) => [name, withProvenance(name, md, provenance)]));
  // A partial run (`npm run bench -- import`) replaces only its own sections; the others stay, each
  // with the command and date that produced it.
  const kept = wanted.length > 0 ? previousSections(path.join(root, 'BENCHMARKS.md')) : new Map<string, string>();
  const merged = new Map([...kept, ...fresh]);
  const doc = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Each section measures its own',
    'baseline in the same run: compare the ratios, not the absolute numbers, across machines and runs.',
    '',
    `- Last command: \`${fullCommand}\``,
    `- Date: ${startedAt.toISOString()}`,
    `- Machine: ${machineLine}`,
    '',
    ...[...merged.keys()].sort().flatMap((name) => [merged.get(name)!, '']),
    ...(problems.length ? ['## Not measured (last command)', '', ...problems, ''] : []),
  ].join('\n');
  await writeFile(path.join(root, 'BENCHMARKS.md'), doc);
  if (jsonFile) {
    const json = {
      command: fullCommand, date: startedAt.toISOString(), machine: machineLine,
      sections: measured.map(({ name, section }) => ({ name, title: section.title, baseline: section.baseline, columns: section.columns, rows: section.rows })),
      problems,
    };
    await writeFile(path.resolve(jsonFile), `${JSON.stringify(json, null, 2)}\n`);
    process.stderr.write(`wrote ${jsonFile}\n`);
  }
  process.stderr.write(`wrote BENCHMARKS.md (${fresh.size} section(s) measured${problems.length ? `, ${problems.length} problem(s)` : ''})\n`);
  return problems.length > 0 ? 1 : 0;
}

// No top-level await: bench modules import sectionMarkdown from this module, and an entry module
// still awaiting would deadlock their import (Node exits 13, "unsettled top-level await").
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bench: ${(e as Error).stack}\n`);
      process.exitCode = 1;
    },
  );
}
