import type { ConsoleCustomerFilter, CustomerRow, FilterOptions } from '../../store/console-customers-query.js';
import type { Page } from '../../store/pagination.js';
import { Empty, NextPage, Pill } from './components.js';
import { Layout } from './layout.js';
import { formatTime, href, type ViewContext } from '../view-context.js';

const params = (f: ConsoleCustomerFilter) => ({ q: f.q, tag: f.tag, owner: f.owner, segment: f.segment, tier: f.tier, contact: f.contact });

export function tierTone(tier: string | null): 'good' | 'info' | 'neutral' {
  return tier === 'high' ? 'good' : tier === 'medium' ? 'info' : 'neutral';
}

export function CustomerResults({ ctx, filter, page }: { ctx: ViewContext; filter: ConsoleCustomerFilter; page: Page<CustomerRow> }) {
  const t = ctx.t;
  return (
    <div id="results" aria-live="polite">
      <p class="toolbar">
        <a class="button secondary" href={href('/customers.csv', params(filter))} download>{t.exportCsv}</a>
      </p>
      {page.data.length === 0 ? <Empty>{t.noCustomers}</Empty> : (
        <table class="list customers">
          <thead>
            <tr>
              <th scope="col">{t.name}</th>
              <th scope="col">{t.company}</th>
              <th scope="col">{t.email}</th>
              <th scope="col">{t.phones}</th>
              <th scope="col">{t.owner}</th>
              <th scope="col">{t.tags}</th>
              <th scope="col">{t.segment}</th>
              <th scope="col">{t.tier}</th>
              <th scope="col">{t.lastContact}</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((c) => (
              <tr>
                <td><a href={`/customers/${c.id}`}>{c.name}</a></td>
                <td>{c.company ?? t.none}</td>
                <td>{c.email ?? t.none}</td>
                <td class="nowrap">{c.phone ?? t.none}</td>
                <td>{c.owner ?? t.none}</td>
                <td>{c.tags.map((tag) => <Pill>{tag}</Pill>)}</td>
                <td>{c.segment ? (ctx.lang === 'zh' ? c.segment.zh : c.segment.en) : t.none}</td>
                <td>{c.tier ? <Pill tone={tierTone(c.tier)}>{c.tier}</Pill> : t.none}</td>
                <td class="nowrap">{formatTime(ctx, c.lastContactAt, 'date')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NextPage ctx={ctx} href={page.nextCursor ? href('/customers', { ...params(filter), cursor: page.nextCursor }) : null} />
    </div>
  );
}

function Select(props: { id: string; label: string; value: string | undefined; options: [string, string][]; anyLabel: string }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">{props.anyLabel}</option>
        {props.options.map(([value, label]) => <option value={value} selected={props.value === value}>{label}</option>)}
      </select>
    </div>
  );
}

export function CustomersPage({ ctx, filter, page, options }: { ctx: ViewContext; filter: ConsoleCustomerFilter; page: Page<CustomerRow>; options: FilterOptions }) {
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t.customersTitle} section="customers">
      <h1>{t.customersTitle}</h1>
      <form method="get" action="/customers" class="filters panel" role="search"
        hx-get="/customers" hx-target="#results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, input delay:250ms from:#q, change">
        <div class="field grow">
          <label for="q">{t.searchCustomers}</label>
          <input id="q" name="q" type="search" value={filter.q ?? ''} placeholder={t.searchCustomers} autocomplete="off" />
        </div>
        <Select id="tag" label={t.tag} value={filter.tag} anyLabel={t.any} options={options.tags.map((x) => [x, x])} />
        <Select id="owner" label={t.owner} value={filter.owner} anyLabel={t.any} options={options.owners.map((x) => [x, x])} />
        <Select id="segment" label={t.segment} value={filter.segment === undefined ? undefined : String(filter.segment)} anyLabel={t.any}
          options={options.segments.map((s) => [String(s.index), ctx.lang === 'zh' ? s.zh : s.en])} />
        <Select id="tier" label={t.tier} value={filter.tier} anyLabel={t.any} options={options.tiers.map((x) => [x, x])} />
        <Select id="contact" label={t.lastContact} value={filter.contact} anyLabel={t.any} options={Object.entries(t.contactWithin)} />
        <div class="field actions">
          <button type="submit">{t.apply}</button>
          <a href="/customers" class="button secondary">{t.clear}</a>
        </div>
      </form>
      <CustomerResults ctx={ctx} filter={filter} page={page} />
    </Layout>
  );
}
