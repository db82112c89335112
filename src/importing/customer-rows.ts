// A customer CSV row → a normalized customer, through the same normalizeCustomer the API uses.
import { normalizeCustomer, type NormalizedCustomer } from '../core/customers.js';
import { isRapportError, type FieldIssue } from '../core/errors.js';
import { field, splitValues, type ColumnSpec, type HeaderMap } from './columns.js';
import { rejectionFromFieldIssues } from './row-rejection.js';

export type CustomerColumn = 'name' | 'emails' | 'phones' | 'company' | 'domains' | 'tags' | 'owner' | 'external_id';

export const customerColumns: ColumnSpec<CustomerColumn>[] = [
  { key: 'name', required: true },
  { key: 'emails', aliases: ['email'] },
  { key: 'phones', aliases: ['phone'] },
  { key: 'company' },
  { key: 'domains', aliases: ['domain'] },
  { key: 'tags', aliases: ['tag'] },
  { key: 'owner' },
  { key: 'external_id', aliases: ['externalid'] },
];

/** Throws RowRejected when the row is invalid (every problem of the row in one reason). */
export function customerFromRow(map: HeaderMap<CustomerColumn>, fields: string[], defaultRegion: string): NormalizedCustomer {
  const get = (k: CustomerColumn) => field(map, fields, k);
  try {
    return normalizeCustomer(
      {
        name: get('name'),
        emails: splitValues(get('emails')),
        phones: splitValues(get('phones')),
        company: get('company') || null,
        domains: splitValues(get('domains')),
        tags: splitValues(get('tags')),
        owner: get('owner') || null,
        externalId: get('external_id') || null,
      },
      { defaultRegion, requireName: true },
    );
  } catch (e) {
    if (isRapportError(e, 'validation')) throw rejectionFromFieldIssues((e.details?.fields ?? []) as FieldIssue[], e.message);
    throw e;
  }
}
