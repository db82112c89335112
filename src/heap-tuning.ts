// How V8 sizes the heaps of a Rapport process. Left to itself, V8 lets an isolate's heap grow to
// about four times what is live before it collects, and keeps a young generation of ~48 MB: tuned
// for throughput on a machine with memory to spare. Capture makes much short-lived garbage (every
// batch's rows, payloads and analyses) and holds little, so the main thread's heap swung between
// ~40 and ~195 MB while draining the inbox, and that swing was most of the process's peak.
// `--optimize-for-size` collects sooner and keeps smaller spaces; it applies to every isolate of
// the process, worker threads included. Measured on the capture bench (PGlite, 30,000 messages):
// peak resident set 663 → 493 MB at the same speed (867 vs 889 messages/s). V8 reads these settings
// when it sizes and grows a heap, so setting them once at start is enough.
import { setFlagsFromString } from 'node:v8';

let done = false;

/** Once per process, before the work starts (src/main.ts). */
export function favourSmallHeaps(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--optimize-for-size');
}
