// `npm run build` (and `npm ci`, through `prepare`): compiles src/ and adapters/ to JavaScript in
// build/, file by file (no bundling), so `rapport` starts without transpiling TypeScript in a
// loader thread — a one-shot command starts faster and `rapport serve` holds about 90 MB less.
//
// build/ mirrors the checkout: build/src/… and build/adapters/… hold the compiled modules and a
// copy of every other file there (migrations, console assets, the worker entry), and the other
// top-level entries (package.json, demo/, models/, …) are links to the real ones, so paths written
// relative to a module (`new URL('../../package.json', import.meta.url)`) mean the same thing in
// both. bin/rapport.js runs build/ only while it is newer than every source (build-state.js), and
// the sources through tsx otherwise, so an edit never runs stale code.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, STAMP_FILE, SOURCE_DIRS, buildIsCurrent } from './build-state.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Top-level entries that are not linked into build/: compiled, tooling, or never read at run time. */
const notLinked = new Set([...SOURCE_DIRS, BUILD_DIR, 'node_modules', 'test', 'bench', 'scripts', 'bin', 'data', 'eslint', 'tsconfig.json', 'package-lock.json']);
const isToolConfig = (entry) => /\.config\.[cm]?[jt]s$/.test(entry);

function files(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

async function main() {
  // `--if-stale` (npm test): nothing to do while build/ is newer than every source.
  if (process.argv.includes('--if-stale') && buildIsCurrent(root)) return;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('build: esbuild is not installed; rapport runs from the TypeScript sources\n');
    return;
  }
  const started = Date.now();
  const sources = SOURCE_DIRS.flatMap(files);
  const modules = sources.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  // Built beside the old build and swapped in at the end, so a running `rapport` never sees half of one.
  const out = join(root, `${BUILD_DIR}.tmp-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: modules.map((f) => join(root, f)),
    outdir: out,
    outbase: root,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20.10', // keeps import attributes (`with { type: 'json' }`)
    // Maps beside the modules: `RAPPORT_DEBUG=1` turns them on for stack traces (bin/rapport.js).
    sourcemap: 'linked',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  for (const f of sources.filter((f) => !/\.tsx?$/.test(f))) {
    mkdirSync(join(out, f, '..'), { recursive: true });
    cpSync(join(root, f), join(out, f));
  }
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('.') || notLinked.has(entry) || isToolConfig(entry) || entry.startsWith(`${BUILD_DIR}.`)) continue;
    symlinkSync(join('..', entry), join(out, entry));
  }
  writeFileSync(join(out, STAMP_FILE), `${new Date(started).toISOString()}\n`);
  const target = join(root, BUILD_DIR);
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(out, target);
  rmSync(old, { recursive: true, force: true });
  process.stderr.write(`build: ${modules.length} modules compiled to ${BUILD_DIR}/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((e) => {
  process.stderr.write(`build failed: ${e.stack ?? e}\n`);
  process.exitCode = 1;
});
