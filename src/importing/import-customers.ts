// `rapport import customers FILE.csv`: creates or updates customers (matched by external id, then
// by any email or phone), so importing the same file twice changes nothing the second time.
import { createCustomer, insertNewCustomers, upsertCustomer } from '../store/customers-repo.js';
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
      bulk: {
        // The new customers of the batch, created together: nobody holds any of their identities
        // and no row before them in the batch names one (a duplicate within the file is merged
        // into the first row, which must exist by then). A company new to the batch is created by
        // the first row naming it: a row written one by one that comes first keeps that, so a new
        // customer after it naming the same new company is written one by one too.
        select(customers, known) {
          const fresh = known.identities.independentNew(customers);
          const namedBefore = new Set<string>();
          return customers.map((c, i) => {
            const newCompany = c.company && !known.companies.has(c.company.name) ? c.company.name.toLowerCase() : null;
            const take = fresh[i]! && !(newCompany !== null && namedBefore.has(newCompany));
            if (!take && newCompany !== null) namedBefore.add(newCompany);
            return take;
          });
        },
        async write(tx, customers, known) {
          const companyIds = await known.companies.ids(tx, customers.map((c) => c.company));
          const ids = await insertNewCustomers(tx, customers.map((customer, i) => ({ customer, companyId: companyIds[i] ?? null })));
          customers.forEach((c, i) => known.identities.remember(c, ids[i]!));
          return customers.map(() => ({ created: true }));
        },
      },
    },
    emptySummary('customers', path),
    opts,
  );
  return finishSummary(summary, started);
}
