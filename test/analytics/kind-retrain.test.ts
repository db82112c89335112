// The nightly retrain of the kind classifier, on PGlite and PostgreSQL: it learns from people's
// corrections, promotes a new version only when it scores at least as well on the holdout as the
// live one (a model made worse on purpose is kept back), and skips a night with nothing new.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLiveKindModel, kindPaths, readKindCorpus, retrainKindModel } from '../../src/analytics-runner/kind-classifier.js';
import { correctKind } from '../../src/analytics-runner/kind-corrections.js';
import { kindReport } from '../../src/analytics-runner/kind-report.js';
import { languageOfExample, parseKindCorpus } from '../../src/analytics/kind-corpus.js';
import { trainKindModel } from '../../src/analytics/kind-model.js';
import { captureOf } from '../helpers/capture.js';
import type { AppContext } from '../../src/context.js';
import { kindModelVersions, liveKindModelVersion, saveKindModel } from '../../src/store/kinds-repo.js';
import { captureContext, email } from '../capture/helpers.js';

let ctx: AppContext;
const corpus = readKindCorpus(kindPaths.train);
// A quarter of the corpus keeps each retrain to seconds; the holdout is the older hand-labeled set,
// written apart from the corpus.
const small = corpus.filter((_, i) => i % 4 === 0);
const holdout = ['labeled-messages.tsv', 'labeled-messages-holdout.tsv'].flatMap((f) =>
  parseKindCorpus(
    readFileSync(new URL(`../fixtures/analytics/${f}`, import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'))
      .map((l) => `${languageOfExample(l)}\t${l}`)
      .join('\n'),
    f,
  ),
);

beforeAll(async () => {
  ({ ctx } = await captureContext());
  // An earlier, weak live version: trained on a few dozen messages.
  await saveKindModel(ctx.database.db, trainKindModel(corpus.filter((_, i) => i % 40 === 0), { thresholdFolds: 0 }), { note: 'planted weak version' }, true);
}, 300_000);

afterAll(async () => ctx?.close());

describe('nightly kind retrain', () => {
  it('promotes a retrained model that scores at least as well on the holdout, and it becomes the live one', async () => {
    expect(await liveKindModelVersion(ctx.database.db)).toBe(1);
    const r = await retrainKindModel(ctx, { corpus: small, holdout, force: true });
    expect(r.status).toBe('promoted');
    expect(r.version).toBe(2);
    expect(r.candidate!.source).toBe('holdout.tsv');
    expect(r.candidate!.score).toBeGreaterThanOrEqual(r.live!.score);
    const live = await loadLiveKindModel(ctx.database.db);
    expect(live).toMatchObject({ version: 2, source: 'database' });
    expect(live.model.version).toBe(2);
  }, 300_000);

  it('keeps the live model when the new one is worse (over-regularized on purpose)', async () => {
    const r = await retrainKindModel(ctx, { corpus: small, holdout, force: true, train: { l2: 0.5 } });
    expect(r.status).toBe('kept');
    expect(r.candidate!.score).toBeLessThan(r.live!.score);
    expect(r.liveVersion).toBe(2);
    expect(await liveKindModelVersion(ctx.database.db)).toBe(2);
    const [v3] = await kindModelVersions(ctx.database.db, 1);
    expect(v3).toMatchObject({ version: 3, promoted: false });
  }, 300_000);

  it('trains on corrected messages, then skips a night with nothing new', async () => {
    const capture = captureOf(ctx, { afterCommit: null });
    const r1 = await capture(email('someone@retrain.example', { externalId: '<retrain-1@x>', text: 'The parcel arrived with the lid cracked, please send a new one.' }));
    await correctKind(ctx.database.db, r1.id, { kind: 'issue', sentiment: 'neg', by: 'tester', source: 'cli' });
    const trained = await retrainKindModel(ctx, { corpus: small, holdout });
    expect(trained.status).not.toBe('skipped');
    expect(trained.corrections).toBe(1);
    const [latest] = await kindModelVersions(ctx.database.db, 1);
    expect((latest!.metrics.trainedOn as { corrections: number }).corrections).toBe(1);
    const again = await retrainKindModel(ctx, { corpus: small, holdout });
    expect(again.status).toBe('skipped');
    const report = await kindReport(ctx);
    expect(report.corrections).toMatchObject({ total: 1, messages: 1, bySource: { cli: 1 } });
    expect(report.versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);
    expect(report.measuredOn).toBe('holdout.tsv');
  }, 300_000);
});
