// The one path from Rapport to Slack: every Web API call and every response_url post goes through
// here. The Web API client honours 429 Retry-After (it pauses its queue and retries); messages keep
// to about one per second per channel through a small queue per channel, as Slack asks. The turns
// and the pause after a 429 come from a Pacer: this process's own by default, the one every
// instance shares (Redis) when the dispatcher passes it in.
import { webApi, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { RapportError } from '../../src/core/errors.js';
import { localPacer, type Pacer } from '../../src/core/pacer.js';
import { loggableError, slackError } from './errors.js';

export interface AdapterLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SlackApiOptions {
  token: string;
  /** Web API base, e.g. http://127.0.0.1:9999/api/ for a stand-in or a proxy; Slack's by default. */
  slackApiUrl?: string | undefined;
  log: AdapterLog;
  /** Minimum gap between two messages to one channel (Slack: about 1/s). */
  perChannelIntervalMs?: number;
  /** Attempts after a 429 or a network failure. */
  retries?: number;
  /** Turns per channel and the pause after a 429 (default: this process's own). */
  pacer?: Pacer | undefined;
}

export type SlackMessage = {
  text: string;
  blocks?: unknown[] | undefined;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
};

export interface SlackMember {
  id: string;
  teamId: string | null;
  email: string | null;
  name: string | null;
  isBot: boolean;
}

export interface ThreadMessage {
  ts: string;
  threadTs: string | null;
  user: string | null;
  botId: string | null;
  subtype: string | null;
  text: string;
  userTeam: string | null;
  files: { name: string | null; mimetype: string | null; size: number | null }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SlackApi {
  readonly client: InstanceType<typeof webApi.WebClient>;
  private readonly lanes = new Map<string, Promise<unknown>>();
  private readonly pacer: Pacer;
  private readonly interval: number;
  private readonly retries: number;
  private readonly log: AdapterLog;
  private readonly apiOrigin: string;

  constructor(opts: SlackApiOptions) {
    this.interval = opts.perChannelIntervalMs ?? 1000;
    this.pacer = opts.pacer ?? localPacer();
    this.retries = opts.retries ?? 5;
    this.log = opts.log;
    this.apiOrigin = new URL(opts.slackApiUrl ?? 'https://slack.com/api/').origin;
    this.client = new webApi.WebClient(opts.token, {
      ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
      logger: boltLogger(opts.log),
      retryConfig: { retries: this.retries, factor: 2, minTimeout: 100, maxTimeout: 5000, randomize: true },
      timeout: 10_000,
    });
    this.client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfter: number) => {
      this.log.warn({ retryAfter }, 'slack rate limited; waiting');
      // Every instance waits it out, not only the one Slack answered.
      void this.pacer.pause(retryAfter * 1000).catch(() => undefined);
    });
  }

  /** Any Web API method; failures become RapportErrors with the Slack error as cause. */
  async call<T = Record<string, unknown>>(method: string, args: Record<string, unknown> = {}): Promise<T> {
    const paused = await this.pacer.pausedFor().catch(() => 0);
    if (paused > 0) await sleep(paused);
    try {
      return (await this.client.apiCall(method, args)) as T;
    } catch (e) {
      throw slackError(e, method);
    }
  }

  postMessage(channel: string, message: SlackMessage & { thread_ts?: string }): Promise<{ ts?: string }> {
    return this.paced(channel, () => this.call('chat.postMessage', { channel, ...message }));
  }

  postEphemeral(channel: string, user: string, message: SlackMessage): Promise<unknown> {
    return this.paced(channel, () => this.call('chat.postEphemeral', { channel, user, ...message }));
  }

  /** Posts to a response_url (slash commands, shortcuts, buttons), paced with the channel's messages. */
  respond(responseUrl: string, channel: string, message: SlackMessage): Promise<void> {
    if (!this.isResponseUrlAllowed(responseUrl)) {
      return Promise.reject(new RapportError('forbidden', 'response_url is not a Slack address'));
    }
    return this.paced(channel, async () => {
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(responseUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify(message),
            redirect: 'error',
            signal: AbortSignal.timeout(10_000),
          });
        } catch (e) {
          if (attempt >= this.retries) throw slackError(e, 'response_url');
          await sleep(200 * 2 ** attempt);
          continue;
        }
        if (res.ok) return;
        const body = await res.text().catch(() => '');
        if ((res.status === 429 || res.status >= 500) && attempt < this.retries) {
          const retryAfter = Number(res.headers.get('retry-after'));
          const wait = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 200 * 2 ** attempt;
          this.log.warn({ status: res.status, wait }, 'slack response_url busy; waiting');
          await sleep(wait);
          continue;
        }
        throw new RapportError(res.status === 404 ? 'not_found' : 'unavailable', `Slack response_url answered ${res.status}`, { slackError: body.slice(0, 100) });
      }
    });
  }

  async userInfo(user: string): Promise<SlackMember> {
    type Info = { user?: { id: string; team_id?: string; name?: string; real_name?: string; is_bot?: boolean; profile?: { email?: string; real_name?: string; display_name?: string } } };
    const res = await this.call<Info>('users.info', { user });
    const u = res.user;
    return {
      id: user,
      teamId: u?.team_id ?? null,
      email: u?.profile?.email ?? null,
      name: u?.profile?.real_name || u?.real_name || u?.profile?.display_name || u?.name || null,
      isBot: Boolean(u?.is_bot),
    };
  }

  /** Every message of a thread, following the cursor through all pages. */
  async threadMessages(channel: string, ts: string, onPage?: (count: number) => void): Promise<ThreadMessage[]> {
    type Page = { messages?: RawMessage[]; has_more?: boolean; response_metadata?: { next_cursor?: string } };
    const all: ThreadMessage[] = [];
    let cursor: string | undefined;
    do {
      const page: Page = await this.call<Page>('conversations.replies', { channel, ts, limit: 200, ...(cursor ? { cursor } : {}) });
      all.push(...(page.messages ?? []).map(toThreadMessage));
      onPage?.(all.length);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return all;
  }

  async isSharedChannel(channel: string): Promise<boolean> {
    const res = await this.call<{ channel?: { is_ext_shared?: boolean; is_shared?: boolean } }>('conversations.info', { channel });
    return Boolean(res.channel?.is_ext_shared);
  }

  async permalink(channel: string, ts: string): Promise<string | null> {
    const res = await this.call<{ permalink?: string }>('chat.getPermalink', { channel, message_ts: ts });
    return res.permalink ?? null;
  }

  openView(triggerId: string, view: unknown): Promise<unknown> {
    return this.call('views.open', { trigger_id: triggerId, view });
  }

  /** Slack's own hooks, or the configured API host (a stand-in or a proxy). */
  private isResponseUrlAllowed(url: string): boolean {
    try {
      const u = new URL(url);
      return (u.protocol === 'https:' && (u.hostname === 'hooks.slack.com' || u.hostname.endsWith('.slack.com'))) || u.origin === this.apiOrigin;
    } catch {
      return false;
    }
  }

  private paced<T>(channel: string, send: () => Promise<T>): Promise<T> {
    // One queue per channel keeps this process's messages in order; the pacer spaces them (and
    // those of other instances, when shared) about `interval` apart.
    const run = (this.lanes.get(channel) ?? Promise.resolve()).then(async () => {
      const wait = await this.pacer.reserve(channel, this.interval).catch(() => 0);
      if (wait > 0) await sleep(wait);
      // The message before this turn (another instance's) may still be on its way or have finished
      // late; after a minute of that, send anyway.
      for (const end = Date.now() + 60_000; Date.now() < end; ) {
        const more = await this.pacer.begin(channel).catch(() => 0);
        if (more <= 0) break;
        await sleep(Math.min(more, 1_000));
      }
      try {
        return await send();
      } finally {
        await this.pacer.done(channel, this.interval).catch(() => undefined);
      }
    });
    const tail = run.catch(() => undefined);
    this.lanes.set(channel, tail);
    // Forget idle lanes once their last message is out.
    void tail.then(() => {
      if (this.lanes.get(channel) === tail) this.lanes.delete(channel);
    });
    return run;
  }
}

