// Erasing a customer, wired: the store does the deleting (src/store/customer-erase.ts); keyword
// document frequencies and word vectors are derived from texts, so the erased messages' terms —
// read exactly as the nightly recount reads them — are subtracted in the same transaction. What
// Redis keeps of them (cards, Slack profiles) goes right after.
import { analyzeText, termsOf } from '../analytics/text-terms.js';
import type { AppContext } from '../context.js';
import { eraseCustomer, subtractTerms, type EraseResult } from '../store/customer-erase.js';

export async function eraseCustomerData(ctx: AppContext, customerId: string, erasedBy: string): Promise<EraseResult> {
  const userWords = ctx.config.RAPPORT_ANALYTICS_USER_WORDS;
  const result = await eraseCustomer(ctx.database.db, customerId, erasedBy, (texts, tx) =>
    subtractTerms(
      tx,
      texts.map((t) => termsOf(analyzeText(t.subject ? `${t.subject}\n${t.text}` : t.text, { userWords }).chunks)),
    ),
  );
  // Customers merged into this one went too, and their cards were shown in other customers' threads.
  await ctx.shared.cards.forgetAll();
  await ctx.shared.slackProfiles.forgetAll();
  return result;
}
