// One customer: the card (company, identities, owner, tags, value tier and why, segment and its
// history), orders with revenue by month, conversations by thread, keywords, notes, similar past
// conversations on demand, and (for agents) adding a note and merging.
import type { CustomerCard } from '../../core/customer-card.js';
import type { SegmentHistoryEntry } from '../../store/analytics-repo.js';
import type { CustomerView } from '../../store/customers-repo.js';
import type { ThreadView } from '../../store/customer-threads.js';
import type { OrderView } from '../../store/orders-query.js';
import { Chart, Empty, Pill, PostForm } from './components.js';
import { tierTone } from './customers.js';
import { Layout } from './layout.js';
import { ThreadPage } from './timeline.js';
import { formatTime, type ViewContext } from '../view-context.js';

export interface CustomerPageProps {
  ctx: ViewContext;
  customer: CustomerView;
  card: CustomerCard;
  why: { en: string; zh: string } | null;
  segments: SegmentHistoryEntry[];
  orders: OrderView[];
  revenue: { month: string; currency: string; amount: string }[];
  threads: ThreadView[];
  nextCursor: string | null;
  notes: { id: string; text: string; by: string | null; at: string }[];
  canAct: boolean;
}

/** Every month from the first with revenue to the last, so a quiet month shows as zero. */
function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split('-').map(Number) as [number, number];
  for (let i = 0; i < 240; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) break;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

function revenueSpec(rows: CustomerPageProps['revenue']) {
  const sorted = [...new Set(rows.map((r) => r.month))].sort();
  const months = sorted.length ? monthRange(sorted[0]!, sorted.at(-1)!) : [];
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return {
    type: 'line' as const,
    labels: months,
    series: currencies.map((cur) => ({ label: cur, values: months.map((m) => Number(rows.find((r) => r.month === m && r.currency === cur)?.amount ?? 0)) })),
  };
}

export function CustomerPage(p: CustomerPageProps) {
  const { ctx, customer: c, card } = p;
  const t = ctx.t;
  const seg = card.segment ? (ctx.lang === 'zh' ? card.segment.description ?? card.segment.label : card.segment.label) : null;
  return (
    <Layout ctx={ctx} title={c.name} section="customers" charts>
      <p class="crumbs"><a href="/customers">← {t.customersTitle}</a></p>
      <div class="title-row">
        <h1>{c.name}</h1>
        {card.value ? <Pill tone={tierTone(card.value.tier)}>{`${t.valueTier}: ${card.value.tier}`}</Pill> : null}
        {seg ? <Pill tone="info">{seg}</Pill> : null}
      </div>
      <div class="grid customer">
        <div class="side">
          <section class="panel card">
            <dl class="facts">
              <dt>{t.company}</dt><dd>{c.company?.name ?? t.none}</dd>
              <dt>{t.email}</dt><dd>{c.emails.length ? c.emails.map((e) => <div>{e}</div>) : t.none}</dd>
              <dt>{t.phones}</dt><dd>{c.phones.length ? c.phones.map((e) => <div>{e}</div>) : t.none}</dd>
              {c.slackUsers.length ? (<><dt>{t.slackUsers}</dt><dd>{c.slackUsers.join(', ')}</dd></>) : null}
              {c.externalId ? (<><dt>{t.externalId}</dt><dd>{c.externalId}</dd></>) : null}
              <dt>{t.owner}</dt><dd>{c.owner ?? t.none}</dd>
              <dt>{t.tags}</dt><dd>{c.tags.length ? c.tags.map((x) => <Pill>{x}</Pill>) : t.none}</dd>
              <dt>{t.totals}</dt>
              <dd>
                {t.orders}: {card.totals.orders} · {t.communications}: {card.totals.communications}
                {card.totals.revenue.map((r) => <div>{t.revenue}: {r.amount} {r.currency}</div>)}
              </dd>
            </dl>
            {card.value ? (
              <div class="why">
                <h2>{t.valueTier}: {card.value.tier}</h2>
                <p class="small">{t.why}: {p.why ? (ctx.lang === 'zh' ? p.why.zh : p.why.en) : card.value.reason}</p>
              </div>
            ) : null}
            {p.segments.length ? (
              <div>
                <h2>{t.segmentHistory}</h2>
                <ol class="history">
                  {p.segments.map((s) => <li><span>{ctx.lang === 'zh' ? s.zh : s.en}</span> <span class="muted small">{formatTime(ctx, s.at, 'date')}</span></li>)}
                </ol>
              </div>
            ) : null}
          </section>
          <section class="panel">
            <h2>{t.topKeywords}</h2>
            {card.keywords.length ? <p>{card.keywords.map((k) => <Pill>{k}</Pill>)}</p> : <Empty>{t.nothingYet}</Empty>}
          </section>
          <section class="panel" id="notes">
            <h2>{t.notes}</h2>
            {p.notes.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
              <ul class="notes">{p.notes.map((n) => <li><p class="text">{n.text}</p><p class="muted small">{n.by ?? ''} · {formatTime(ctx, n.at)}</p></li>)}</ul>
            )}
            {p.canAct ? (
              <PostForm ctx={ctx} action={`/customers/${c.id}/notes`}>
                <label for="note">{t.noteText}</label>
                <textarea id="note" name="text" rows={3} required maxLength={10000}></textarea>
                <button type="submit">{t.addNote}</button>
              </PostForm>
            ) : null}
          </section>
          <section class="panel" id="similar">
            <h2>{t.similar}</h2>
            <p><a href={`/customers/${c.id}/similar`} hx-get={`/customers/${c.id}/similar`} hx-target="#similar-results" hx-swap="innerHTML">{t.showSimilar}</a></p>
            <div id="similar-results"></div>
          </section>
          {p.canAct ? (
            <section class="panel">
              <h2>{t.mergeInto}</h2>
              <form method="get" action={`/customers/${c.id}/merge`} class="stack">
                <label for="into">{t.mergeTarget}</label>
                <input id="into" name="into" required maxLength={320} />
                <button type="submit" class="secondary">{t.mergePreview}</button>
              </form>
            </section>
          ) : null}
        </div>
        <div class="main-col">
          <section class="panel">
            <h2>{t.orders}</h2>
            {p.revenue.length ? <Chart ctx={ctx} id="revenue" caption={t.revenueOverTime} labelHeader={t.month} spec={revenueSpec(p.revenue)} /> : null}
            {p.orders.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
              <table class="list compact">
                <thead><tr><th scope="col">{t.orderId}</th><th scope="col">{t.date}</th><th scope="col">{t.status}</th><th scope="col" class="num">{t.amount}</th></tr></thead>
                <tbody>
                  {p.orders.map((o) => <tr><td>{o.externalId}</td><td>{formatTime(ctx, o.orderedAt, 'date')}</td><td>{o.status}</td><td class="num">{o.amount} {o.currency}</td></tr>)}
                </tbody>
              </table>
            )}
          </section>
          <section class="panel" id="timeline">
            <h2>{t.timeline}</h2>
            {p.threads.length === 0 ? <Empty>{t.noCommunications}</Empty> : <ThreadPage ctx={ctx} customerId={c.id} threads={p.threads} nextCursor={p.nextCursor} />}
          </section>
        </div>
      </div>
    </Layout>
  );
}

