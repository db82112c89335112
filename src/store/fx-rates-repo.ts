// Exchange rates for analytics (fx_rates): one unit of a currency in the reporting currency, by day.
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';
import { fxRates } from './schema/index.js';

export interface FxRate {
  currency: string;
  rateToReporting: number;
  /** YYYY-MM-DD */
  asOf: string;
}

/** Insert or replace rates for `reporting` in one transaction. */
export async function saveFxRates(db: DbOrTx, reporting: string, rates: readonly FxRate[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < rates.length; i += 1000) {
      await tx.insert(fxRates)
        .values(rates.slice(i, i + 1000).map((r) => ({ ...r, reportingCurrency: reporting })))
        .onConflictDoUpdate({
          target: [fxRates.currency, fxRates.reportingCurrency, fxRates.asOf],
          set: { rateToReporting: sql`excluded.rate_to_reporting`, loadedAt: sql`now()` },
        });
    }
  });
}

export async function listFxRates(db: DbOrTx, reporting: string): Promise<FxRate[]> {
  return db.select({ currency: fxRates.currency, rateToReporting: fxRates.rateToReporting, asOf: fxRates.asOf })
    .from(fxRates).where(eq(fxRates.reportingCurrency, reporting)).orderBy(asc(fxRates.currency), asc(fxRates.asOf));
}
