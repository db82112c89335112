// A local stand-in for Slack's Web API and response_url hooks: records every call, answers from
// small in-memory fixtures (users, threads), and can be told to answer 429 or an error next.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 } | { error: string };

export interface StandInUser {
  id: string;
  team_id: string;
  email?: string;
  real_name?: string;
  is_bot?: boolean;
}

export interface StandInMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text: string;
  user_team?: string;
  files?: { name: string; mimetype: string; size: number }[];
}

export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly users = new Map<string, StandInUser>();
  /** channel:thread_ts → messages, root first. */
  readonly threads = new Map<string, StandInMessage[]>();
  sharedChannels = new Set<string>();
  pageSize = 2;
  team = 'T0OURS';
  private readonly failures = new Map<string, Failure[]>();
  private server!: Server;
  private base = '';

  static async start(): Promise<SlackStandIn> {
    const s = new SlackStandIn();
    s.server = createServer((req, res) => {
      void s.serve(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body);
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    s.base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.base}/response/${id}`;
  }

  /** The next calls of `method` ('response' for response_url posts) fail as given, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): RecordedResponse[] {
    return this.responses.filter((r) => r.id === id);
  }

  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end) throw new Error('stand-in: timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async serve(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const ct = req.headers['content-type'] ?? '';
    const args: Record<string, unknown> = ct.includes('json') ? (raw ? JSON.parse(raw) : {}) : Object.fromEntries(new URLSearchParams(raw));
    for (const [k, v] of Object.entries(args)) {
      if (typeof v === 'string' && /^[[{]/.test(v)) {
        try {
          args[k] = JSON.parse(v);
        } catch {
          /* a plain string that starts with a bracket */
        }
      }
    }
    const url = req.url ?? '';
    const isResponse = url.startsWith('/response/');
    const method = isResponse ? 'response' : url.replace(/^\/api\//, '').split('?')[0]!;
    const failure = this.failures.get(method)?.shift();
    if (isResponse) this.responses.push({ id: url.slice('/response/'.length), body: args, at: Date.now() });
    else this.calls.push({ method, args, at: Date.now() });
    if (failure && 'status' in failure) {
      return failure.status === 429
        ? { status: 429, headers: { 'retry-after': String(failure.retryAfter) }, body: '{"ok":false,"error":"ratelimited"}' }
        : { status: 500, headers: {}, body: 'oops' };
    }
    if (failure) return ok({ ok: false, error: failure.error });
    if (isResponse) return ok({ ok: true });
    return ok(this.answer(method, args));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: this.team, url: 'https://ours.slack.com/' };
      case 'users.info': {
        const u = this.users.get(String(args.user));
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: u.id, team_id: u.team_id, is_bot: Boolean(u.is_bot), real_name: u.real_name, profile: { email: u.email, real_name: u.real_name } } };
      }
      case 'conversations.replies': {
        const all = this.threads.get(`${args.channel}:${args.ts}`);
        if (!all) return { ok: false, error: 'thread_not_found' };
        const start = Number(args.cursor ?? 0);
        const page = all.slice(start, start + this.pageSize);
        const next = start + this.pageSize < all.length ? String(start + this.pageSize) : '';
        return { ok: true, messages: page, has_more: Boolean(next), response_metadata: { next_cursor: next } };
      }
      case 'conversations.info':
        return { ok: true, channel: { id: args.channel, is_ext_shared: this.sharedChannels.has(String(args.channel)) } };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `${Date.now() / 1000}` };
      case 'chat.getPermalink':
        return { ok: true, permalink: `https://ours.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}` };
      default:
        return { ok: true };
    }
  }
}

function ok(body: Record<string, unknown>) {
  return { status: 200, headers: {}, body: JSON.stringify(body) };
}
