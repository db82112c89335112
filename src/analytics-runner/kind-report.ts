// What `rapport kinds report|evaluate` and the nightly log say about the kind classifier: the live
// model's scores (holdout or cross-validation) and how people corrected it.
import { readFileSync } from 'node:fs';
import { parseKindCorpus } from '../analytics/kind-corpus.js';
import { evaluateKindModel, type KindMetrics } from '../analytics/kind-evaluation.js';
import type { AppContext } from '../context.js';
import { RapportError } from '../core/errors.js';
import { correctionCounts, kindModelVersions, type CorrectionCounts } from '../store/kinds-repo.js';
import { loadLiveKindModel } from './kind-classifier.js';

export interface KindReport {
  live: { version: number; source: 'database' | 'default'; trainedOn: Record<string, unknown> };
  /** Where the live model's numbers come from. */
  measuredOn: 'holdout.tsv' | 'split' | 'cross-validation' | null;
  metrics: KindMetrics | null;
  versions: { version: number; promoted: boolean; createdAt: string; score: number | null }[];
  corrections: CorrectionCounts;
}

export async function kindReport(ctx: AppContext): Promise<KindReport> {
  const db = ctx.database.db;
  const live = await loadLiveKindModel(db);
  const holdout = live.metrics.holdout as { source: 'holdout.tsv' | 'split'; metrics: KindMetrics } | undefined;
  const cv = live.metrics.cv as KindMetrics | undefined;
  const versions = await kindModelVersions(db);
  return {
    live: { version: live.version, source: live.source, trainedOn: live.model.trainedOn },
    measuredOn: holdout ? holdout.source : cv ? 'cross-validation' : null,
    metrics: holdout?.metrics ?? cv ?? null,
    versions: versions.map((v) => ({ version: v.version, promoted: v.promoted, createdAt: v.createdAt.toISOString(), score: (v.metrics.holdout as { score?: number } | undefined)?.score ?? null })),
    corrections: await correctionCounts(db),
  };
}

/** The live model on a labeled TSV (columns lang kind sentiment text). */
export async function evaluateKindFile(ctx: AppContext, file: string): Promise<KindMetrics & { version: number; file: string }> {
  let tsv: string;
  try {
    tsv = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RapportError('validation', `cannot read ${file}: ${(e as Error).message}`);
  }
  const examples = parseKindCorpus(tsv, file);
  const live = await loadLiveKindModel(ctx.database.db);
  return { ...evaluateKindModel(live.model, examples), version: live.version, file };
}

const pct = (x: number) => x.toFixed(3);

/** Accuracy per language and precision/recall per kind, as a table for people. */
export function metricsTable(m: KindMetrics): string {
  const langs = Object.entries(m.byLanguage);
  const lines = [
    `messages ${m.n}: kind accuracy ${pct(m.kindAccuracy)}, sentiment accuracy ${pct(m.sentimentAccuracy)}`,
    ...langs.map(([l, s]) => `  ${l.padEnd(4)} ${String(s.n).padStart(5)} messages: kind ${pct(s.kindAccuracy)}, sentiment ${pct(s.sentimentAccuracy)}`),
    '',
    `${'kind'.padEnd(10)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'support'.padStart(8)}${langs.map(([l]) => `  ${`${l} P/R`.padStart(11)}`).join('')}`,
    ...Object.entries(m.perKind).map(([k, v]) =>
      `${k.padEnd(10)} ${pct(v.precision).padStart(9)} ${pct(v.recall).padStart(7)} ${String(v.support).padStart(8)}${langs.map(([, s]) => `  ${`${pct(s.perKind[k]!.precision)}/${pct(s.perKind[k]!.recall)}`.padStart(11)}`).join('')}`),
    '',
    `${'sentiment'.padEnd(10)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'support'.padStart(8)}`,
    ...Object.entries(m.perSentiment).map(([k, v]) => `${k.padEnd(10)} ${pct(v.precision).padStart(9)} ${pct(v.recall).padStart(7)} ${String(v.support).padStart(8)}`),
  ];
  return lines.join('\n');
}

export function reportText(r: KindReport): string {
  const c = r.corrections;
  return [
    `live kind model: v${r.live.version} (${r.live.source === 'default' ? 'the default, built from the corpus' : 'trained nightly'}), measured on ${r.measuredOn ?? 'nothing yet'}`,
    r.metrics ? metricsTable(r.metrics) : '(no metrics stored)',
    '',
    `corrections: ${c.total} on ${c.messages} messages`,
    ...(c.kinds.length ? ['  kind (from → to):', ...c.kinds.map((k) => `    ${k.from} → ${k.to}: ${k.n}`)] : []),
    ...(c.sentiments.length ? ['  sentiment set to:', ...c.sentiments.map((s) => `    ${s.to}: ${s.n}`)] : []),
    ...(Object.keys(c.bySource).length ? [`  by source: ${Object.entries(c.bySource).map(([s, n]) => `${s} ${n}`).join(', ')}`] : []),
    ...(r.versions.length ? ['', 'versions:', ...r.versions.map((v) => `  v${v.version} ${v.createdAt.slice(0, 16)} ${v.promoted ? 'promoted' : 'kept back'}${v.score !== null ? ` (holdout score ${v.score})` : ''}`)] : []),
  ].join('\n');
}
