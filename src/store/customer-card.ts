// Everything the Slack card shows about one customer, in a handful of indexed queries: the
// customer, order totals, the last five conversations, top keywords and open feedback/issues.
import { sql } from 'drizzle-orm';
import type { CustomerCard } from '../core/customer-card.js';
import { getCustomer } from './customers-repo.js';
import type { DbOrTx } from './database.js';
import { queryRows } from './rows.js';

const feedbackKinds = ['feedback', 'issue', 'complaint', 'bug', 'feature_request'];
const closedOrderStatuses = ['cancelled', 'canceled', 'refunded', 'void', 'failed'];

export interface CardOptions {
  /** Turns a stored raw_ref or communication id into a link, when there is one. */
  linkFor?: (c: { id: string; rawRef: string | null }) => string | null;
  customerLink?: (id: string) => string | null;
  /** Why the value model put this customer in its tier ("orders ≥ 3.5 and … → high"), when known. */
  explainValue?: (customerId: string) => Promise<string | null>;
}

/** The Chinese label and what sets the segment apart: "高价值 · 流失风险 (revenue ↑ 1.4σ, …)". */
function segmentDescription(s: { label_en: string; label_zh: string; traits: { en: string }[] | null }): string | undefined {
  const zh = s.label_zh !== s.label_en ? s.label_zh : '';
  const traits = (s.traits ?? []).map((t) => t.en).join(', ');
  return [zh, traits && `(${traits})`].filter(Boolean).join(' ') || undefined;
}

const httpLink = (rawRef: string | null) => (rawRef && /^https?:\/\//.test(rawRef) ? rawRef : null);

export async function customerCard(db: DbOrTx, customerId: string, opts: CardOptions = {}): Promise<CustomerCard | null> {
  const customer = await getCustomer(db, customerId);
  if (!customer) return null;
  const linkFor = opts.linkFor ?? ((c) => httpLink(c.rawRef));

  const [orders, counts, recent, keywords, open, segment, value, held] = await Promise.all([
    queryRows<{ currency: string; n: string | number; total: string }>(db, sql`
      select currency, count(*) as n, sum(amount)::text as total from orders
      where customer_id = ${customerId} and lower(status) <> all(${sql.param(closedOrderStatuses)}::text[])
      group by currency order by sum(amount) desc`),
    queryRows<{ n: string | number }>(db, sql`
      select count(*) as n from communications where customer_id = ${customerId} and not ('deleted' = any(flags))`),
    queryRows<{ id: string; channel: string; direction: string; kind: string; occurred_at: string | Date; participants: unknown; text: string; subject: string | null; raw_ref: string | null }>(db, sql`
      select id, channel, direction, kind, occurred_at, participants, left(text, 400) as text, subject, raw_ref
      from communications
      where customer_id = ${customerId} and not ('deleted' = any(flags))
      order by occurred_at desc limit 5`),
    queryRows<{ k: string; n: string | number }>(db, sql`
      select k, count(*) as n from (
        select keywords from communications where customer_id = ${customerId}
        order by occurred_at desc limit 500) c, unnest(c.keywords) k
      group by k order by count(*) desc, k limit 10`),
    queryRows<{ id: string; kind: string; subject: string | null; last_at: string | Date; n: string | number; raw_ref: string | null }>(db, sql`
      select t.id, coalesce(t.kind, 'feedback') as kind, t.subject, t.last_at,
        (select count(*) from communications c where c.thread_id = t.id) as n,
        (select c.raw_ref from communications c where c.thread_id = t.id order by c.occurred_at limit 1) as raw_ref
      from threads t
      where t.customer_id = ${customerId} and t.status = 'open' and t.kind = any(${sql.param(feedbackKinds)}::text[])
      order by t.last_at desc limit 5`),
    // Analytics: the latest segment run and value model that cover this customer.
    queryRows<{ label_en: string; label_zh: string; traits: { en: string }[] | null }>(db, sql`
      select cs.label_en, cs.label_zh,
        (select s -> 'traits' from jsonb_array_elements(r.segments) s where (s ->> 'index')::int = cs.segment) as traits
      from customer_segments cs join segment_runs r on r.id = cs.run_id
      where cs.customer_id = ${customerId} order by r.created_at desc limit 1`),
    queryRows<{ tier: string; confidence: number | string; version: number | string; cv_accuracy: number | string | null }>(db, sql`
      select t.tier, t.confidence, m.version, m.cv_accuracy from customer_value_tiers t join value_models m on m.id = t.model_id
      where t.customer_id = ${customerId} order by m.version desc limit 1`),
    queryRows<{ kind: string; value: string }>(db, sql`select kind, value from identities where customer_id = ${customerId}`),
  ]);
  const tier = value[0];
  const explained = tier && opts.explainValue ? await opts.explainValue(customer.id).catch(() => null) : null;
  const pct = (x: number | string | null) => (x === null ? null : `${Math.round(Number(x) * 100)}%`);

  return {
    id: customer.id,
    name: customer.name,
    company: customer.company?.name ?? null,
    owner: customer.owner,
    tags: customer.tags,
    emails: customer.emails,
    phones: customer.phones,
    identities: held.map((i) => `${i.kind}:${i.value}`),
    value: tier
      ? {
          tier: tier.tier,
          reason:
            explained ??
            `value model v${Number(tier.version)}: ${pct(tier.confidence)} of similar customers are ${tier.tier}` +
              (tier.cv_accuracy !== null ? ` (model accuracy ${pct(tier.cv_accuracy)})` : ''),
        }
      : null,
    segment: segment[0] ? { label: segment[0].label_en, description: segmentDescription(segment[0]) } : null,
    totals: {
      orders: orders.reduce((s, r) => s + Number(r.n), 0),
      revenue: orders.map((r) => ({ currency: r.currency, amount: r.total })),
      communications: Number(counts[0]?.n ?? 0),
    },
    recent: recent.map((r) => {
      const from = (Array.isArray(r.participants) ? r.participants : []).find((p: { role?: string }) => p.role === 'from') as
        | { name?: string; email?: string; slackUser?: string; phone?: string }
        | undefined;
      return {
        id: r.id,
        channel: r.channel,
        direction: r.direction,
        kind: r.kind,
        occurredAt: new Date(r.occurred_at),
        who: from?.name ?? from?.email ?? from?.phone ?? from?.slackUser ?? null,
        snippet: (r.text || r.subject || '').trim(),
        link: linkFor({ id: r.id, rawRef: r.raw_ref }),
      };
    }),
    keywords: keywords.map((k) => k.k),
    openThreads: open.map((t) => ({
      id: t.id,
      kind: t.kind,
      subject: t.subject,
      lastAt: new Date(t.last_at),
      messages: Number(t.n),
      link: httpLink(t.raw_ref),
    })),
    link: opts.customerLink?.(customer.id) ?? null,
  };
}
