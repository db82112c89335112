import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier as MlCart } from 'ml-cart';
import { DecisionTreeClassifier } from '../../../src/analytics/decision-tree.js';
import {
  crossValidate, explainTier, MIN_LABELS_PER_TIER, predictTier, promotion, stratifiedFolds, tiersFromRevenue, trainValueModel,
} from '../../../src/analytics/value-tiers.js';
import { plantedTiers } from './helpers/synthetic-customers.js';

describe('decision tree', () => {
  it('learns a planted tier rule (≥ 95 % holdout accuracy)', () => {
    const { X, tiers } = plantedTiers(6000);
    const model = trainValueModel(X.slice(0, 5000), tiers.slice(0, 5000), { maxDepth: 5 });
    const predicted = X.slice(5000).map((x) => predictTier(model, x));
    const accuracy = predicted.filter((p, i) => p === tiers[5000 + i]).length / predicted.length;
    console.log('planted tier rule: holdout accuracy', accuracy.toFixed(3), 'cv', model.cvAccuracy?.toFixed(3));
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(model.cvAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(model.tiers).toEqual(['low', 'medium', 'high']);
  });

  it('explains a prediction as its decision path in words', () => {
    const { X, tiers } = plantedTiers(3000);
    const model = trainValueModel(X, tiers, { maxDepth: 4 });
    const high = X.find((_, i) => tiers[i] === 'high') as number[];
    const e = explainTier(model, high);
    expect(e.tier).toBe('high');
    expect(e.text).toMatch(/orders in last 90 days ≥ 3\.5/);
    expect(e.text).toMatch(/negative share < 0\.2/);
    expect(e.text).toMatch(/→ high$/);
    expect(e.textZh).toMatch(/近90天订单数 ≥ 3\.5/);
    expect(e.textZh).toMatch(/→ 高价值$/);
    expect(e.textZh).not.toMatch(/[A-Za-z]/);
    expect(e.confidence).toBeGreaterThan(0.9);
  });

  it('names a team\'s own tiers in Chinese when the labels give a name, and keeps the name otherwise', () => {
    const { X, tiers } = plantedTiers(600);
    const renamed = tiers.map((t) => (t === 'high' ? 'gold' : t));
    const model = trainValueModel(X, renamed, { tierLabels: { gold: { en: 'gold', zh: '金牌' } } });
    const gold = X.find((_, i) => renamed[i] === 'gold') as number[];
    expect(explainTier(model, gold).textZh).toMatch(/→ 金牌$/);
    expect(model.tierLabels?.low).toEqual({ en: 'low', zh: '低价值' });
  });

  it('round-trips through JSON with the same predictions', () => {
    const { X, tiers } = plantedTiers(500);
    const trained = trainValueModel(X, tiers);
    const model = JSON.parse(JSON.stringify(trained));
    expect(X.map((x) => predictTier(model, x))).toEqual(X.map((x) => predictTier(trained, x)));
    expect(() => DecisionTreeClassifier.load({ ...model.tree, name: 'Other' })).toThrow(/unsupported/);
  });

  it('agrees with ml-cart on a small sample', () => {
    const { X, tiers } = plantedTiers(800, 3);
    const y = tiers.map((t) => ['low', 'medium', 'high'].indexOf(t));
    const ours = new DecisionTreeClassifier({ maxDepth: 5 });
    ours.train(X, y);
    const theirs = new MlCart({ maxDepth: 5 });
    theirs.train(X, y);
    const a = ours.predict(X);
    const b = theirs.predict(X);
    const agreement = a.filter((p, i) => p === b[i]).length / a.length;
    expect(agreement).toBeGreaterThanOrEqual(0.97);
  });
});

describe('value tiers', () => {
  it('are promoted only with enough labels in two tiers or more, and when they beat guessing the largest tier', () => {
    const tiers = (high: number, low: number) => [...Array<string>(high).fill('high'), ...Array<string>(low).fill('low')];
    expect(promotion(tiers(2, 0), 1)).toMatchObject({ promoted: false, code: 'too_few_labels' });
    expect(promotion(tiers(0, 11), 1)).toMatchObject({ promoted: false, code: 'too_few_labels', reason: expect.stringMatching(/only one tier/) });
    expect(promotion(tiers(MIN_LABELS_PER_TIER - 1, 30), 1)).toMatchObject({ promoted: false, code: 'too_few_labels', reason: expect.stringMatching(/high \(9\)/) });
    expect(promotion(tiers(10, 30), 0.75)).toMatchObject({ promoted: false, code: 'no_better_than_guessing', baseline: 0.75 });
    expect(promotion(tiers(10, 30), null)).toMatchObject({ promoted: false, code: 'no_better_than_guessing' });
    expect(promotion(tiers(10, 30), 0.9)).toEqual({ promoted: true, baseline: 0.75 });
  });

  it('derive tiers from revenue percentiles', () => {
    const revenue = Array.from({ length: 100 }, (_, i) => i * 10);
    const t = tiersFromRevenue(revenue);
    expect(t.filter((x) => x === 'low')).toHaveLength(50);
    expect(t.filter((x) => x === 'medium')).toHaveLength(30);
    expect(t.filter((x) => x === 'high')).toHaveLength(20);
    // Most customers without revenue stay low rather than all becoming medium.
    expect(tiersFromRevenue([0, 0, 0, 0, 0, 0, 0, 10, 20, 30])).toEqual(['low', 'low', 'low', 'low', 'low', 'low', 'low', 'medium', 'high', 'high']);
  });

  it('cross-validate with stratified folds', () => {
    const y = [...Array(30).fill(0), ...Array(10).fill(1)] as number[];
    const folds = stratifiedFolds(y, 5);
    for (let f = 0; f < 5; f++) expect(y.filter((c, i) => c === 1 && folds[i] === f)).toHaveLength(2);
    const { X, tiers } = plantedTiers(1000, 8);
    const acc = crossValidate(X, tiers.map((t) => ['low', 'medium', 'high'].indexOf(t)), 5, { maxDepth: 5 });
    expect(acc).toBeGreaterThan(0.95);
  });
});
