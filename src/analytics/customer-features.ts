// The per-customer features behind segments and value tiers, from aggregates the store computes.
// Raw features stay in their units (days, orders, money) so a decision path reads naturally;
// clustering uses `clusteringMatrix`, which log-scales the skewed ones and standardizes.

export interface CustomerAggregates {
  customerId: string;
  /** Last order, or null for a customer who never ordered. */
  lastOrderAt: Date | null;
  firstOrderAt: Date | null;
  orders: number;
  orders90d: number;
  revenue: number;
  /** Communications in the last 90 days per channel ('email', 'slack', 'webhook', …). */
  communications90d: Record<string, number>;
  /** Of the last 90 days' communications with a sentiment, how many were negative. */
  negative90d: number;
  scored90d: number;
  openIssues: number;
  /** Mean hours from a customer's message to our next reply; null when never measured. */
  avgResponseHours: number | null;
  /** How many replies that mean is taken over. */
  responses: number;
}

export const featureNames = [
  'recency_days', 'tenure_days', 'orders', 'orders_90d', 'revenue', 'comms_90d_email', 'comms_90d_slack',
  'comms_90d_other', 'negative_share', 'open_issues', 'avg_response_hours',
] as const;
export type FeatureName = (typeof featureNames)[number];

/** How each feature reads in an explanation, English and Chinese. */
export const featureLabels: Record<FeatureName, { en: string; zh: string }> = {
  recency_days: { en: 'days since last order', zh: '距上次下单天数' },
  tenure_days: { en: 'days since first order', zh: '首单至今天数' },
  orders: { en: 'orders', zh: '订单数' },
  orders_90d: { en: 'orders in last 90 days', zh: '近90天订单数' },
  revenue: { en: 'revenue', zh: '累计金额' },
  comms_90d_email: { en: 'emails in last 90 days', zh: '近90天邮件数' },
  comms_90d_slack: { en: 'Slack messages in last 90 days', zh: '近90天Slack消息数' },
  comms_90d_other: { en: 'other messages in last 90 days', zh: '近90天其他消息数' },
  negative_share: { en: 'negative share', zh: '负面占比' },
  open_issues: { en: 'open issues', zh: '未解决问题数' },
  avg_response_hours: { en: 'average response hours', zh: '平均响应小时数' },
};

/** Days a customer with no orders counts as "since last order" (a long time, not infinity). */
export const NEVER_DAYS = 730;
const DAY = 86_400_000;

export function customerFeatures(a: CustomerAggregates, now: Date): number[] {
  const since = (d: Date | null) => (d ? Math.max(0, (now.getTime() - d.getTime()) / DAY) : NEVER_DAYS);
  const c = a.communications90d;
  const email = c.email ?? 0;
  const slack = c.slack ?? 0;
  const other = Object.entries(c).reduce((s, [k, v]) => (k === 'email' || k === 'slack' ? s : s + v), 0);
  return [
    since(a.lastOrderAt),
    a.firstOrderAt ? since(a.firstOrderAt) : 0,
    a.orders,
    a.orders90d,
    a.revenue,
    email,
    slack,
    other,
    a.scored90d > 0 ? a.negative90d / a.scored90d : 0,
    a.openIssues,
    // Unknown response time: the median is filled in by clusteringMatrix; 0 here means "none yet".
    a.avgResponseHours ?? 0,
  ];
}

/** Features that are counts or money: log1p before standardizing so a few whales do not dominate. */
const logScaled = new Set<number>([0, 1, 2, 3, 4, 5, 6, 7, 9, 10]);
/** Counts of events (orders, messages, open issues): part of their spread is chance. */
const countFeatures = [2, 3, 5, 6, 7, 9];
/** Ratios and means over a customer's few events: negative share over scored messages, mean reply hours over replies. */
const NEGATIVE_SHARE = 8;
const RESPONSE_HOURS = 10;
/**
 * How many observations of the population's value a customer's own ratio is mixed with: a share
 * from 3 messages moves 3/(3+10) of the way from the average to what those messages said.
 */
export const PRIOR_OBSERVATIONS = { negativeShare: 10, responseHours: 5 } as const;

