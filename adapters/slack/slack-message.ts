// A Slack message → Rapport's InboundMessage. Authors are looked up once (users.info, cached in the
// store) for the email on their profile and the workspace they belong to: people of our own
// workspace are staff, everyone else is the customer's side.
import type { Direction, InboundMessage } from '../../src/core/inbound-message.js';
import type { SlackPorts, SlackProfile } from './ports.js';
import type { SlackApi, ThreadMessage } from './slack-api.js';
import { slackToPlainText } from './slack-text.js';

/** Kinds of message that are someone speaking; joins, topics, bots and the like are not. */
const spokenSubtypes = new Set([null, 'file_share', 'thread_broadcast', 'me_message']);
const profileTtlMs = 24 * 3600 * 1000;

export function isSpoken(m: Pick<ThreadMessage, 'subtype' | 'botId' | 'user'>): boolean {
  return spokenSubtypes.has(m.subtype) && !m.botId && Boolean(m.user);
}

export const messageExternalId = (team: string, channel: string, ts: string) => `${team}:${channel}:${ts}`;
export const threadKey = (team: string, channel: string, rootTs: string) => `${team}:${channel}:${rootTs}`;
export const tsToDate = (ts: string) => new Date(Math.round(Number(ts) * 1000));

/** Slack's permalink format, from the workspace URL auth.test gives (https://acme.slack.com/). */
export function permalink(workspaceUrl: string | null, channel: string, ts: string, threadTs?: string | null): string | null {
  if (!workspaceUrl) return null;
  const base = `${workspaceUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

export class Profiles {
  constructor(
    private readonly ports: SlackPorts,
    private readonly api: SlackApi,
  ) {}

  /** The cached profile, refreshed from users.info once a day; null when Slack cannot say. */
  async get(teamId: string, userId: string): Promise<SlackProfile | null> {
    const cached = await this.ports.cachedProfile(teamId, userId);
    if (cached && Date.now() - cached.fetchedAt.getTime() < profileTtlMs) return cached;
    try {
      const m = await this.api.userInfo(userId);
      const profile = { teamId, userId, homeTeamId: m.teamId, email: m.email, name: m.name, isBot: m.isBot };
      await this.ports.rememberProfile(profile);
      return { ...profile, fetchedAt: new Date() };
    } catch {
      return cached;
    }
  }
}

export interface ToInboundOptions {
  teamId: string;
  channelId: string;
  rootTs: string;
  message: ThreadMessage;
  profile: SlackProfile | null;
  /** The channel is shared with another organization (Slack Connect). */
  shared: boolean;
  customerHint?: { customerId?: string | null; companyId?: string | null } | undefined;
  kindHint?: string | undefined;
  workspaceUrl: string | null;
}

export function isStaff(teamId: string, message: ThreadMessage, profile: SlackProfile | null): boolean {
  const home = message.userTeam ?? profile?.homeTeamId ?? teamId;
  return home === teamId;
}

export function toInbound(o: ToInboundOptions): InboundMessage {
  const { message: m, profile } = o;
  const staff = isStaff(o.teamId, m, profile);
  const direction: Direction = staff ? (o.shared ? 'outbound' : 'internal') : 'inbound';
  const hint = o.customerHint && (o.customerHint.customerId || o.customerHint.companyId)
    ? { customerId: o.customerHint.customerId ?? undefined, companyId: o.customerHint.companyId ?? undefined }
    : undefined;
  return {
    channel: 'slack',
    externalId: messageExternalId(o.teamId, o.channelId, m.ts),
    threadHints: { key: threadKey(o.teamId, o.channelId, o.rootTs) },
    directionHint: direction,
    from: { slackUser: m.user ?? undefined, email: profile?.email ?? undefined, name: profile?.name ?? undefined },
    to: [],
    text: slackToPlainText(m.text),
    ...(m.text.includes('<') || m.text.includes('&') ? { fullText: m.text } : {}),
    attachments: m.files.map((f) => ({ name: f.name, type: f.mimetype ?? 'application/octet-stream', size: f.size ?? 0 })),
    occurredAt: tsToDate(m.ts),
    flags: [],
    ...(o.kindHint ? { kindHint: o.kindHint } : {}),
    ...(hint ? { customerHint: hint } : {}),
    rawRef: permalink(o.workspaceUrl, o.channelId, m.ts, m.threadTs) ?? `slack:${o.teamId}:${o.channelId}:${m.ts}`,
  };
}
