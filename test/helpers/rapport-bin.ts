// The `rapport` command as users run it: bin/rapport.js, which runs the compiled build while it is
// current (`npm test` builds it first when a source is newer) and the TypeScript sources otherwise,
// so a test never runs stale code and a child process starts without a TypeScript loader.
import { fileURLToPath } from 'node:url';

export const rapportBin = fileURLToPath(new URL('../../bin/rapport.js', import.meta.url));
