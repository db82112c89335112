// The companies one batch of customers names, loaded in one query and kept current as the batch is
// written: a row whose company exists with all of its domains needs no statement for it.
import type { DbOrTx } from '../store/database.js';
import { ensureCompany, findCompaniesByName, insertCompanies } from '../store/customers-repo.js';

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
    for (const row of await findCompaniesByName(db, wanted)) {
      known.byName.set(row.name.toLowerCase(), { id: row.id, domains: new Set(row.domains) });
    }
    return known;
  }

  /** True when the batch has this company (by name, case-insensitive) from the database or a write. */
  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /**
   * The ids of these rows' companies (null for a row without one), in order, as id() one row after
   * the other would give them: the companies the batch does not know are first created together,
   * each with the name and domains of the first row naming it; a later row bringing more domains
   * then adds them through id().
   */
  async ids(db: DbOrTx, wanted: ({ name: string; domains: string[] } | null)[]): Promise<(string | null)[]> {
    const missing = new Map<string, { name: string; domains: string[] }>();
    for (const c of wanted) {
      const key = c?.name.toLowerCase();
      if (c && key !== undefined && !this.byName.has(key) && !missing.has(key)) missing.set(key, c);
    }
    const byGivenName = new Map([...missing.values()].map((c) => [c.name, c]));
    // A name skipped by the insert (it exists after all) stays unknown: id() will ensure it.
    for (const row of await insertCompanies(db, [...missing.values()])) {
      const c = byGivenName.get(row.name);
      if (c) this.byName.set(c.name.toLowerCase(), { id: row.id, domains: new Set(c.domains) });
    }
    const out: (string | null)[] = [];
    for (const c of wanted) out.push(c ? await this.id(db, c) : null);
    return out;
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
