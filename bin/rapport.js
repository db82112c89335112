#!/usr/bin/env node
// The `rapport` command. Runs the compiled build (build/, written by `npm run build`, which
// `npm ci` runs) while it is newer than every source file, and the TypeScript sources through tsx
// otherwise — so an edit takes effect at once, and an installed checkout starts without a
// TypeScript loader (faster one-shot commands, a smaller `rapport serve`).
// RAPPORT_FROM_SOURCE=1 always runs the sources; RAPPORT_DEBUG=1 maps stack traces to them.
import { buildIsCurrent } from '../scripts/build-state.js';

const root = new URL('..', import.meta.url);
if (process.env.RAPPORT_DEBUG) process.setSourceMapsEnabled(true);
if (process.env.RAPPORT_FROM_SOURCE !== '1' && buildIsCurrent(root.pathname)) {
  await import('../build/src/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
