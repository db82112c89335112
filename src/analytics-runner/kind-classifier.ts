// The learned kind/sentiment classifier wired to files and the database: the corpus in
// corpus/kinds, the committed default model (models/kind-default.json, built from the corpus by
// `rapport kinds train --default`), model versions and corrections in the store, and the nightly
// retrain that promotes a new version only when it scores at least as well on the holdout.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { languageOfExample, parseKindCorpus, type LabeledExample, type SentimentClass } from '../analytics/kind-corpus.js';
import { crossValidateKinds, evaluateKindModel, type KindMetrics } from '../analytics/kind-evaluation.js';
import { fnv1a } from '../analytics/kind-features.js';
import { trainKindModel, type KindModel, type KindTrainOptions } from '../analytics/kind-model.js';
import { kinds, type Kind } from '../analytics/kind.js';
import type { AppContext } from '../context.js';
import { RapportError } from '../core/errors.js';
import type { DbOrTx } from '../store/database.js';
import { correctedMessages, kindModelVersions, liveKindModel, saveKindModel } from '../store/kinds-repo.js';

export const kindPaths = {
  train: fileURLToPath(new URL('../../corpus/kinds/train.tsv', import.meta.url)),
  holdout: fileURLToPath(new URL('../../corpus/kinds/holdout.tsv', import.meta.url)),
  defaultModel: fileURLToPath(new URL('../../models/kind-default.json', import.meta.url)),
};

/** A corrected message counts this many times a corpus message: a person said so about our own traffic. */
export const correctionWeight = 2;

export function readKindCorpus(path: string): LabeledExample[] {
  if (!existsSync(path)) throw new RapportError('validation', `no labeled corpus at ${path}`);
  return parseKindCorpus(readFileSync(path, 'utf8'), path.split('/').slice(-2).join('/'));
}

/** A model file as written by `rapport kinds train --default`: the model plus its cross-validated metrics. */
export interface KindModelFile extends KindModel {
  metrics?: { cv?: KindMetrics & { folds: number }; corpus?: { examples: number; fingerprint: string } };
}

let cachedDefault: KindModelFile | null = null;
/** The committed default model (read once). */
export function defaultKindModel(): KindModelFile {
  if (!cachedDefault) {
    if (!existsSync(kindPaths.defaultModel)) throw new RapportError('not_found', `no default kind model at ${kindPaths.defaultModel}: run \`rapport kinds train --default\``);
    cachedDefault = JSON.parse(readFileSync(kindPaths.defaultModel, 'utf8')) as KindModelFile;
  }
  return cachedDefault;
}

/**
 * Builds the default model from the corpus alone (seeded: the same corpus gives the same file) with
 * its k-fold cross-validated metrics, and writes it to `out`.
 */
export function buildDefaultKindModel(opts: { corpus?: string; out?: string; folds?: number } = {}): KindModelFile {
  const corpus = readKindCorpus(opts.corpus ?? kindPaths.train);
  const cv = crossValidateKinds(corpus, opts.folds ?? 5);
  const model: KindModelFile = { ...trainKindModel(corpus), metrics: { cv, corpus: { examples: corpus.length, fingerprint: fingerprintOf(corpus) } } };
  writeFileSync(opts.out ?? kindPaths.defaultModel, `${JSON.stringify(model)}\n`);
  if ((opts.out ?? kindPaths.defaultModel) === kindPaths.defaultModel) cachedDefault = model;
  return model;
}

export interface LiveKindModel {
  model: KindModel;
  version: number;
  source: 'database' | 'default';
  metrics: Record<string, unknown>;
}

/** The model that classifies new messages: the newest promoted version, else the default. */
export async function loadLiveKindModel(db: DbOrTx): Promise<LiveKindModel> {
  const stored = await liveKindModel<KindModel>(db);
  if (stored) return { model: stored.model, version: stored.version, source: 'database', metrics: stored.metrics };
  const d = defaultKindModel();
  return { model: d, version: 0, source: 'default', metrics: d.metrics ?? {} };
}

/** Order-independent fingerprint of labeled examples (what a model was trained on). */
export function fingerprintOf(examples: readonly LabeledExample[]): string {
  const lines = examples.map((e) => `${e.kind ?? ''}\t${e.sentiment ?? ''}\t${e.weight ?? 1}\t${e.text}`).sort();
  let h = 0;
  for (const l of lines) h = (Math.imul(h, 31) + fnv1a(l)) >>> 0;
  return `${examples.length}:${h.toString(16)}`;
}

/** Every fifth corpus message (by a hash of its text, so stable as the corpus grows): the holdout when no holdout.tsv exists. */
export function splitHoldout(corpus: readonly LabeledExample[]): { train: LabeledExample[]; holdout: LabeledExample[] } {
  const train: LabeledExample[] = [];
  const holdout: LabeledExample[] = [];
  for (const e of corpus) (fnv1a(e.text) % 5 === 0 ? holdout : train).push(e);
  return { train, holdout };
}

