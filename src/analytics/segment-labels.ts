// A readable name for each segment from its centroid (in standardized feature space, so 0 is the
// average customer and ±0.5 is half a standard deviation): "high value · at risk", "新客户 · 活跃".
// The value descriptor comes first when there is one, then the strongest other trait.
import { featureNames, type FeatureName } from './customer-features.js';

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

/** Labels for all centroids, made unique with a number when two segments read the same. */
export function labelSegments(centroids: readonly (readonly number[])[]): SegmentLabel[] {
  const seen = new Map<string, number>();
  return centroids.map((c) => {
    const l = labelSegment(c);
    const n = (seen.get(l.en) ?? 0) + 1;
    seen.set(l.en, n);
    return n === 1 ? l : { en: `${l.en} (${n})`, zh: `${l.zh}（${n}）` };
  });
}
