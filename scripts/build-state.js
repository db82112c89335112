// Whether build/ (scripts/build.js) is current: its stamp is newer than every file and directory
// under the sources, so an edit, a new file or a deleted one (its directory changes) makes it stale.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_DIR = 'build';
export const STAMP_FILE = '.built';
export const SOURCE_DIRS = ['src', 'adapters'];

/** True when `root`/build holds a build of the current sources. */
export function buildIsCurrent(root) {
  let built;
  try {
    built = statSync(join(root, BUILD_DIR, STAMP_FILE)).mtimeMs;
  } catch {
    return false;
  }
  for (const dir of SOURCE_DIRS) {
    const base = join(root, dir);
    if (statSync(base).mtimeMs > built) return false;
    for (const e of readdirSync(base, { recursive: true, withFileTypes: true })) {
      if (statSync(join(e.parentPath, e.name)).mtimeMs > built) return false;
    }
  }
  return true;
}
