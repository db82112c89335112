// An order CSV row → a validated order. Amounts stay decimal strings (money is never a float);
// ordered_at is ISO 8601, read by Luxon, and a time without an offset is UTC.
import { DateTime } from 'luxon';
import type { ColumnSpec, HeaderMap } from './columns.js';
import { field } from './columns.js';
import { RowRejected } from './row-rejection.js';

export type OrderColumn = 'customer' | 'external_id' | 'amount' | 'currency' | 'status' | 'ordered_at';

export const orderColumns: ColumnSpec<OrderColumn>[] = [
  { key: 'customer', required: true },
  { key: 'external_id', aliases: ['externalid'], required: true },
  { key: 'amount', required: true },
  { key: 'currency', required: true },
  { key: 'status', required: true },
  { key: 'ordered_at', aliases: ['orderedat'], required: true },
];

export interface OrderRow {
  /** The customer's external id or email, as written. */
  customer: string;
  externalId: string;
  /** Exact decimal, at most 2 places (numeric(14,2)). */
  amount: string;
  currency: string;
  status: string;
  orderedAt: Date;
}

const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;
const currencies = new Set(Intl.supportedValuesOf('currency'));

export function orderFromRow(map: HeaderMap<OrderColumn>, fields: string[]): OrderRow {
  const get = (k: OrderColumn) => field(map, fields, k);
  const problems: RowRejected[] = [];
  const missing = (k: OrderColumn) => problems.push(new RowRejected('missing_value', `missing ${k}`));

  const customer = get('customer');
  if (!customer) missing('customer');
  const externalId = get('external_id');
  if (!externalId) missing('external_id');

  const rawAmount = get('amount');
  if (!rawAmount) missing('amount');
  else if (!AMOUNT.test(rawAmount)) {
    problems.push(new RowRejected('invalid_amount', `invalid amount ${JSON.stringify(rawAmount)}: write a non-negative number with at most 2 decimals and no thousands separators, e.g. 1234.50`));
  }

  const currency = get('currency').toUpperCase();
  if (!currency) missing('currency');
  else if (!currencies.has(currency)) problems.push(new RowRejected('invalid_currency', `invalid currency ${JSON.stringify(get('currency'))}: use an ISO 4217 code such as CNY or USD`));

  const status = get('status').toLowerCase();
  if (!status) missing('status');

  const rawDate = get('ordered_at');
  const date = rawDate ? DateTime.fromISO(rawDate, { zone: 'utc', setZone: true }) : null;
  if (!rawDate) missing('ordered_at');
  else if (!date?.isValid) {
    problems.push(new RowRejected('invalid_date', `invalid ordered_at ${JSON.stringify(rawDate)}: use ISO 8601, e.g. 2024-03-01 or 2024-03-01T09:30:00+08:00`));
  }

  const [first] = problems;
  if (first) throw new RowRejected(first.code, problems.map((p) => p.message).join('; '));
  return { customer, externalId, amount: normalizeAmount(rawAmount), currency, status, orderedAt: date!.toJSDate() };
}

const normalizeAmount = (a: string) => {
  const [int = '0', frac = ''] = a.split('.');
  return `${int.replace(/^0+(?=\d)/, '')}.${frac.padEnd(2, '0')}`;
};
