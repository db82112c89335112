// The learned kind/sentiment classifier: deterministic training, the cases the cue rules got
// wrong, "unsure → other", the committed default model matching the corpus, and cross-validated
// accuracy floors on the corpus (just under what was measured, so a regression fails).
import { describe, expect, it } from 'vitest';
import { defaultKindModel, fingerprintOf, kindPaths, readKindCorpus } from '../../../src/analytics-runner/kind-classifier.js';
import { toSimplified } from '../../../src/analytics/chinese-script.js';
import { parseKindCorpus } from '../../../src/analytics/kind-corpus.js';
import { crossValidateKinds, evaluateKindModel } from '../../../src/analytics/kind-evaluation.js';
import { featureNames } from '../../../src/analytics/kind-features.js';
import { bestOtherThreshold, classifyMessage, trainKindModel } from '../../../src/analytics/kind-model.js';
import { isRapportError } from '../../../src/core/errors.js';

const corpus = readKindCorpus(kindPaths.train);
const sample = corpus.filter((_, i) => i % 6 === 0);

describe('training', () => {
  it('is deterministic: the same examples and seed give the same model, byte for byte', () => {
    const a = trainKindModel(sample, { thresholdFolds: 3 });
    const b = trainKindModel([...sample], { thresholdFolds: 3 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(a.kind.columns.length).toBeGreaterThan(100);
  }, 300_000);

  it('learns from what it is given: a planted word decides the kind', () => {
    const planted = [
      ...Array.from({ length: 12 }, (_, i) => ({ lang: 'en', kind: 'feedback' as const, sentiment: 'neu' as const, text: `zorblat number ${i} for the team` })),
      ...Array.from({ length: 12 }, (_, i) => ({ lang: 'en', kind: 'question' as const, sentiment: 'neu' as const, text: `quimbly number ${i} for the team` })),
    ];
    const m = trainKindModel(planted, { thresholdFolds: 0 });
    expect(classifyMessage(m, 'a zorblat for you').kind).toBe('feedback');
    expect(classifyMessage(m, 'a quimbly for you').kind).toBe('question');
  });
});

describe('the default model', () => {
  const model = defaultKindModel();

  it('is built from the corpus as it is now (rebuild with `rapport kinds train --default` after editing it)', () => {
    expect(model.metrics?.corpus?.fingerprint).toBe(fingerprintOf(corpus));
    expect(model.trainedOn.examples).toBe(corpus.length);
  });

  it('scores at least 0.85 for kind and for sentiment in each language on the independent holdout (written after it was frozen)', () => {
    const holdout = readKindCorpus(kindPaths.holdout);
    expect(holdout.length).toBeGreaterThanOrEqual(300);
    const corpusTexts = new Set(corpus.map((e) => e.text.trim().toLowerCase()));
    // Two acknowledgements ("Got it, thanks.", "知道了") happen to be in both; nothing else is.
    expect(holdout.filter((e) => corpusTexts.has(e.text.trim().toLowerCase())).length).toBeLessThanOrEqual(2);
    const m = evaluateKindModel(model, holdout);
    for (const lang of ['en', 'zh']) {
      const l = m.byLanguage[lang]!;
      expect(l.n, lang).toBeGreaterThanOrEqual(150);
      expect(l.kindAccuracy, `${lang} kind`).toBeGreaterThanOrEqual(0.85);
      expect(l.sentimentAccuracy, `${lang} sentiment`).toBeGreaterThanOrEqual(0.85);
    }
  });

  it('reads "收到，谢谢" and "Got it, thanks" as acknowledgements, not praise', () => {
    for (const text of ['收到，谢谢', '收到，謝謝', 'Got it, thanks']) {
      const p = classifyMessage(model, text);
      expect(p.kind, text).toBe('other');
      expect(p.sentiment, text).toBe('neu');
    }
  });

  it('reads a Chinese refund request for damaged goods as an issue, not praise', () => {
    for (const text of ['收到货了，但是外箱破了，里面两个杯子碎了，麻烦处理一下退款，谢谢', '收到貨了，但外箱破損，杯子碎了兩個，請幫忙退款']) {
      const p = classifyMessage(model, text);
      expect(p.kind, text).toBe('issue');
      expect(p.sentiment, text).not.toBe('pos');
      expect(p.sentimentScore, text).toBeLessThan(0);
    }
  });

  it('scores sentiment in −1..1 as p(pos) − p(neg), so the digest and alert thresholds keep their meaning', () => {
    expect(classifyMessage(model, 'Thank you so much, great support!').sentimentScore).toBeGreaterThan(0.7);
    expect(classifyMessage(model, '太差了，发货一再延迟，我要投诉。').sentimentScore).toBeLessThanOrEqual(-0.7);
    expect(Math.abs(classifyMessage(model, 'Please find the signed contract attached.').sentimentScore)).toBeLessThan(0.4);
  });

  it('says "other" when unsure, below the threshold chosen by cross-validation', () => {
    expect(model.otherThreshold).toBeGreaterThan(0);
    const text = '我买的咖啡机到货时外壳摔坏了，要求退款';
    const sure = classifyMessage(model, text);
    expect(sure.kind).toBe('issue');
    const strict = classifyMessage({ ...model, otherThreshold: Math.min(1, sure.confidence + 0.01) }, text);
    expect(strict).toMatchObject({ kind: 'other', unsure: true });
    expect(strict.confidence).toBeCloseTo(sure.confidence, 6);
  });

  it('picks the highest threshold within tolerance of the best accuracy', () => {
    const probs = [[0.9, 0, 0, 0, 0, 0.1], [0.4, 0.3, 0, 0, 0, 0.3], [0.35, 0, 0, 0, 0, 0.65]];
    expect(bestOtherThreshold(probs, ['feedback', 'other', 'other'], 0)).toBe(0.8);
    expect(bestOtherThreshold(probs, ['feedback', 'feedback', 'other'], 0)).toBe(0.4);
  });
});

describe('features', () => {
  it('fold traditional Chinese to simplified, so both scripts share features', () => {
    expect(toSimplified('請幫我退貨，軟體打不開')).toBe('请帮我退货，软件打不开');
    expect(featureNames('退貨')).toEqual(featureNames('退货'));
    expect(toSimplified('no Chinese here')).toBe('no Chinese here');
  });
});

describe('the corpus format', () => {
  it('refuses a bad line with its number instead of skipping it', () => {
    const bad = 'lang\tkind\tsentiment\ttext\nen\tquestion\tneu\tHow?\nen\tinquiry\tneu\tWhat?\n';
    expect(() => parseKindCorpus(bad, 'x.tsv')).toThrow(/line 3: unknown kind "inquiry"/);
    try {
      parseKindCorpus(bad);
    } catch (e) {
      expect(isRapportError(e, 'validation')).toBe(true);
    }
    expect(parseKindCorpus('en\tother\tneu\tline one\\nline two')[0]!.text).toBe('line one\nline two');
  });
});

describe('cross-validation on the corpus (5 folds)', () => {
  it('stays above the accuracy floors per language and the recall floors per kind', () => {
    const cv = crossValidateKinds(corpus, 5, { thresholdFolds: 0 });
    console.log('kind CV', JSON.stringify({ kind: cv.kindAccuracy, sentiment: cv.sentimentAccuracy, en: cv.byLanguage.en, zh: cv.byLanguage.zh }));
    expect(cv.n).toBe(corpus.length);
    expect(cv.kindAccuracy).toBeGreaterThanOrEqual(FLOORS.kind);
    expect(cv.sentimentAccuracy).toBeGreaterThanOrEqual(FLOORS.sentiment);
    for (const lang of ['en', 'zh'] as const) {
      expect(cv.byLanguage[lang]!.kindAccuracy, lang).toBeGreaterThanOrEqual(FLOORS[lang].kind);
      expect(cv.byLanguage[lang]!.sentimentAccuracy, lang).toBeGreaterThanOrEqual(FLOORS[lang].sentiment);
    }
    for (const [kind, v] of Object.entries(cv.perKind)) expect(v.recall, kind).toBeGreaterThanOrEqual(0.78);
  }, 600_000);
});

// Measured: see README "Analytics" (5-fold CV without the inner threshold search).
// Measured on 2,752 messages: kind 0.843, sentiment 0.862; en 0.811 / 0.845; zh 0.885 / 0.885.
const FLOORS = { kind: 0.83, sentiment: 0.85, en: { kind: 0.80, sentiment: 0.83 }, zh: { kind: 0.87, sentiment: 0.87 } };