export interface SimilarHitView {
  id: string;
  score: number;
  customerId: string | null;
  customerName: string | null;
  occurredAt: string;
  subject: string | null;
  snippet: string;
}

export function SimilarList({ ctx, hits }: { ctx: ViewContext; hits: SimilarHitView[] | null }) {
  if (!hits || hits.length === 0) return <Empty>{ctx.t.noSimilar}</Empty>;
  return (
    <ul class="items">
      {hits.map((h) => (
        <li>
          <div class="item-head">
            <a href={`/communications/${h.id}`}>{h.subject ?? ctx.t.noSubject}</a>
            {h.customerId ? <span class="muted"> · <a href={`/customers/${h.customerId}`}>{h.customerName}</a></span> : null}
            <span class="muted right small">{h.score.toFixed(2)}</span>
          </div>
          <p class="snippet">{h.snippet}</p>
        </li>
      ))}
    </ul>
  );
}

export function MergePreviewPage({ ctx, source, target, moves }: { ctx: ViewContext; source: CustomerView; target: CustomerView; moves: Record<string, number> }) {
  const t = ctx.t;
  const person = (c: CustomerView) => (
    <dl class="facts">
      <dt>{t.name}</dt><dd><a href={`/customers/${c.id}`}>{c.name}</a></dd>
      <dt>{t.company}</dt><dd>{c.company?.name ?? t.none}</dd>
      <dt>{t.email}</dt><dd>{c.emails.join(', ') || t.none}</dd>
      <dt>{t.phones}</dt><dd>{c.phones.join(', ') || t.none}</dd>
    </dl>
  );
  return (
    <Layout ctx={ctx} title={t.mergeTitle} section="customers">
      <h1>{t.mergeTitle}</h1>
      <div class="grid two">
        <section class="panel"><h2>{t.source}</h2>{person(source)}</section>
        <section class="panel"><h2>{t.target}</h2>{person(target)}</section>
      </div>
      <section class="panel">
        <h2>{t.mergeMoves}</h2>
        {Object.keys(moves).length === 0 ? <Empty>{t.nothingYet}</Empty> : (
          <table class="list compact">
            <thead><tr><th scope="col">{t.table}</th><th scope="col" class="num">{t.rows}</th></tr></thead>
            <tbody>{Object.entries(moves).map(([k, n]) => <tr><td>{k}</td><td class="num">{n}</td></tr>)}</tbody>
          </table>
        )}
        <PostForm ctx={ctx} action={`/customers/${source.id}/merge`} class="row">
          <input type="hidden" name="into" value={target.id} />
          <button type="submit" class="danger">{t.mergeConfirm}</button>
          <a href={`/customers/${source.id}`} class="button secondary">{t.cancel}</a>
        </PostForm>
      </section>
    </Layout>
  );
}
