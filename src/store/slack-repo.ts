// Slack's rows: channel links, the profile cache, delivery claims, and the edits and deletions of
// captured Slack messages.
import { and, eq, lt, sql, type SQL } from 'drizzle-orm';
import { searchTextOf } from '../analytics/segment.js';
import type { DbOrTx } from './database.js';
import { communications, companies, customers, identities, inbox, slackChannelLinks, slackDeliveries, slackUsers, threads } from './schema/index.js';

export interface ChannelLinkRow {
  teamId: string;
  channelId: string;
  customerId: string | null;
  companyId: string | null;
  label: string;
  shared: boolean;
}

export async function linkChannel(db: DbOrTx, l: { teamId: string; channelId: string; customerId: string | null; companyId: string | null; shared: boolean; linkedBy: string }): Promise<void> {
  await db
    .insert(slackChannelLinks)
    .values(l)
    .onConflictDoUpdate({
      target: [slackChannelLinks.teamId, slackChannelLinks.channelId],
      set: { customerId: l.customerId, companyId: l.companyId, shared: l.shared, linkedBy: l.linkedBy, createdAt: sql`now()` },
    });
}

export async function unlinkChannel(db: DbOrTx, teamId: string, channelId: string): Promise<boolean> {
  const rows = await db
    .delete(slackChannelLinks)
    .where(and(eq(slackChannelLinks.teamId, teamId), eq(slackChannelLinks.channelId, channelId)))
    .returning({ c: slackChannelLinks.channelId });
  return rows.length > 0;
}

/** Every linked channel with what it is linked to, newest first (the console's settings page). */
export async function listChannelLinks(db: DbOrTx): Promise<(ChannelLinkRow & { linkedBy: string; createdAt: string })[]> {
  const rows = await db
    .select({ l: slackChannelLinks, customerName: customers.name, companyName: companies.name })
    .from(slackChannelLinks)
    .leftJoin(customers, eq(customers.id, slackChannelLinks.customerId))
    .leftJoin(companies, eq(companies.id, slackChannelLinks.companyId))
    .orderBy(sql`${slackChannelLinks.createdAt} desc`);
  return rows.map(({ l, customerName, companyName }) => ({
    teamId: l.teamId, channelId: l.channelId, customerId: l.customerId, companyId: l.companyId, label: customerName ?? companyName ?? '', shared: l.shared,
    linkedBy: l.linkedBy, createdAt: l.createdAt.toISOString(),
  }));
}

export async function channelLink(db: DbOrTx, teamId: string, channelId: string): Promise<ChannelLinkRow | null> {
  const [row] = await db
    .select({
      l: slackChannelLinks,
      customerName: customers.name,
      companyName: companies.name,
    })
    .from(slackChannelLinks)
    .leftJoin(customers, eq(customers.id, slackChannelLinks.customerId))
    .leftJoin(companies, eq(companies.id, slackChannelLinks.companyId))
    .where(and(eq(slackChannelLinks.teamId, teamId), eq(slackChannelLinks.channelId, channelId)));
  if (!row) return null;
  const { l } = row;
  return {
    teamId: l.teamId,
    channelId: l.channelId,
    customerId: l.customerId,
    companyId: l.companyId,
    label: row.customerName ?? row.companyName ?? 'unknown',
    shared: l.shared,
  };
}

export async function cachedProfile(db: DbOrTx, teamId: string, userId: string) {
  const [row] = await db.select().from(slackUsers).where(and(eq(slackUsers.teamId, teamId), eq(slackUsers.userId, userId)));
  return row ?? null;
}

export async function rememberProfile(db: DbOrTx, p: { teamId: string; userId: string; homeTeamId: string | null; email: string | null; name: string | null; isBot: boolean }): Promise<void> {
  await db
    .insert(slackUsers)
    .values(p)
    .onConflictDoUpdate({
      target: [slackUsers.teamId, slackUsers.userId],
      set: { homeTeamId: p.homeTeamId, email: p.email, name: p.name, isBot: p.isBot, fetchedAt: sql`now()` },
    });
}

