// Loads the bundled sample: customers and orders from demo/*.csv through the CSV importers (the
// same files a person imports with `rapport import`), emails (sample-messages.json) through the mail
// parser and the capture pipeline, Slack messages through the Slack adapter's conversion and a
// linked channel. Dates are moved relative to `now`, so "today" always has news.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { toInbound } from '../channels/slack-inbound.js';
import { channelsOf } from '../channels/index.js';
import type { InboundMessage } from '../core/inbound-message.js';
import type { AppContext } from '../context.js';
import { importCustomers } from '../importing/import-customers.js';
import { importOrders } from '../importing/import-orders.js';
import { parseEmail } from '../mail/parse-email.js';
import { companies } from '../store/schema/index.js';
import { linkChannel } from '../store/slack-repo.js';
import { addStaff } from '../store/staff-repo.js';
import { sampleEml, type SampleEmail } from './sample-mail.js';

export const sampleDir = new URL('../../demo/', import.meta.url);
const messagesFile = new URL('sample-messages.json', import.meta.url);
/** demo/orders.csv was written as of this moment; its dates move by (now − this). */
const ordersWrittenAt = Date.parse('2026-01-01T10:00:00+08:00');

interface SampleSlack {
  channel: string;
  company: string;
  team: string;
  users: Record<string, string>;
  messages: { ts: string; user: string; hoursAgo: number; text: string; thread?: string }[];
}

interface Sample {
  internalDomain: string;
  staff: string[];
  messages: SampleEmail[];
  slack: SampleSlack;
}

export function readSample(): Sample {
  return JSON.parse(readFileSync(messagesFile, 'utf8')) as Sample;
}

export interface LoadSummary {
  customers: number;
  orders: number;
  emails: number;
  slackMessages: number;
  flaggedAsNoise: number;
}

export async function loadSample(ctx: AppContext, now = new Date()): Promise<LoadSummary> {
  const db = ctx.database.db;
  const sample = readSample();
  const region = ctx.config.RAPPORT_DEFAULT_REGION;
  const customers = await importCustomers({ db, defaultRegion: region }, new URL('customers.csv', sampleDir).pathname);

  // The orders as they were when the file was written, moved forward to end as recently as then.
  const tmp = mkdtempSync(join(tmpdir(), 'rapport-demo-'));
  let orders;
  try {
    const shift = now.getTime() - ordersWrittenAt;
    const [header, ...lines] = readFileSync(new URL('orders.csv', sampleDir), 'utf8').trim().split('\n');
    const rows = lines.map((l) => {
      const fields = l.split(',');
      fields[5] = new Date(Date.parse(fields[5]!) + shift).toISOString();
      return fields.join(',');
    });
    const path = join(tmp, 'orders.csv');
    writeFileSync(path, [header, ...rows].join('\n'));
    orders = await importOrders({ db }, path);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  for (const s of sample.staff) await addStaff(db, s, null, region);
  // Oldest first, as they would have arrived; captured together through the inbox.
  const channels = channelsOf(ctx);
  const emails = [...sample.messages].sort((a, b) => b.hoursAgo - a.hoursAgo);
  const captured = await channels.captureNow(await Promise.all(emails.map((m) => parseEmail(sampleEml(m, now)))));
  const noise = captured.filter((r) => r.noise).length;

  const s = sample.slack;
  const [company] = await db.select({ id: companies.id }).from(companies).where(eq(companies.name, s.company));
  await linkChannel(db, { teamId: s.team, channelId: s.channel, customerId: null, companyId: company?.id ?? null, shared: true, linkedBy: 'demo' });
  const slackMessages: InboundMessage[] = [];
  for (const m of s.messages) {
    const ts = ((now.getTime() - m.hoursAgo * 3_600_000) / 1000).toFixed(6);
    const rootTs = m.thread ? ((now.getTime() - s.messages.find((x) => x.ts === m.thread)!.hoursAgo * 3_600_000) / 1000).toFixed(6) : ts;
    const email = s.users[m.user]!;
    const staff = email.endsWith(`@${sample.internalDomain}`);
    slackMessages.push(
      toInbound({
        teamId: s.team,
        channelId: s.channel,
        rootTs,
        message: { ts, threadTs: m.thread ? rootTs : null, user: m.user, userTeam: staff ? s.team : 'T0CUSTOMER', text: m.text, files: [], subtype: null, botId: null },
        profile: { teamId: s.team, userId: m.user, homeTeamId: staff ? s.team : 'T0CUSTOMER', email, name: null, isBot: false, fetchedAt: now },
        shared: true,
        customerHint: { companyId: company?.id ?? null },
        workspaceUrl: null,
      }),
    );
  }
  await channels.captureNow(slackMessages);
  return {
    customers: customers.created + customers.updated,
    orders: orders.created + orders.updated,
    emails: emails.length,
    slackMessages: s.messages.length,
    flaggedAsNoise: noise,
  };
}
