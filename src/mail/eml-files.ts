// The .eml files under the paths a user gave: files as given, directories walked recursively and
// lazily (names only — contents are read one at a time by the caller), in a stable order.
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';

export type EmlEntry = { path: string; error?: undefined } | { path: string; error: string };

const isEml = (name: string) => name.toLowerCase().endsWith('.eml');

async function* walk(dir: string): AsyncGenerator<EmlEntry> {
  let handle;
  try {
    handle = await opendir(dir);
  } catch (e) {
    yield { path: dir, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
    return;
  }
  // One directory's names at a time (sorted for a reproducible order); subdirectories after files.
  const files: string[] = [];
  const dirs: string[] = [];
  for await (const d of handle) {
    if (d.name.startsWith('.')) continue;
    if (d.isDirectory()) dirs.push(d.name);
    else if ((d.isFile() || d.isSymbolicLink()) && isEml(d.name)) files.push(d.name);
  }
  for (const f of files.sort()) yield { path: path.join(dir, f) };
  for (const sub of dirs.sort()) yield* walk(path.join(dir, sub));
}

/** Every .eml file under `paths` (a file given by name is taken whatever its extension). */
export async function* emlFiles(paths: readonly string[]): AsyncGenerator<EmlEntry> {
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch (e) {
      yield { path: p, error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message };
      continue;
    }
    if (s.isDirectory()) yield* walk(p);
    else yield { path: p };
  }
}

/** How many entries `emlFiles(paths)` yields, unreadable ones included (a progress bar's total); walks names only. */
export async function countEmlFiles(paths: readonly string[]): Promise<number> {
  let n = 0;
  for await (const _ of emlFiles(paths)) n++;
  return n;
}