interface RawMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  user_team?: string;
  files?: { name?: string; mimetype?: string; size?: number }[];
}

export function toThreadMessage(m: RawMessage): ThreadMessage {
  return {
    ts: m.ts,
    threadTs: m.thread_ts ?? null,
    user: m.user ?? null,
    botId: m.bot_id ?? null,
    subtype: m.subtype ?? null,
    text: m.text ?? '',
    userTeam: m.user_team ?? null,
    files: (m.files ?? []).map((f) => ({ name: f.name ?? null, mimetype: f.mimetype ?? null, size: f.size ?? null })),
  };
}

/** Bolt and the Web API client log through Rapport's logger; they never see message bodies. */
export function boltLogger(log: AdapterLog): BoltLogger {
  let level = LogLevel.INFO;
  // Strings are Bolt's own notes; errors are reduced to their class and code (see loggableError).
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? JSON.stringify(loggableError(a)) : '')).join(' ').slice(0, 300);
  return {
    // The Web API client's debug lines carry request and response bodies (profiles, messages): dropped.
    debug: () => {},
    info: (...a: unknown[]) => log.info({ component: 'slack' }, text(a)),
    warn: (...a: unknown[]) => log.warn({ component: 'slack' }, text(a)),
    error: (...a: unknown[]) => log.error({ component: 'slack' }, text(a)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
