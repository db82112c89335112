// Partial update of one customer (HTTP PATCH). Fields present replace what is stored: lists
// (emails, phones, slackUsers, tags) replace the whole list, null clears company/owner/externalId,
// and attributes merge key by key (a null value removes the key, as in JSON Merge Patch).
// Run it inside a transaction: a conflict on an identity must leave nothing half-written.
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { normalizeCustomer, type CustomerInput, type IdentityKind } from '../core/customers.js';
import { validationError } from '../core/errors.js';
import type { DbOrTx } from './database.js';
import { addIdentities, ensureCompany, softDeleteCustomer } from './customers-repo.js';
import { isUuid } from './pagination.js';
import { companies, customers, identities } from './schema/index.js';

/** The fields of a customer's input, each optional; a name, when given, cannot be cleared. */
export type CustomerPatch = Omit<CustomerInput, 'name'> & { name?: string | undefined };

const identityFields: [keyof CustomerPatch, IdentityKind][] = [
  ['emails', 'email'],
  ['phones', 'phone'],
  ['slackUsers', 'slack_user'],
  ['externalId', 'external_id'],
];

/** Applies the patch; returns the warnings (e.g. a refused free-mail domain), or null when there is no such customer. */
export async function patchCustomer(db: DbOrTx, id: string, patch: CustomerPatch, defaultRegion: string): Promise<{ warnings: string[] } | null> {
  if (!isUuid(id)) return null;
  const [current] = await db
    .select({ attributes: customers.attributes, companyName: companies.name })
    .from(customers)
    .leftJoin(companies, eq(companies.id, customers.companyId))
    .where(and(eq(customers.id, id), isNull(customers.deletedAt)))
    .for('update', { of: customers });
  if (!current) return null;

  if (patch.name !== undefined && !patch.name.trim()) throw validationError('missing name', [{ field: 'name', message: 'name cannot be empty' }]);
  // Domains belong to a company: without one in the patch they go to the customer's current company.
  const company = patch.company !== undefined ? patch.company : patch.domains?.length ? current.companyName : undefined;
  const n = normalizeCustomer({ ...patch, company }, { defaultRegion, requireName: false });

  const set: PgUpdateSetSource<typeof customers> = { updatedAt: sql`now()` };
  if (patch.name !== undefined) set.name = n.name;
  if (company !== undefined) set.companyId = n.company ? await ensureCompany(db, n.company) : null;
  if (patch.owner !== undefined) set.owner = n.owner;
  if (patch.tags !== undefined) set.tags = n.tags;
  if (patch.attributes !== undefined) {
    const merged: Record<string, unknown> = { ...current.attributes };
    for (const [k, v] of Object.entries(patch.attributes)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    set.attributes = merged;
  }
  await db.update(customers).set(set).where(eq(customers.id, id));

  const replaced = identityFields.filter(([field]) => patch[field] !== undefined).map(([, kind]) => kind);
  for (const kind of replaced) {
    const keep = n.identities.filter((i) => i.kind === kind).map((i) => i.value);
    await db
      .delete(identities)
      .where(and(eq(identities.customerId, id), eq(identities.kind, kind), keep.length ? notInArray(identities.value, keep) : undefined));
  }
  await addIdentities(db, id, n.identities);
  return { warnings: n.warnings };
}

/**
 * Soft-deletes a customer and releases their emails, phones, Slack users and external id, so a
 * new customer (or the capture pipeline) can take them; communications and orders stay attached to
 * the deleted record. False when there is no such (undeleted) customer.
 */
export async function deleteCustomer(db: DbOrTx, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  if (!(await softDeleteCustomer(db, id))) return false;
  await db.delete(identities).where(eq(identities.customerId, id));
  return true;
}
