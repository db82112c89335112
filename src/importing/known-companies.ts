// The companies one batch of customers names, loaded in one query and kept current as the batch is
// written: a row whose company exists with all of its domains needs no statement for it.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../store/database.js';
import { ensureCompany } from '../store/customers-repo.js';

interface Known {
  id: string;
  domains: Set<string>;
}

export class KnownCompanies {
  private readonly byName = new Map<string, Known>();

  static async load(db: DbOrTx, names: string[]): Promise<KnownCompanies> {
    const known = new KnownCompanies();
    const wanted = [...new Set(names.map((n) => n.toLowerCase()))];
    if (wanted.length === 0) return known;
    const result = await db.execute<{ id: string; name: string; domains: string[] }>(
      sql`select id, name, domains from companies where lower(name) = any(${sql.param(wanted)}::text[])`,
    );
    for (const row of (result as unknown as { rows: { id: string; name: string; domains: string[] }[] }).rows) {
      known.byName.set(row.name.toLowerCase(), { id: row.id, domains: new Set(row.domains) });
    }
    return known;
  }

  /** The company's id; created, or given the new domains, only when the batch does not know it so. */
  async id(db: DbOrTx, company: { name: string; domains: string[] }): Promise<string> {
    const key = company.name.toLowerCase();
    const known = this.byName.get(key);
    if (known && company.domains.every((d) => known.domains.has(d))) return known.id;
    const id = await ensureCompany(db, company);
    const domains = new Set([...(known?.domains ?? []), ...company.domains]);
    this.byName.set(key, { id, domains });
    return id;
  }
}
