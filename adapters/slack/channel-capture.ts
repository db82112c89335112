// Events API `message` events in linked channels → communications. Edits replace the stored text,
// deletions flag it; bots, joins and other housekeeping are ignored. Redeliveries are dropped by the
// receiver (event_id) and, should one slip through, by the inbox's dedupe on the message id.
import type { SlackPorts } from './ports.js';
import type { AdapterLog, SlackApi } from './slack-api.js';
import { toThreadMessage } from './slack-api.js';
import { isSpoken, messageExternalId, Profiles, toInbound } from './slack-message.js';
import { slackToPlainText } from './slack-text.js';

export interface MessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  user_team?: string;
  files?: { name?: string; mimetype?: string; size?: number }[];
  message?: { ts: string; text?: string; user?: string; bot_id?: string; subtype?: string };
  previous_message?: { text?: string };
  deleted_ts?: string;
}

export interface ChannelCaptureDeps {
  ports: SlackPorts;
  api: SlackApi;
  profiles: Profiles;
  log: AdapterLog;
  workspaceUrl: () => string | null;
}

export type CaptureOutcome = 'captured' | 'duplicate' | 'edited' | 'deleted' | 'ignored' | 'not_linked';

export async function onMessageEvent(deps: ChannelCaptureDeps, teamId: string, event: MessageEvent): Promise<CaptureOutcome> {
  if (event.subtype === 'message_changed') {
    const m = event.message;
    if (!m || m.bot_id || m.subtype === 'bot_message') return 'ignored';
    // Unfurls also arrive as message_changed, with the text unchanged.
    if ((m.text ?? '') === (event.previous_message?.text ?? '')) return 'ignored';
    if (!(await deps.ports.channelLink(teamId, event.channel))) return 'not_linked';
    const done = await deps.ports.editMessage(messageExternalId(teamId, event.channel, m.ts), slackToPlainText(m.text ?? ''));
    return done ? 'edited' : 'ignored';
  }
  if (event.subtype === 'message_deleted') {
    if (!event.deleted_ts || !(await deps.ports.channelLink(teamId, event.channel))) return 'not_linked';
    const done = await deps.ports.deleteMessage(messageExternalId(teamId, event.channel, event.deleted_ts));
    return done ? 'deleted' : 'ignored';
  }
  const message = toThreadMessage(event);
  if (!isSpoken(message)) return 'ignored';
  const link = await deps.ports.channelLink(teamId, event.channel);
  if (!link) return 'not_linked';
  const profile = await deps.profiles.get(teamId, message.user!);
  if (profile?.isBot) return 'ignored';
  const inbound = toInbound({
    teamId,
    channelId: event.channel,
    rootTs: event.thread_ts ?? event.ts,
    message,
    profile,
    shared: link.shared,
    customerHint: { customerId: link.customerId, companyId: link.companyId },
    workspaceUrl: deps.workspaceUrl(),
  });
  // Acknowledged to Slack only after this resolves: the message is in the inbox, durably.
  const result = await deps.ports.append(inbound);
  deps.log.debug({ communication: result.id, status: result.status }, 'slack message accepted');
  return result.status === 'duplicate' ? 'duplicate' : 'captured';
}
