// The Slack adapter: a Bolt app in HTTP mode behind Rapport's own server (RapportReceiver), or in
// Socket Mode when an app-level token is configured. Listeners turn Slack input into core calls
// through the ports; every outgoing call goes through the one SlackApi.
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import { actionIds, parseCorrectionChoice, sendThreadCallbackId, sendThreadViewId, textMessage } from './blocks.js';
import { onMessageEvent, type MessageEvent } from './channel-capture.js';
import { parseCrmCommand } from './crm-command.js';
import { cardFor, failureMessage, runCrmCommand } from './crm-commands.js';
import type { SlackPorts } from './ports.js';
import { RapportReceiver, type SlackHttpRequest, type SlackHttpResponse } from './receiver.js';
import { boltLogger, SlackApi, type AdapterLog, type SlackMessage } from './slack-api.js';
import { Profiles } from './slack-message.js';
import { RapportError } from '../../src/core/errors.js';
import type { Pacer } from '../../src/core/pacer.js';
import { customerChoices, onSendThread, parseThreadMeta, saveThread, type SendThreadDeps } from './send-thread.js';

export interface SlackAdapterConfig {
  botToken: string;
  signingSecret: string;
  allowedTeamIds: string[];
  slackApiUrl?: string | undefined;
  /** xapp-… token: Socket Mode instead of HTTP. */
  appToken?: string | undefined;
  socketMode?: boolean;
  command?: string;
  /** Answer a slash command directly when done within this, else ack and use response_url. */
  ackBudgetMs?: number;
  perChannelIntervalMs?: number;
  eventWaitMs?: number;
  /** Pacing shared by every instance (the dispatcher passes it in); this process's own by default. */
  pacer?: Pacer | undefined;
}