export interface Standardizer {
  means: number[];
  stds: number[];
}

export function fitStandardizer(rows: readonly number[][]): Standardizer {
  const d = rows[0]?.length ?? 0;
  const means = new Array<number>(d).fill(0);
  const stds = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) means[j] = (means[j] as number) + (r[j] as number) / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) stds[j] = (stds[j] as number) + ((r[j] as number) - (means[j] as number)) ** 2 / rows.length;
  return { means, stds: stds.map((v) => Math.sqrt(v) || 1) };
}

export function standardize(rows: readonly number[][], s: Standardizer): number[][] {
  return rows.map((r) => r.map((v, j) => (v - (s.means[j] as number)) / (s.stds[j] as number)));
}

/** How many observations stand behind each customer's ratio features (same order as the rows). */
export interface Observations {
  /** Messages with a sentiment (behind negative_share). */
  scored: readonly number[];
  /** Replies measured (behind avg_response_hours). */
  responses: readonly number[];
}

export function observationsOf(aggregates: readonly CustomerAggregates[]): Observations {
  return { scored: aggregates.map((a) => a.scored90d), responses: aggregates.map((a) => a.responses) };
}

/**
 * Raw feature rows → the matrix k-means sees. Skewed features are log-scaled and all are put on
 * one scale, but a feature counts only as far as it is reliable, so noise does not make segments:
 * - a ratio over few events (negative share of 3 messages, mean hours of 1 reply) is shrunk toward
 *   the population's value by how many events stand behind it, (n·x + m·μ)/(n + m), and measured
 *   in standard deviations of the unshrunk values — a share from 2 messages barely moves a customer;
 * - a count (orders, messages, issues) is weighted by the share of its variance that is more than
 *   chance (Poisson noise, whose variance is its mean): 1 − mean/variance, at least 0. Counts that
 *   differ no more than chance would have it carry no weight.
 * Without `observations` every ratio is taken at face value (as before).
 */
export function clusteringMatrix(raw: readonly number[][], observations?: Observations): { matrix: number[][]; standardizer: Standardizer; weights: number[] } {
  const d = raw[0]?.length ?? 0;
  const scaled = raw.map((r) => r.map((v, j) => (logScaled.has(j) ? Math.log1p(Math.max(0, v)) : v)));
  const weights = new Array<number>(d).fill(1);
  const spread = new Array<number | null>(d).fill(null);
  if (observations) {
    for (const [j, counts, m] of [
      [NEGATIVE_SHARE, observations.scored, PRIOR_OBSERVATIONS.negativeShare],
      [RESPONSE_HOURS, observations.responses, PRIOR_OBSERVATIONS.responseHours],
    ] as const) {
      const observed = scaled.map((r, i) => ({ x: r[j] as number, n: counts[i] ?? 0 })).filter((o) => o.n > 0);
      const total = observed.reduce((s, o) => s + o.n, 0);
      const mu = total ? observed.reduce((s, o) => s + o.n * o.x, 0) / total : 0;
      const mean = observed.length ? observed.reduce((s, o) => s + o.x, 0) / observed.length : 0;
      spread[j] = Math.sqrt(observed.reduce((s, o) => s + (o.x - mean) ** 2, 0) / (observed.length || 1)) || 1;
      scaled.forEach((r, i) => {
        const n = counts[i] ?? 0;
        r[j] = (n * (r[j] as number) + m * mu) / (n + m);
      });
    }
    for (const j of countFeatures) {
      const xs = raw.map((r) => r[j] as number);
      const mean = xs.reduce((s, v) => s + v, 0) / (xs.length || 1);
      const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length || 1);
      weights[j] = variance > 0 ? Math.max(0, 1 - mean / variance) : 0;
    }
  }
  const standardizer = fitStandardizer(scaled);
  spread.forEach((s, j) => {
    if (s !== null) standardizer.stds[j] = s;
  });
  const matrix = standardize(scaled, standardizer).map((r) => r.map((v, j) => v * (weights[j] as number)));
  return { matrix, standardizer, weights };
}
