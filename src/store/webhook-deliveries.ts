// When each webhook source last delivered a message that was stored: webhook communications are
// kept under the external id "SOURCE:ID" (raw-email deliveries are mail, stored under their
// Message-ID, so they are not counted here).
import { sql } from 'drizzle-orm';
import type { DbOrTx } from './database.js';

export async function lastWebhookDeliveries(db: DbOrTx): Promise<Map<string, string>> {
  const result = (await db.execute(sql`
    select split_part(external_id, ':', 1) as source, max(created_at) as at
    from communications where channel = 'webhook'
    group by 1`)) as unknown as { rows: { source: string; at: string | Date }[] };
  return new Map(result.rows.map((r) => [r.source, new Date(r.at).toISOString()]));
}
