// The currency segments and value tiers sum revenue in, and what could not be converted into it.
import type { AppContext } from '../context.js';
import { reportingCurrencyOf, unconvertedOrders } from '../store/analytics-queries.js';

export interface RevenueBasis {
  /** The currency revenue is summed in (null: no orders). */
  currency: string | null;
  /** Orders left out of revenue for want of an exchange rate. */
  unconverted: { currency: string; orders: number }[];
}

export async function revenueBasis(ctx: AppContext): Promise<RevenueBasis> {
  const currency = await reportingCurrencyOf(ctx.database.db, ctx.config.RAPPORT_REPORTING_CURRENCY);
  return { currency, unconverted: await unconvertedOrders(ctx.database.db, currency) };
}