export interface SlackAdapter {
  readonly bolt: App;
  readonly api: SlackApi;
  /** The HTTP receiver (null in Socket Mode). */
  readonly receiver: RapportReceiver | null;
  handle(req: SlackHttpRequest): Promise<SlackHttpResponse>;
  /** Waits for work still running after its HTTP answer. */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const score = (s: number | null) => (s === null ? '–' : s.toFixed(2));

/**
 * `work`'s result, or 'late' once `ms` have passed. The timer is cleared as soon as the work is
 * done: left running, it would hold the answer for the whole budget (2 s) after it was sent, and at
 * a few hundred commands a second that is megabytes the collector must copy and promote.
 */
async function within<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export function createSlackAdapter(config: SlackAdapterConfig, ports: SlackPorts, log: AdapterLog): SlackAdapter {
  const api = new SlackApi({ token: config.botToken, slackApiUrl: config.slackApiUrl, log, perChannelIntervalMs: config.perChannelIntervalMs ?? 1000, pacer: config.pacer });
  const socketMode = Boolean(config.socketMode && config.appToken);
  const receiver = socketMode ? null : new RapportReceiver({ signingSecret: config.signingSecret, allowedTeamIds: config.allowedTeamIds, deliveries: ports, log, eventWaitMs: config.eventWaitMs ?? 2500 });
  const boltReceiver: Receiver = receiver ?? new SocketModeReceiver({ appToken: config.appToken!, logger: boltLogger(log) });

  // auth.test once (who the bot is, the workspace URL for permalinks), retried after a failure.
  let identity: Promise<{ botId: string; botUserId: string; teamId: string; url: string | null }> | null = null;
  let workspaceUrl: string | null = null;
  const whoAmI = () => {
    identity ??= api.call<{ bot_id?: string; user_id?: string; team_id?: string; url?: string }>('auth.test').then(
      (r) => {
        workspaceUrl = r.url ?? null;
        return { botId: r.bot_id ?? '', botUserId: r.user_id ?? '', teamId: r.team_id ?? '', url: r.url ?? null };
      },
      (e: unknown) => {
        identity = null;
        throw e;
      },
    );
    return identity;
  };

  const bolt = new App({
    receiver: boltReceiver,
    logger: boltLogger(log),
    authorize: async () => {
      const me = await whoAmI();
      return { botToken: config.botToken, botId: me.botId, botUserId: me.botUserId, teamId: me.teamId };
    },
    clientOptions: config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {},
    // Bolt's conversation store keeps state in this process only (wrong with several instances) and
    // we keep none; its lookup throws an Error for every request that has no state, stack and all.
    convoStore: false,
  });
  bolt.error(async (e) => {
    throw e;
  });

  const profiles = new Profiles(ports, api);
  const deps = { ports, api, log };
  const command = config.command ?? '/crm';
  const budget = config.ackBudgetMs ?? 2000;
  const threadDeps: SendThreadDeps = { ports, api, profiles, log, workspaceUrl: () => workspaceUrl, decideWithinMs: Math.min(1500, budget) };

  bolt.command(command, async ({ command: c, ack }) => {
    const parsed = parseCrmCommand(c.text ?? '');
    const inv = { teamId: c.team_id, channelId: c.channel_id, userId: c.user_id, userName: c.user_name ?? null, triggerId: c.trigger_id, command };
    const work = runCrmCommand(deps, parsed, inv);
    const first = await within(work, budget);
    if (first !== 'late') {
      await ack(first as never);
      return;
    }
    // Slow: acknowledge now (Slack waits 3 s at most) and answer through response_url.
    await ack({ response_type: 'ephemeral', text: 'Working on it…' } as never);
    const reply = await work;
    await api.respond(c.response_url, c.channel_id, { ...reply, replace_original: true }).catch((e: unknown) => log.error({ code: (e as { code?: string }).code }, 'slack response_url failed'));
  });

  bolt.action(new RegExp(`^${actionIds.pickCustomer}`), async ({ ack, body, action }) => {
    await ack();
    const b = body as { response_url?: string; channel?: { id?: string } };
    const value = (action as { value?: string }).value ?? '';
    let reply: SlackMessage;
    try {
      const { id, share } = JSON.parse(value) as { id: string; share?: boolean };
      reply = await cardFor(deps, id, Boolean(share));
      reply = share ? { ...reply, response_type: 'in_channel', replace_original: false } : { ...reply, replace_original: true };
    } catch (e) {
      reply = failureMessage(log, e, 'pick');
    }
    if (b.response_url) await api.respond(b.response_url, b.channel?.id ?? 'dm', reply);
  });

  bolt.action(new RegExp(`^${actionIds.correctKind}:`), async ({ ack, body, action }) => {
    await ack();
    const b = body as { response_url?: string; channel?: { id?: string }; user?: { id?: string } };
    const choice = parseCorrectionChoice((action as { selected_option?: { value?: string } }).selected_option?.value ?? '');
    let reply: SlackMessage;
    try {
      if (!choice) throw new RapportError('validation', 'that choice is not a kind or sentiment correction');
      const r = await ports.correctCommunication(choice.communicationId, { kind: choice.kind, sentiment: choice.sentiment }, `slack:${b.user?.id ?? 'unknown'}`);
      const what = choice.kind ? `kind *${r.old.kind}* → *${r.new.kind}*` : `sentiment ${score(r.old.sentiment)} → ${score(r.new.sentiment)} (${choice.sentiment})`;
      reply = textMessage(`:white_check_mark: Corrected: ${what}. Rapport learns from it in the nightly retrain.`, false);
    } catch (e) {
      reply = failureMessage(log, e, 'correct');
    }
    if (b.response_url) await api.respond(b.response_url, b.channel?.id ?? 'dm', { ...reply, response_type: 'ephemeral', replace_original: false });
  });

  bolt.event('message', async ({ event, body }) => {
    await onMessageEvent({ ...deps, profiles, workspaceUrl: () => workspaceUrl }, (body as { team_id: string }).team_id, event as unknown as MessageEvent);
  });

  bolt.shortcut(sendThreadCallbackId, async ({ ack, shortcut }) => {
    await ack();
    const s = shortcut as unknown as { team: { id: string }; channel: { id: string }; user: { id: string }; message: { ts: string; thread_ts?: string }; trigger_id: string; response_url: string };
    await whoAmI().catch(() => null);
    await onSendThread(threadDeps, {
      teamId: s.team.id,
      channelId: s.channel.id,
      rootTs: s.message.thread_ts ?? s.message.ts,
      userId: s.user.id,
      responseUrl: s.response_url,
      triggerId: s.trigger_id,
    });
  });

  bolt.view(sendThreadViewId, async ({ ack, view }) => {
    const req = parseThreadMeta(view.private_metadata);
    const selected = (view.state.values as Record<string, Record<string, { selected_option?: { value?: string } | null }>>).customer?.[actionIds.threadCustomer]?.selected_option?.value;
    if (!req || !selected) {
      await ack({ response_action: 'errors', errors: { customer: 'Pick the customer this thread is about.' } });
      return;
    }
    await ack();
    await saveThread(threadDeps, req, selected);
  });

  bolt.options(actionIds.threadCustomer, async ({ ack, options }) => {
    await ack(await customerChoices(threadDeps, (options as { value?: string }).value ?? ''));
  });

  return {
    bolt,
    api,
    receiver,
    handle: (req) => (receiver ? receiver.handle(req) : Promise.resolve({ status: 404, headers: {}, body: '' })),
    idle: async () => {
      await receiver?.idle();
    },
    start: async () => {
      if (socketMode) await bolt.start();
    },
    stop: async () => {
      if (socketMode) await bolt.stop();
      await receiver?.idle();
    },
  };
}
