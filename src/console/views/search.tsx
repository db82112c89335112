import type { SearchHit } from '../../store/communications-query.js';
import type { Page } from '../../store/pagination.js';
import { highlight, searchTerms } from '../highlight.js';
import { Empty, NextPage, Pill, kindTone, sentimentTone } from './components.js';
import { Layout } from './layout.js';
import { formatTime, href, type ViewContext } from '../view-context.js';

export interface SearchForm {
  q: string;
  channel?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  customer?: string | undefined;
}

const channels = ['email', 'slack', 'webhook', 'console'];
const kinds = ['feedback', 'question', 'issue', 'complaint', 'praise', 'other', 'note', 'message'];

export function SearchResults({ ctx, form, page, names }: { ctx: ViewContext; form: SearchForm; page: Page<SearchHit> | null; names: Map<string, string> }) {
  const t = ctx.t;
  if (!page) return <div id="results"><Empty>{t.typeToSearch}</Empty></div>;
  const terms = searchTerms(form.q);
  return (
    <div id="results" aria-live="polite">
      {page.data.length === 0 ? <Empty>{t.noResults}</Empty> : (
        <ol class="hits">
          {page.data.map((h) => (
            <li class="hit">
              <div class="item-head">
                <a href={`/communications/${h.id}`}>{highlight(h.subject ?? t.noSubject, terms, 200).map((p) => (p.hit ? <mark>{p.text}</mark> : p.text))}</a>
                {h.customerId ? <span class="muted"> · <a href={`/customers/${h.customerId}`}>{names.get(h.customerId) ?? t.customer}</a></span> : null}
                <span class="muted right small">{formatTime(ctx, h.occurredAt)}</span>
              </div>
              <div class="meta">
                <Pill tone={h.channel === 'slack' ? 'info' : 'neutral'}>{h.channel}</Pill>
                <Pill tone={kindTone(h.kind)}>{h.kind}</Pill>
                {h.sentiment !== null ? <Pill tone={sentimentTone(h.sentiment)}>{h.sentiment.toFixed(2)}</Pill> : null}
              </div>
              <p class="snippet">{highlight(h.text, terms).map((p) => (p.hit ? <mark>{p.text}</mark> : p.text))}</p>
            </li>
          ))}
        </ol>
      )}
      <NextPage ctx={ctx} href={page.nextCursor ? href('/search', { ...form, cursor: page.nextCursor }) : null} />
    </div>
  );
}

export function SearchPage({ ctx, form, page, names }: { ctx: ViewContext; form: SearchForm; page: Page<SearchHit> | null; names: Map<string, string> }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t.searchTitle} section="search">
      <h1>{t.searchTitle}</h1>
      <form method="get" action="/search" class="filters panel" role="search"
        hx-get="/search" hx-target="#results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, input delay:300ms from:#q, change">
        <div class="field grow">
          <label for="q">{t.search}</label>
          <input id="q" name="q" type="search" value={form.q} placeholder={t.searchPlaceholder} autocomplete="off" />
        </div>
        <div class="field">
          <label for="channel">{t.channel}</label>
          <select id="channel" name="channel"><option value="">{t.any}</option>{channels.map((c) => <option value={c} selected={form.channel === c}>{c}</option>)}</select>
        </div>
        <div class="field">
          <label for="kind">{t.kind}</label>
          <select id="kind" name="kind"><option value="">{t.any}</option>{kinds.map((k) => <option value={k} selected={form.kind === k}>{k}</option>)}</select>
        </div>
        <div class="field"><label for="from">{t.from}</label><input id="from" name="from" type="date" value={form.from ?? ''} /></div>
        <div class="field"><label for="to">{t.to}</label><input id="to" name="to" type="date" value={form.to ?? ''} /></div>
        <div class="field"><label for="customer">{t.customer}</label><input id="customer" name="customer" value={form.customer ?? ''} placeholder={t.email} /></div>
        <div class="field actions"><button type="submit">{t.search}</button></div>
      </form>
      <SearchResults ctx={ctx} form={form} page={page} names={names} />
    </Layout>
  );
}
