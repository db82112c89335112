// How V8 sizes the heaps of a Rapport process. Left to itself, V8 lets an isolate's heap grow to
// about four times what is live before it collects, and keeps a young generation of ~48 MB: tuned
// for throughput on a machine with memory to spare. Capture makes much short-lived garbage (every
// batch's rows, payloads and analyses) and holds little, so the main thread's heap swung between
// ~40 and ~195 MB while draining the inbox, and that swing was most of the process's peak.
// `--optimize-for-size` collects sooner and keeps smaller spaces (every isolate of the process,
// worker threads included), but it also makes V8 compile for size: plain request handling runs
// ~35% slower (a Fastify route through inject: 13,400 → 8,700 requests/s).
// So a process on the embedded database, which is one process and is chosen to be small, favours
// small heaps (PGlite, 1,000,000 messages through the inbox: peak 505 MB); a process on a
// PostgreSQL server, which scales with instances, keeps V8's speed. RAPPORT_SMALL_HEAPS=1 or 0
// decides otherwise. V8 reads these settings when it sizes and grows a heap, so setting them once
// at start is enough.
import { setFlagsFromString } from 'node:v8';

let done = false;

/** Whether this process should favour small heaps: RAPPORT_SMALL_HEAPS when set, else on the embedded database. */
export function smallHeapsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const set = env.RAPPORT_SMALL_HEAPS;
  if (set === '1' || set === '0') return set === '1';
  return !env.DATABASE_URL;
}

/** Once per process, before the work starts (src/main.ts). */
export function favourSmallHeaps(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--optimize-for-size');
}
