// `rapport import orders FILE.csv`: each order is linked to its customer by the customer's external
// id or email, and keyed on its own external id, so re-importing an export updates in place.
import { emailMatchKey } from '../core/email-address.js';
import { findCustomerByIdentity } from '../store/customers-repo.js';
import type { DbOrTx } from '../store/database.js';
import { upsertOrder } from '../store/orders-repo.js';
import { mapHeader } from './columns.js';
import { openCsv } from './csv-source.js';
import { emptySummary, finishSummary, type ImportSummary } from './import-summary.js';
import { orderColumns, orderFromRow } from './order-rows.js';
import { RowRejected } from './row-rejection.js';
import { runImport, type ImportDeps, type ImportOptions } from './run-import.js';

export async function importOrders(deps: Pick<ImportDeps, 'db'>, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const source = await openCsv(path, (header) => mapHeader(header, orderColumns, 'order'), opts);
  const columns = source.columns;
  const summary = await runImport(
    deps.db,
    source,
    {
      parse: (fields) => ({ row: orderFromRow(columns, fields), warnings: [] }),
      async write(tx, order) {
        const customerId = await findOrderCustomer(tx, order.customer);
        if (!customerId) {
          throw new RowRejected('unknown_customer', `unknown customer ${JSON.stringify(order.customer)}: no customer has this external id or email`);
        }
        const { customer: _ref, ...rest } = order;
        return upsertOrder(tx, { ...rest, customerId });
      },
    },
    emptySummary('orders', path),
    opts,
  );
  return finishSummary(summary, started);
}

/** The `customer` cell is the customer's external id, or else one of their emails. */
async function findOrderCustomer(db: DbOrTx, ref: string): Promise<string | null> {
  const byExternalId = await findCustomerByIdentity(db, 'external_id', ref);
  if (byExternalId) return byExternalId;
  const key = ref.includes('@') ? emailMatchKey(ref) : null;
  return key ? findCustomerByIdentity(db, 'email', key) : null;
}