/** True the first time; old claims (a day) are pruned now and then. */
export async function claimDelivery(db: DbOrTx, key: string): Promise<boolean> {
  const rows = await db.insert(slackDeliveries).values({ key }).onConflictDoNothing().returning({ key: slackDeliveries.key });
  if (Math.random() < 0.01) await db.delete(slackDeliveries).where(lt(slackDeliveries.receivedAt, sql`now() - interval '1 day'`));
  return rows.length > 0;
}

export async function releaseDelivery(db: DbOrTx, key: string): Promise<void> {
  await db.delete(slackDeliveries).where(eq(slackDeliveries.key, key));
}

/**
 * A message still waiting in the inbox takes the change before it is captured. This runs first: a
 * message being captured right now holds its inbox row, so the update waits for that commit and
 * the stored communication is then found below.
 */
async function changePendingSlackMessage(db: DbOrTx, externalId: string, change: SQL): Promise<boolean> {
  const result = await db.execute(sql`
    update ${inbox} set payload = (${change})::text
    where ${inbox.channel} = 'slack' and ${inbox.externalId} = ${externalId} and ${inbox.status} = 'pending' and ${inbox.payload} is not null
    returning ${inbox.id}`);
  return (result as unknown as { rows: unknown[] }).rows.length > 0;
}

const withFlag = (flag: string) => sql`jsonb_set(${inbox.payload}::jsonb, '{flags}', coalesce(${inbox.payload}::jsonb -> 'flags', '[]'::jsonb) || ${JSON.stringify([flag])}::jsonb)`;

/** Replaces the text of a stored Slack message (search text too) and flags it edited. */
export async function editSlackMessage(db: DbOrTx, externalId: string, text: string): Promise<boolean> {
  if (await changePendingSlackMessage(db, externalId, sql`jsonb_set(${withFlag('edited')}, '{text}', to_jsonb(${text}::text)) - 'fullText'`)) return true;
  const rows = await db
    .update(communications)
    .set({
      text,
      fullText: null,
      searchText: sql`${searchTextOf(text)}`,
      flags: sql`case when 'edited' = any(${communications.flags}) then ${communications.flags} else array_append(${communications.flags}, 'edited') end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(communications.channel, 'slack'), eq(communications.externalId, externalId)))
    .returning({ id: communications.id });
  return rows.length > 0;
}

/** Flags a stored Slack message deleted; it stays for the record but leaves cards and history. */
export async function deleteSlackMessage(db: DbOrTx, externalId: string): Promise<boolean> {
  if (await changePendingSlackMessage(db, externalId, withFlag('deleted'))) return true;
  const rows = await db
    .update(communications)
    .set({
      flags: sql`case when 'deleted' = any(${communications.flags}) then ${communications.flags} else array_append(${communications.flags}, 'deleted') end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(communications.channel, 'slack'), eq(communications.externalId, externalId)))
    .returning({ id: communications.id });
  return rows.length > 0;
}

/** Files a thread on a customer as `kind`; its messages without a customer follow. */
export async function fileThread(db: DbOrTx, threadId: string, customerId: string, kind: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(threads).set({ customerId, kind, status: 'open' }).where(eq(threads.id, threadId));
    await tx
      .update(communications)
      .set({ customerId, updatedAt: sql`now()` })
      .where(and(eq(communications.threadId, threadId), sql`${communications.customerId} is null`, sql`not (${communications.flags} && array['auto_reply','bounce','mailing_list','own_message']::text[])`));
  });
}

/** Distinct customers holding any of these Slack users or emails. */
export async function customersOfPeople(db: DbOrTx, keys: { kind: 'slack_user' | 'email'; value: string }[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const any = sql.join(keys.map((k) => sql`(${identities.kind} = ${k.kind} and ${identities.value} = ${k.value})`), sql` or `);
  const rows = await db
    .selectDistinct({ id: identities.customerId })
    .from(identities)
    .innerJoin(customers, and(eq(customers.id, identities.customerId), sql`${customers.deletedAt} is null`))
    .where(any);
  return rows.map((r) => r.id);
}
