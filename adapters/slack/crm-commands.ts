// What each `/crm` subcommand does. Every path ends in a message — usage help for bad input, a short
// apology with the error code for failures — never a stack trace.
import { isRapportError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/inbound-message.js';
import { customerCardMessage, helpMessage, noMatchMessage, pickListMessage, textMessage } from './blocks.js';
import type { CrmCommand } from './crm-command.js';
import { loggableError } from './errors.js';
import type { SlackPorts } from './ports.js';
import type { AdapterLog, SlackApi, SlackMessage } from './slack-api.js';
import { escapeMrkdwn } from './slack-text.js';

export interface CommandInvocation {
  teamId: string;
  channelId: string;
  userId: string;
  userName: string | null;
  triggerId: string;
  command: string;
}

export interface CommandDeps {
  ports: SlackPorts;
  api: SlackApi;
  log: AdapterLog;
}

const b = (s: string) => `*${escapeMrkdwn(s)}*`;

export async function runCrmCommand(deps: CommandDeps, cmd: CrmCommand, inv: CommandInvocation): Promise<SlackMessage> {
  try {
    switch (cmd.name) {
      case 'help':
        return helpMessage(cmd.problem, inv.command);
      case 'lookup':
        return await lookup(deps, cmd.query, cmd.share);
      case 'note':
        return await note(deps, cmd, inv);
      case 'link':
        return await link(deps, cmd, inv);
      case 'unlink': {
        const channel = cmd.channelId ?? inv.channelId;
        const removed = await deps.ports.unlinkChannel(inv.teamId, channel);
        return textMessage(removed ? `Unlinked <#${channel}>: its messages are no longer captured.` : `<#${channel}> was not linked to a customer.`, cmd.share);
      }
      case 'digest': {
        const preview = await deps.ports.digestPreview();
        if (!preview) return textMessage('The daily digest is not configured yet, so there is nothing to preview.', false);
        return { text: preview.text, ...(preview.blocks ? { blocks: preview.blocks } : {}), response_type: cmd.share ? 'in_channel' : 'ephemeral' };
      }
    }
  } catch (e) {
    return failureMessage(deps.log, e, cmd.name);
  }
}

export function failureMessage(log: AdapterLog, e: unknown, what: string): SlackMessage {
  const code = isRapportError(e) ? e.code : 'internal';
  log.error({ what, code, err: loggableError(e) }, 'slack command failed');
  const hint = code === 'unavailable' ? 'Rapport or Slack is not answering right now; try again in a minute.' : 'Please try again; if it keeps failing, tell your Rapport admin.';
  const detail = isRapportError(e) && (code === 'validation' || code === 'conflict' || code === 'not_found') ? ` ${escapeMrkdwn(e.message)}.` : '';
  return textMessage(`:warning: That did not work (${code}).${detail} ${hint}`, false);
}

export async function lookup(deps: CommandDeps, query: string, share: boolean): Promise<SlackMessage> {
  const outcome = await deps.ports.lookupCustomers(query, 10);
  if (outcome.matches.length === 0) return noMatchMessage(query, outcome);
  if (outcome.matches.length > 1) return pickListMessage(query, outcome, share);
  if (outcome.card) return customerCardMessage(outcome.card, share);
  return cardFor(deps, outcome.matches[0]!.id, share);
}

export async function cardFor(deps: CommandDeps, customerId: string, share: boolean): Promise<SlackMessage> {
  const card = await deps.ports.customerCard(customerId);
  if (!card) return textMessage('That customer no longer exists.', false);
  return customerCardMessage(card, share);
}

async function note(deps: CommandDeps, cmd: Extract<CrmCommand, { name: 'note' }>, inv: CommandInvocation): Promise<SlackMessage> {
  const outcome = await deps.ports.lookupCustomers(cmd.customer, 5);
  if (outcome.matches.length === 0) {
    const closest = outcome.suggestions.length ? ` Closest names: ${outcome.suggestions.map(b).join(', ')}.` : '';
    return textMessage(`Note not saved: no customer matches “${escapeMrkdwn(cmd.customer)}”.${closest}`, false);
  }
  if (outcome.matches.length > 1) {
    const list = outcome.matches.map((c) => `• ${b(c.name)}${c.company ? ` (${escapeMrkdwn(c.company)})` : ''}${c.hint ? ` — ${escapeMrkdwn(c.hint)}` : ''}`).join('\n');
    return textMessage(`Note not saved: “${escapeMrkdwn(cmd.customer)}” matches ${outcome.matches.length}${outcome.more ? '+' : ''} customers. Use an email or phone:\n${list}`, false);
  }
  const customer = outcome.matches[0]!;
  const message: InboundMessage = {
    channel: 'slack',
    externalId: `${inv.teamId}:note:${inv.triggerId}`,
    threadHints: {},
    directionHint: 'internal',
    from: { slackUser: inv.userId, name: inv.userName ?? undefined },
    to: [],
    text: cmd.text,
    attachments: [],
    occurredAt: new Date(),
    flags: [],
    kindHint: 'note',
    customerHint: { customerId: customer.id },
  };
  const result = await deps.ports.capture(message);
  const who = `${b(customer.name)}${customer.company ? ` (${escapeMrkdwn(customer.company)})` : ''}`;
  return textMessage(result.status === 'duplicate' ? `That note was already saved on ${who}.` : `:memo: Note saved on ${who}.`, cmd.share);
}

async function link(deps: CommandDeps, cmd: Extract<CrmCommand, { name: 'link' }>, inv: CommandInvocation): Promise<SlackMessage> {
  const channel = cmd.channelId ?? inv.channelId;
  const { targets, suggestions } = await deps.ports.resolveLinkTarget(cmd.target);
  if (targets.length === 0) {
    const closest = suggestions.length ? ` Closest names: ${suggestions.map(b).join(', ')}.` : '';
    return textMessage(`Not linked: no company or customer matches “${escapeMrkdwn(cmd.target)}”.${closest}`, false);
  }
  if (targets.length > 1) {
    const list = targets.slice(0, 10).map((t) => `• ${b(t.label)}`).join('\n');
    return textMessage(`Not linked: “${escapeMrkdwn(cmd.target)}” matches several. Be more specific (an email, a domain or the full name):\n${list}`, false);
  }
  const target = targets[0]!;
  // Best effort: Slack Connect tells whether our people speak to the customer here, and the bot
  // must be a member to receive the channel's messages.
  const shared = await deps.api.isSharedChannel(channel).catch(() => false);
  const joined = await deps.api.call('conversations.join', { channel }).then(() => true, () => false);
  await deps.ports.linkChannel({ teamId: inv.teamId, channelId: channel, customerId: target.customerId, companyId: target.companyId, shared, linkedBy: inv.userId });
  const invite = joined ? '' : ' If this is a private channel, invite the Rapport app to it so it can read the messages.';
  return textMessage(`:link: Linked <#${channel}> to ${b(target.label)}: new messages there are captured for them${shared ? ' (Slack Connect: our people’s messages count as outbound)' : ''}.${invite}`, cmd.share);
}
