// Finding customers from what a person types: an email, a company domain, a phone number, a Slack
// mention, or part of a name or company name. Nothing found → the closest names (see
// core/closest-names.ts: LIKE pre-filter here, n-gram ranking in code, same on PGlite and PostgreSQL).
// Names are found with `lower(name) like '%text%'`, which the pg_trgm GIN indexes of migration 0007
// answer (on PGlite too) when the text has a trigram; without pg_trgm the same query scans.
import { sql, type SQL } from 'drizzle-orm';
import { candidatePatterns, closestNames } from '../core/closest-names.js';
import type { LookupOutcome } from '../core/customer-card.js';
import { emailMatchKey, normalizeDomain } from '../core/email-address.js';
import { normalizePhone } from '../core/phone-number.js';
import type { DbOrTx } from './database.js';
import { queryRows } from './rows.js';

export type ClassifiedQuery =
  | { kind: 'email' | 'phone' | 'slack_user'; value: string }
  | { kind: 'domain'; value: string }
  | { kind: 'name'; value: string };

/** What kind of thing was typed, normalized for matching; null when it is empty. */
export function classifyLookup(raw: string, defaultRegion: string): ClassifiedQuery | null {
  const q = raw.trim();
  if (!q) return null;
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(q);
  if (mention) return { kind: 'slack_user', value: mention[1]! };
  if (/^[^\s@]+@[^\s@]+$/.test(q)) {
    const key = emailMatchKey(q);
    if (key) return { kind: 'email', value: key };
  }
  if (!/\s/.test(q) && q.includes('.') && !/^[\d+().-]+$/.test(q)) {
    const domain = normalizeDomain(q.replace(/^https?:\/\//i, '').replace(/^www\./i, '').replace(/\/.*$/, ''));
    if (domain) return { kind: 'domain', value: domain };
  }
  if (/^\+?[\d\s().-]{6,}$/.test(q) && q.replace(/\D/g, '').length >= 6) {
    const phone = normalizePhone(q, defaultRegion);
    if (phone) return { kind: 'phone', value: phone };
  }
  return { kind: 'name', value: q };
}

/** `kind:value` of an exact identity query (email, phone, Slack user), as identities are stored; else null. */
export function identityKey(q: ClassifiedQuery | null): string | null {
  return q && (q.kind === 'email' || q.kind === 'phone' || q.kind === 'slack_user') ? `${q.kind}:${q.value}` : null;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface MatchRow {
  id: string;
  name: string;
  company: string | null;
  hint: string | null;
}

const matchColumns = sql`cu.id, cu.name, co.name as company,
  (select i.display from identities i where i.customer_id = cu.id and i.kind in ('email', 'phone')
    order by i.kind, i.created_at limit 1) as hint`;

export async function lookupCustomers(db: DbOrTx, raw: string, opts: { limit: number; defaultRegion: string }): Promise<LookupOutcome> {
  const q = classifyLookup(raw, opts.defaultRegion);
  if (!q) return { kind: 'name', matches: [], more: false, suggestions: [] };
  const take = opts.limit + 1;
  let rows: MatchRow[];
  switch (q.kind) {
    case 'email':
    case 'phone':
    case 'slack_user':
      rows = await queryRows<MatchRow>(db, sql`
        select ${matchColumns} from identities idn
        join customers cu on cu.id = idn.customer_id and cu.deleted_at is null
        left join companies co on co.id = cu.company_id
        where idn.kind = ${q.kind} and idn.value = ${q.value}
        limit ${take}`);
      break;
    case 'domain':
      // Customers of the company using the domain, and anyone with an email there.
      rows = await queryRows<MatchRow>(db, sql`
        select ${matchColumns} from customers cu
        left join companies co on co.id = cu.company_id
        where cu.deleted_at is null and (
          co.domains @> array[${q.value}]::text[]
          or exists (select 1 from identities i where i.customer_id = cu.id and i.kind = 'email' and i.value like ${`%@${likeEscape(q.value)}`}))
        order by lower(cu.name), cu.id
        limit ${take}`);
      break;
    case 'name':
      rows = await byName(db, q.value, take);
      break;
  }
  const matches = rows.slice(0, opts.limit).map((r) => ({ id: r.id, name: r.name, company: r.company, hint: r.hint }));
  const suggestions = matches.length === 0 ? await suggestNames(db, suggestionQuery(q)) : [];
  return { kind: q.kind, matches, more: rows.length > opts.limit, suggestions };
}

/**
 * Customers whose name or company name contains `name`, best placed first. The candidates come
 * from each name column on its own (a union, not an OR across the join), so each can use its
 * trigram index.
 */
export function nameLookupQuery(name: string, take: number): SQL {
  const lower = name.toLowerCase();
  const contains = `%${likeEscape(lower)}%`;
  const starts = `${likeEscape(lower)}%`;
  return sql`
    select ${matchColumns},
      case when lower(cu.name) = ${lower} then 0 when lower(co.name) = ${lower} then 1
           when lower(cu.name) like ${starts} then 2 when lower(co.name) like ${starts} then 3 else 4 end as rank
    from customers cu
    left join companies co on co.id = cu.company_id
    where cu.deleted_at is null and cu.id in (
      select id from customers where lower(name) like ${contains}
      union
      select c2.id from companies co2 join customers c2 on c2.company_id = co2.id where lower(co2.name) like ${contains})
    order by rank, length(cu.name), lower(cu.name), cu.id
    limit ${take}`;
}

/** Exact names (customer or company) win; else names containing the text, best placed first. */
async function byName(db: DbOrTx, name: string, take: number): Promise<MatchRow[]> {
  const rows = await queryRows<MatchRow & { rank: number | string }>(db, nameLookupQuery(name, take));
  const exact = rows.filter((r) => Number(r.rank) <= 1);
  return exact.length > 0 ? exact : rows;
}

function suggestionQuery(q: ClassifiedQuery): string {
  if (q.kind === 'email') return q.value.split('@').map((p) => p.split('.')[0]).join(' ');
  if (q.kind === 'domain') return q.value.split('.').slice(0, -1).join(' ');
  if (q.kind === 'name') return q.value;
  return '';
}

/** Up to five customer or company names closest to `query`. */
export async function suggestNames(db: DbOrTx, query: string, limit = 5): Promise<string[]> {
  const patterns = candidatePatterns(query);
  if (patterns.length === 0) return [];
  const any = sql.join(patterns.map((p) => sql`lower(name) like ${p}`), sql` or `);
  const rows = await queryRows<{ name: string }>(db, sql`
    select name from (
      select name from customers where deleted_at is null
      union all
      select name from companies) n
    where ${any}
    limit 2000`);
  return closestNames(query, rows.map((r) => r.name), limit);
}

/** Companies by exact name or domain; failing that, names containing the text. */
export async function lookupCompanies(db: DbOrTx, raw: string, limit = 10): Promise<{ id: string; name: string }[]> {
  const q = raw.trim();
  if (!q) return [];
  const domain = !/\s/.test(q) && q.includes('.') ? normalizeDomain(q.replace(/^https?:\/\//i, '').replace(/^www\./i, '').replace(/\/.*$/, '')) : null;
  const exact = await queryRows<{ id: string; name: string }>(db, sql`
    select id, name from companies
    where lower(name) = ${q.toLowerCase()} ${domain ? sql`or domains @> array[${domain}]::text[]` : sql``}
    order by name limit ${limit}`);
  if (exact.length > 0 || domain) return exact;
  return queryRows<{ id: string; name: string }>(db, sql`
    select id, name from companies where lower(name) like ${`%${likeEscape(q.toLowerCase())}%`}
    order by length(name), name limit ${limit}`);
}
