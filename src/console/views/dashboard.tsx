import type { DigestMessage, DigestWaiting } from '../../digest/digest.js';
import type { DayCount, SegmentSize } from '../../store/dashboard-queries.js';
import { Chart, Empty, Pill, kindTone, type ChartSpec } from './components.js';
import { Layout } from './layout.js';
import { formatTime, type ViewContext } from '../view-context.js';

export interface DashboardProps {
  ctx: ViewContext;
  now: Date;
  perDay: DayCount[];
  segments: { at: string; segments: SegmentSize[] } | null;
  tiers: { version: number; tiers: { tier: string; count: number }[] } | null;
  customers: number;
  negative: DigestMessage[];
  waiting: DigestWaiting[];
  trends: { top: { term: string; count: number }[]; rising: { term: string; count: number; previous: number }[] };
}

/** Every day of the window, so quiet days show as zero instead of disappearing. */
function days(now: Date, n: number, timeZone: string): string[] {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(f.format(new Date(now.getTime() - i * 86_400_000)));
  return [...new Set(out)];
}

function perDaySpec(rows: DayCount[], labels: string[], by: 'channel' | 'kind'): ChartSpec {
  const keys = [...new Set(rows.map((r) => r[by]))].sort();
  const index = new Map(labels.map((d, i) => [d, i]));
  const series = keys.map((k) => {
    const values = labels.map(() => 0);
    for (const r of rows) if (r[by] === k && index.has(r.day)) values[index.get(r.day)!]! += r.count;
    return { label: k, values };
  });
  return { type: 'bar', labels: labels.map((d) => d.slice(5)), series, stacked: true };
}

export function DashboardPage(p: DashboardProps) {
  const { ctx } = p;
  const t = ctx.t;
  const labels = days(p.now, 30, ctx.timeZone);
  const total = p.perDay.reduce((s, r) => s + r.count, 0);
  return (
    <Layout ctx={ctx} title={t.dashboardTitle} section="dashboard" charts>
      <h1>{t.dashboardTitle}</h1>
      <div class="stats">
        <div class="stat"><span class="stat-value">{p.customers.toLocaleString(ctx.lang === 'zh' ? 'zh-CN' : 'en')}</span><span class="stat-label">{t.customersCount}</span></div>
        <div class="stat"><span class="stat-value">{total.toLocaleString(ctx.lang === 'zh' ? 'zh-CN' : 'en')}</span><span class="stat-label">{t.messages30}</span></div>
        <div class="stat"><span class="stat-value">{p.negative.length}</span><span class="stat-label">{t.negativeHighValue}</span></div>
        <div class="stat"><span class="stat-value">{p.waiting.length}</span><span class="stat-label">{t.waitingReply}</span></div>
      </div>
      <div class="grid two">
        <section class="panel">
          <Chart ctx={ctx} id="per-day-channel" caption={`${t.messagesPerDay} · ${t.byChannel}`} labelHeader={t.day} spec={perDaySpec(p.perDay, labels, 'channel')} />
        </section>
        <section class="panel">
          <Chart ctx={ctx} id="per-day-kind" caption={`${t.messagesPerDay} · ${t.byKind}`} labelHeader={t.day} spec={perDaySpec(p.perDay, labels, 'kind')} />
        </section>
      </div>
      <div class="grid two">
        <section class="panel">
          <h2>{t.negativeHighValue}</h2>
          {p.negative.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
            <ul class="items">
              {p.negative.map((m) => (
                <li>
                  <div class="item-head">
                    {m.customer ? <a href={`/customers/${m.customer.id}`}>{m.customer.name}</a> : null}
                    {m.customer?.company ? <span class="muted"> · {m.customer.company}</span> : null}
                    <Pill tone={kindTone(m.kind)}>{m.kind}</Pill>
                    <Pill tone="bad">{m.sentiment?.toFixed(2)}</Pill>
                    <span class="muted right">{formatTime(ctx, m.occurredAt)}</span>
                  </div>
                  <p class="snippet">{m.subject ? <strong>{m.subject} — </strong> : null}{m.snippet}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="panel">
          <h2>{t.waitingReply}</h2>
          {p.waiting.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
            <table class="list">
              <tbody>
                {p.waiting.map((w) => (
                  <tr>
                    <td><a href={`/customers/${w.customer.id}`}>{w.customer.name}</a>{w.customer.company ? <span class="muted"> · {w.customer.company}</span> : null}</td>
                    <td>{w.subject ?? t.noSubject}</td>
                    <td class="num"><Pill tone="warn">{t.waitingHours(w.hoursWaiting)}</Pill></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <div class="grid three">
        <section class="panel">
          <h2>{t.trending}</h2>
          {p.trends.top.length === 0 ? <Empty>{t.nothingYet}</Empty> : (
            <ol class="keywords">
              {p.trends.top.map((k) => {
                const rising = p.trends.rising.find((r) => r.term === k.term);
                return <li>{k.term} <span class="muted">({k.count})</span>{rising ? <span class="rise" title={`${rising.previous}/day`}> ↑</span> : null}</li>;
              })}
            </ol>
          )}
        </section>
        <section class="panel">
          {p.segments ? (
            <Chart ctx={ctx} id="segments" caption={t.segments} labelHeader={t.segment}
              spec={{ type: 'doughnut', labels: p.segments.segments.map((s) => (ctx.lang === 'zh' ? s.zh : s.en)), series: [{ label: t.customersCount, values: p.segments.segments.map((s) => s.size) }] }} />
          ) : (<><h2>{t.segments}</h2><Empty>{t.noSegments}</Empty></>)}
        </section>
        <section class="panel">
          {p.tiers ? (
            <Chart ctx={ctx} id="tiers" caption={`${t.valueTiers} (v${p.tiers.version})`} labelHeader={t.tier}
              spec={{ type: 'bar', labels: p.tiers.tiers.map((x) => x.tier), series: [{ label: t.customersCount, values: p.tiers.tiers.map((x) => x.count) }] }} />
          ) : (<><h2>{t.valueTiers}</h2><Empty>{t.noTiers}</Empty></>)}
        </section>
      </div>
    </Layout>
  );
}
