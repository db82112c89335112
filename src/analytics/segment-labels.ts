// A readable name for each segment from its centroid (in standardized feature space, so 0 is the
// average customer and ±0.5 is half a standard deviation): "high value · at risk", "新客户 · 活跃".
// The value descriptor comes first when there is one, then the strongest other trait. Names are
// unique within a run, and each segment lists the features that set it apart.
import { featureLabels, featureNames, type FeatureName } from './customer-features.js';

export interface SegmentLabel {
  en: string;
  zh: string;
}

interface Trait {
  en: string;
  zh: string;
  strength: number;
  value?: boolean;
}

const at = (centroid: readonly number[], name: FeatureName) => centroid[featureNames.indexOf(name)] ?? 0;
const T = 0.5;

function traits(c: readonly number[]): Trait[] {
  const out: Trait[] = [];
  const revenue = at(c, 'revenue');
  if (revenue >= T) out.push({ en: 'high value', zh: '高价值', strength: revenue, value: true });
  if (revenue <= -T) out.push({ en: 'low value', zh: '低价值', strength: -revenue, value: true });
  const recency = at(c, 'recency_days');
  const tenure = at(c, 'tenure_days');
  if (tenure <= -T && recency <= 0) out.push({ en: 'new', zh: '新客户', strength: -tenure });
  else if (recency >= T) out.push({ en: 'at risk', zh: '流失风险', strength: recency });
  else if (recency <= -T) out.push({ en: 'buying recently', zh: '近期活跃购买', strength: -recency });
  const comms = (at(c, 'comms_90d_email') + at(c, 'comms_90d_slack') + at(c, 'comms_90d_other')) / 3;
  if (comms >= T) out.push({ en: 'active', zh: '活跃', strength: comms });
  if (comms <= -T) out.push({ en: 'quiet', zh: '沉默', strength: -comms });
  const negative = at(c, 'negative_share');
  if (negative >= T) out.push({ en: 'unhappy', zh: '不满', strength: negative });
  const issues = at(c, 'open_issues');
  if (issues >= T) out.push({ en: 'open issues', zh: '问题待解决', strength: issues });
  const response = at(c, 'avg_response_hours');
  if (response >= T) out.push({ en: 'slow replies', zh: '回复慢', strength: response });
  return out;
}

export function labelSegment(centroid: readonly number[]): SegmentLabel {
  const ts = traits(centroid);
  const value = ts.filter((t) => t.value).sort((a, b) => b.strength - a.strength)[0];
  const others = ts.filter((t) => !t.value).sort((a, b) => b.strength - a.strength);
  const picked = [value, ...others].filter((t): t is Trait => Boolean(t)).slice(0, 2);
  if (!picked.length) return { en: 'typical', zh: '普通' };
  return { en: picked.map((t) => t.en).join(' · '), zh: picked.map((t) => t.zh).join(' · ') };
}

/** A feature that sets a segment apart: how far its centroid is from the average customer. */
export interface SegmentTrait {
  feature: FeatureName;
  /** Standard deviations from the average customer (after reliability weighting). */
  z: number;
  /** "revenue ↑ 1.4σ", "累计金额 ↑ 1.4σ" */
  en: string;
  zh: string;
}

/** The features furthest from average (|z| ≥ 0.3), strongest first, at most `limit`. */
export function segmentTraits(centroid: readonly number[], limit = 3): SegmentTrait[] {
  return featureNames
    .map((feature, j) => ({ feature, z: centroid[j] ?? 0 }))
    .filter((t) => Math.abs(t.z) >= 0.3)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z))
    .slice(0, limit)
    .map(({ feature, z }) => {
      const arrow = `${z > 0 ? '↑' : '↓'} ${Math.abs(z).toFixed(1)}σ`;
      return { feature, z: Math.round(z * 100) / 100, en: `${featureLabels[feature].en} ${arrow}`, zh: `${featureLabels[feature].zh} ${arrow}` };
    });
}

/**
 * Labels for all centroids, unique within the run. Segments that would read the same are told
 * apart by the feature on which they differ most ("unhappy · at risk · higher revenue" beside
 * "unhappy · at risk · lower revenue"), repeatedly if needed; only identical centroids get a number.
 */
export function labelSegments(centroids: readonly (readonly number[])[]): SegmentLabel[] {
  const labels = centroids.map((c) => labelSegment(c));
  const used = centroids.map(() => new Set<number>());
  for (let round = 0; round < 3; round++) {
    const groups = duplicates(labels);
    if (!groups.length) break;
    for (const group of groups) {
      let feature = -1;
      let widest = 1e-6;
      for (let j = 0; j < featureNames.length; j++) {
        if (group.some((i) => used[i]?.has(j))) continue;
        const values = group.map((i) => centroids[i]?.[j] ?? 0);
        const range = Math.max(...values) - Math.min(...values);
        if (range > widest) [feature, widest] = [j, range];
      }
      if (feature < 0) continue;
      const values = group.map((i) => centroids[i]?.[feature] ?? 0);
      const mid = (Math.max(...values) + Math.min(...values)) / 2;
      const name = featureLabels[featureNames[feature] as FeatureName];
      for (const i of group) {
        const higher = (centroids[i]?.[feature] ?? 0) > mid;
        used[i]?.add(feature);
        const l = labels[i] as SegmentLabel;
        labels[i] = { en: `${l.en} · ${higher ? 'higher' : 'lower'} ${name.en}`, zh: `${l.zh} · ${name.zh}${higher ? '较高' : '较低'}` };
      }
    }
  }
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l.en) ?? 0) + 1;
    seen.set(l.en, n);
    return n === 1 ? l : { en: `${l.en} (${n})`, zh: `${l.zh}（${n}）` };
  });
}

function duplicates(labels: readonly SegmentLabel[]): number[][] {
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l.en, [...(byLabel.get(l.en) ?? []), i]));
  return [...byLabel.values()].filter((g) => g.length > 1);
}
