// What the database already knows about the identities of one batch, loaded in one query and kept
// current as the batch's rows are written. It lets the importer decide per row without asking:
// nothing known → create; external id known → update; an email or phone held by a customer that
// has another external id → refuse; anything else → upsertCustomer decides (merge or conflict).
import type { NormalizedCustomer } from '../core/customers.js';
import type { DbOrTx } from '../store/database.js';
import { identityHolders } from '../store/identity-holders.js';
import { RowRejected } from './row-rejection.js';

export type CustomerPlan = 'create' | 'upsert';

const keyOf = (kind: string, value: string) => `${kind}\u0000${value}`;

export class KnownIdentities {
  private readonly holders = new Map<string, string>();
  private readonly externalIds = new Map<string, string | null>();

  static async load(db: DbOrTx, batch: NormalizedCustomer[]): Promise<KnownIdentities> {
    const known = new KnownIdentities();
    for (const h of await identityHolders(db, batch.flatMap((c) => c.identities))) {
      known.holders.set(keyOf(h.kind, h.value), h.customerId);
      known.externalIds.set(h.customerId, h.externalId);
    }
    return known;
  }

  /**
   * How to write this customer; throws RowRejected when its external id is new but one of its
   * emails or phones belongs to a customer with another external id: a different record of the
   * source system claiming that identity is refused, not merged (one customer, two external ids).
   */
  plan(c: NormalizedCustomer): CustomerPlan {
    const ext = c.identities.find((i) => i.kind === 'external_id');
    if (ext && this.holders.has(keyOf(ext.kind, ext.value))) return 'upsert';
    const held = c.identities.filter((i) => this.holders.has(keyOf(i.kind, i.value)));
    if (held.length === 0) return 'create';
    if (ext) {
      for (const i of held) {
        const other = this.externalIds.get(this.holders.get(keyOf(i.kind, i.value))!);
        if (other && other !== ext.value) {
          throw new RowRejected('identity_conflict', `${i.kind} ${i.display} already belongs to another customer (external id ${other})`);
        }
      }
    }
    return 'upsert';
  }

  /**
   * For each customer of the batch (in file order): true when nobody in the database holds any of
   * its identities and no row before it in the batch names any of them. Such a customer is new
   * whatever the rows before it do, and no row before it depends on it: it can be created before
   * them, with the others like it.
   */
  independentNew(batch: NormalizedCustomer[]): boolean[] {
    const named = new Set<string>();
    return batch.map((c) => {
      const keys = c.identities.map((i) => keyOf(i.kind, i.value));
      const fresh = keys.every((k) => !this.holders.has(k) && !named.has(k));
      for (const k of keys) named.add(k);
      return fresh;
    });
  }

  /** Records a written customer, so later rows of the batch see it. */
  remember(c: NormalizedCustomer, customerId: string): void {
    for (const i of c.identities) {
      const key = keyOf(i.kind, i.value);
      if (!this.holders.has(key)) this.holders.set(key, customerId);
    }
    const ext = c.identities.find((i) => i.kind === 'external_id');
    if (ext && !this.externalIds.get(customerId)) this.externalIds.set(customerId, ext.value);
  }
}