async function correctionExamples(db: DbOrTx): Promise<LabeledExample[]> {
  return (await correctedMessages(db))
    .filter((m) => m.text.trim())
    .map((m) => ({
      lang: languageOfExample(m.text),
      kind: m.kind !== null && (kinds as readonly string[]).includes(m.kind) ? (m.kind as Kind) : undefined,
      sentiment: m.sentiment ?? undefined,
      text: m.text,
      weight: correctionWeight,
    }))
    .filter((e) => e.kind !== undefined || e.sentiment !== undefined);
}

export interface HoldoutScore {
  source: 'holdout.tsv' | 'split';
  n: number;
  kindAccuracy: number;
  sentimentAccuracy: number;
  /** The mean of the two accuracies: what promotion compares. */
  score: number;
  metrics: KindMetrics;
}

const scoreOf = (source: HoldoutScore['source'], m: KindMetrics): HoldoutScore => ({
  source, n: m.n, kindAccuracy: m.kindAccuracy, sentimentAccuracy: m.sentimentAccuracy, score: Math.round(((m.kindAccuracy + m.sentimentAccuracy) / 2) * 1000) / 1000, metrics: m,
});

export interface RetrainOptions {
  /** Retrain even when neither the corpus nor the corrections changed since the live model. */
  force?: boolean;
  /** Defaults: corpus/kinds/train.tsv and holdout.tsv (tests pass their own). */
  corpus?: LabeledExample[];
  holdout?: LabeledExample[] | null;
  train?: Partial<KindTrainOptions>;
}

export interface RetrainResult {
  status: 'promoted' | 'kept' | 'skipped';
  version: number | null;
  liveVersion: number;
  candidate: HoldoutScore | null;
  live: HoldoutScore | null;
  corrections: number;
  reason: string;
}

/**
 * Retrains on the corpus plus corrected messages and stores the new version, promoted only when
 * its holdout score is at least the live model's. With corpus/kinds/holdout.tsv both models are
 * scored on it directly; without, on a fixed fifth of the corpus that both recipes left out of
 * training (the live model's split score was stored when it was trained).
 */
export async function retrainKindModel(ctx: AppContext, opts: RetrainOptions = {}): Promise<RetrainResult> {
  const db = ctx.database.db;
  const corpus = opts.corpus ?? readKindCorpus(kindPaths.train);
  const holdoutFile = opts.holdout !== undefined ? opts.holdout : existsSync(kindPaths.holdout) ? readKindCorpus(kindPaths.holdout) : null;
  const corrections = await correctionExamples(db);
  const examples = [...corpus, ...corrections];
  const fingerprint = fingerprintOf(examples);
  const live = await loadLiveKindModel(db);
  const fingerprintIn = (metrics: Record<string, unknown> | undefined) =>
    (metrics?.trainedOn as { fingerprint?: string } | undefined)?.fingerprint ?? (metrics?.corpus as { fingerprint?: string } | undefined)?.fingerprint;
  // Nothing new since the live model, or since the last version tried (kept back): no work tonight.
  const [latest] = await kindModelVersions(db, 1);
  if (!opts.force && (fingerprintIn(live.metrics) === fingerprint || fingerprintIn(latest?.metrics) === fingerprint)) {
    return { status: 'skipped', version: null, liveVersion: live.version, candidate: null, live: null, corrections: corrections.length, reason: 'nothing new since the live model was trained' };
  }
  const train = { ...opts.train, thresholdFolds: opts.train?.thresholdFolds ?? 5 };
  let candidateScore: HoldoutScore;
  let liveScore: HoldoutScore;
  let model: KindModel;
  if (holdoutFile) {
    model = trainKindModel(examples, train);
    candidateScore = scoreOf('holdout.tsv', evaluateKindModel(model, holdoutFile));
    liveScore = scoreOf('holdout.tsv', evaluateKindModel(live.model, holdoutFile));
  } else {
    const split = splitHoldout(corpus);
    candidateScore = scoreOf('split', evaluateKindModel(trainKindModel([...split.train, ...corrections], train), split.holdout));
    const stored = live.metrics.holdout as HoldoutScore | undefined;
    // The default model was trained on the whole corpus: score its recipe without the split.
    liveScore = stored?.source === 'split' ? stored : scoreOf('split', evaluateKindModel(trainKindModel(split.train, { seed: live.model.seed, l2: live.model.l2, features: live.model.features }), split.holdout));
    model = trainKindModel(examples, train);
  }
  const promoted = candidateScore.score >= liveScore.score;
  const metrics = {
    holdout: candidateScore,
    comparedWith: { version: live.version, score: liveScore.score, kindAccuracy: liveScore.kindAccuracy, sentimentAccuracy: liveScore.sentimentAccuracy },
    trainedOn: { corpus: corpus.length, corrections: corrections.length, fingerprint },
  };
  const saved = await saveKindModel(db, model, metrics, promoted);
  const reason = promoted
    ? `holdout score ${candidateScore.score} ≥ live v${live.version}'s ${liveScore.score}`
    : `holdout score ${candidateScore.score} < live v${live.version}'s ${liveScore.score}: kept v${live.version}`;
  return { status: promoted ? 'promoted' : 'kept', version: saved.version, liveVersion: promoted ? saved.version : live.version, candidate: candidateScore, live: liveScore, corrections: corrections.length, reason };
}

export type { SentimentClass };
