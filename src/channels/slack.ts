// The Slack adapter wired to the store, the inbox and the configuration. The dispatcher
// (src/channels/index.ts) builds it on first use; nothing exists when Slack is not set up.
import { createSlackAdapter, type SlackAdapter, type SlackAdapterConfig, type SlackPorts } from '../../adapters/slack/index.js';
import { correctKind } from '../analytics-runner/kind-corrections.js';
import type { Channels } from './index.js';
import type { AppContext } from '../context.js';
import type { LookupOutcome } from '../core/customer-card.js';
import { emailMatchKey } from '../core/email-address.js';
import { renderDigestSlack } from '../digest/render-slack.js';
import { buildDigest, digestOptions } from '../jobs/digests.js';
import { customerCard } from '../store/customer-card.js';
import { classifyLookup, identityKey, lookupCompanies, lookupCustomers } from '../store/customer-lookup.js';
import { getCustomer } from '../store/customers-repo.js';
import { listSubscriptions } from '../store/digest-repo.js';
import * as slackRepo from '../store/slack-repo.js';
import { slackConfigOf } from './slack-config.js';

export function createSlackPorts(ctx: AppContext, channels: Channels): SlackPorts {
  const db = ctx.database.db;
  // Lookups, cards and digest previews read what may be a moment old (the read replica when set).
  const reads = ctx.database.readDb;
  const region = ctx.config.RAPPORT_DEFAULT_REGION;
  const { cards, slackProfiles } = ctx.shared;
  const lookup = async (q: string, limit: number): Promise<LookupOutcome> => {
    // By an email, phone or Slack user whose holder's card is kept: the card, no database.
    const query = cards.kept ? classifyLookup(q, region) : null;
    const identity = identityKey(query);
    const card = identity ? await cards.cardHolding(identity) : null;
    if (card && query) {
      const match = { id: card.id, name: card.name, company: card.company, hint: card.emails[0] ?? card.phones[0] ?? null };
      return { kind: query.kind, matches: [match], more: false, suggestions: [], card };
    }
    const outcome = await lookupCustomers(reads, q, { limit, defaultRegion: region });
    if (identity && outcome.matches.length === 1) cards.found(identity, outcome.matches[0]!.id);
    return outcome;
  };
  // A card kept for minutes is read from the primary: one read a moment behind a capture would be
  // kept as if it were current.
  const cardReads = cards.kept ? db : reads;
  return {
    capture: async (message) => (await channels.captureNow([message]))[0]!,
    append: (message) => channels.inbox.accept(message),
    lookupCustomers: lookup,
    customerCard: (id) => cards.get(id, () => customerCard(cardReads, id)),
    async customerSummary(id) {
      const c = await getCustomer(db, id);
      return c ? { id: c.id, name: c.name, company: c.company?.name ?? null, hint: c.emails[0] ?? c.phones[0] ?? null } : null;
    },
    async resolveLinkTarget(query) {
      const companies = await lookupCompanies(reads, query);
      const exactCompany = companies.filter((c) => c.name.toLowerCase() === query.trim().toLowerCase());
      if (exactCompany.length > 0) return { targets: exactCompany.map((c) => ({ customerId: null, companyId: c.id, label: c.name })), suggestions: [] };
      const people = await lookup(query, 10);
      if (people.kind !== 'name' && people.kind !== 'domain' && people.matches.length > 0) {
        return { targets: people.matches.map((m) => ({ customerId: m.id, companyId: null, label: m.company ? `${m.name} (${m.company})` : m.name })), suggestions: [] };
      }
      if (companies.length > 0) return { targets: companies.map((c) => ({ customerId: null, companyId: c.id, label: c.name })), suggestions: [] };
      return {
        targets: people.matches.map((m) => ({ customerId: m.id, companyId: null, label: m.company ? `${m.name} (${m.company})` : m.name })),
        suggestions: people.suggestions,
      };
    },
    linkChannel: (l) => slackRepo.linkChannel(db, l),
    unlinkChannel: (team, channel) => slackRepo.unlinkChannel(db, team, channel),
    channelLink: (team, channel) => slackRepo.channelLink(db, team, channel),
    cachedProfile: (team, user) => slackProfiles.get(team, user, () => slackRepo.cachedProfile(db, team, user)),
    rememberProfile: (p) => slackProfiles.remember(p, () => slackRepo.rememberProfile(db, p)),
    customersOf: (people) =>
      slackRepo.customersOfPeople(
        db,
        people.flatMap((p) => [
          ...(p.slackUser ? [{ kind: 'slack_user' as const, value: p.slackUser.toUpperCase() }] : []),
          ...(p.email && emailMatchKey(p.email) ? [{ kind: 'email' as const, value: emailMatchKey(p.email)! }] : []),
        ]),
      ),
    // Whose message it was is not known here: every card goes (edits and deletions are rare).
    editMessage: (externalId, text) => afterwards(slackRepo.editSlackMessage(db, externalId, text), () => cards.forgetAll()),
    deleteMessage: (externalId) => afterwards(slackRepo.deleteSlackMessage(db, externalId), () => cards.forgetAll()),
    async fileThread(threadId, customerId, kind) {
      await slackRepo.fileThread(db, threadId, customerId, kind);
      await cards.forgetAll();
      return { threadId, link: null };
    },
    correctCommunication: (id, change, by) => afterwards(correctKind(db, id, { ...change, by, source: 'slack' }), () => cards.forgetAll()),
    claimDelivery: (key) => slackRepo.claimDelivery(db, key),
    releaseDelivery: (key) => slackRepo.releaseDelivery(db, key),
    async digestPreview() {
      // The 24 hours until now, as the first subscription would get it (owner, segment, zone).
      const [sub] = await listSubscriptions(db, { activeOnly: true });
      const digest = await buildDigest(
        reads,
        { slot: new Date(), timeZone: sub?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, owner: sub?.owner ?? null, segment: sub?.segment ?? null, late: false },
        digestOptions(ctx),
      );
      const [first] = renderDigestSlack(digest);
      return first ? { text: first.text, blocks: first.blocks } : { text: digest.title };
    },
  };
}

/** `work`'s result, once `then` (dropping cached cards) has run too. */
async function afterwards<T>(work: Promise<T>, then: () => Promise<void>): Promise<T> {
  const result = await work;
  await then();
  return result;
}

export interface SlackOverrides {
  ports?: Partial<SlackPorts>;
  adapter?: Partial<SlackAdapterConfig>;
}

/** A new Slack adapter for this context, or null when Slack is not configured. */
export function createSlack(ctx: AppContext, channels: Channels, overrides: SlackOverrides = {}): SlackAdapter | null {
  const config = slackConfigOf(ctx.config);
  if (!config) return null;
  if (config.allowedTeamIds.length === 0 && !config.socketMode) {
    ctx.log.warn('SLACK_ALLOWED_TEAM_IDS is empty: any workspace where this app is installed may call Rapport');
  }
  const ports = { ...createSlackPorts(ctx, channels), ...overrides.ports };
  // Pacing and the 429 pause shared with the other instances (Redis), when there is Redis.
  const pacer = ctx.shared.slackPacer ?? undefined;
  return createSlackAdapter({ ...config, pacer, ...overrides.adapter }, ports, ctx.log.child({ component: 'slack' }));
}
