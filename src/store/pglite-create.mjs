// Creates a new embedded database in the directory given as the only argument, then exits: run by
// openDatabase (database.ts) in a short-lived process of its own. PGlite's initdb is a WebAssembly
// program with a heap of hundreds of MB; in the serving process what it touched stays resident
// long after (memory the allocator keeps, a heap collected late), so a service that created its
// database at first start held ~100–150 MB more for its whole life than one restarted.
// A failure is one line on stderr (the parent puts it in its error) and exit code 1.
import { PGlite } from '@electric-sql/pglite';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: pglite-create.mjs DATA_DIR\n');
  process.exit(2);
}
try {
  const db = await PGlite.create(dataDir);
  await db.close();
} catch (e) {
  // PGlite's file system reports an errno without a message.
  const errno = e && typeof e === 'object' && 'errno' in e ? e.errno : undefined;
  const why = e instanceof Error && e.message ? e.message : errno !== undefined ? `file system error (errno ${errno} in PGlite's file system)` : String(e);
  process.stderr.write(`${why.split('\n')[0]}\n`);
  process.exit(1);
}
