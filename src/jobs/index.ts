// Every job Rapport runs, in one list. A new recurring task adds its spec here.
import type { JobSpec } from './scheduler.js';

export function allJobs(): JobSpec<never>[] {
  return [];
}
