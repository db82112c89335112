// `rapport import customers FILE.csv`: creates or updates customers (matched by external id, then
// by any email or phone), so importing the same file twice changes nothing the second time.
import { createCustomer, upsertCustomer } from '../store/customers-repo.js';
import { mapHeader } from './columns.js';
import { openCsv } from './csv-source.js';
import { customerColumns, customerFromRow } from './customer-rows.js';
import { emptySummary, finishSummary, type ImportSummary } from './import-summary.js';
import { KnownCompanies } from './known-companies.js';
import { KnownIdentities } from './known-identities.js';
import { runImport, type ImportDeps, type ImportOptions } from './run-import.js';

export async function importCustomers(deps: ImportDeps, path: string, opts: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  // The whole file is checked (encoding, CSV syntax, columns) before the first write.
  const source = await openCsv(path, (header) => mapHeader(header, customerColumns, 'customer'), opts);
  const columns = source.columns;
  const summary = await runImport(
    deps.db,
    source,
    {
      parse(fields) {
        const customer = customerFromRow(columns, fields, deps.defaultRegion);
        return { row: customer, warnings: customer.warnings };
      },
      prepare: async (tx, customers) => ({
        identities: await KnownIdentities.load(tx, customers),
        companies: await KnownCompanies.load(tx, customers.flatMap((c) => (c.company ? [c.company.name] : []))),
      }),
      async write(tx, customer, known) {
        // A customer none of whose identities exists is created directly (what upsertCustomer
        // would do after two lookups); everything else goes through upsertCustomer.
        const result = known.identities.plan(customer) === 'create' ? { id: await createCustomer(tx, customer), created: true } : await upsertCustomer(tx, customer);
        known.identities.remember(customer, result.id);
        return result;
      },
      fast: {
        // A new customer (nobody holds any of its identities) whose company the batch has looked up.
        accepts: (customer, known) => known.identities.isNew(customer),
        async write(tx, customer, known) {
          const companyId = customer.company ? await known.companies.id(tx, customer.company) : undefined;
          const id = await createCustomer(tx, customer, { ...(companyId ? { companyId } : {}), identitiesFree: true });
          known.identities.remember(customer, id);
          return { created: true };
        },
      },
    },
    emptySummary('customers', path),
    opts,
  );
  return finishSummary(summary, started);
}
