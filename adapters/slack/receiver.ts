// A Bolt Receiver fed by Rapport's own HTTP server: the route hands over the raw bytes, this checks
// the signature and the team, answers url_verification, drops event redeliveries, and turns Bolt's
// ack() into the HTTP answer. Commands and buttons are answered at ack; events are answered once
// processed (up to a limit), so a failure answers 500 and Slack's retry gets another chance.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { loggableError } from './errors.js';
import type { SlackPorts } from './ports.js';
import type { AdapterLog } from './slack-api.js';
import { checkSlackSignature } from './verify-signature.js';

export interface SlackHttpRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface SlackHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ReceiverOptions {
  signingSecret: string;
  /** Empty: any team that can sign with our secret. */
  allowedTeamIds: string[];
  deliveries: Pick<SlackPorts, 'claimDelivery' | 'releaseDelivery'>;
  log: AdapterLog;
  /** Longest wait for a listener's ack() before answering 200 anyway (Slack gives up at 3 s). */
  ackTimeoutMs?: number;
  /** Longest wait for an event's processing before answering 200 and finishing in the background. */
  eventWaitMs?: number;
  nowSeconds?: () => number;
}

/** The JSON of replies that cannot change (frozen: a card rendered once and kept), kept with them. */
const serialized = new WeakMap<object, string>();

function stringify(body: unknown): string {
  if (body === null || typeof body !== 'object' || !Object.isFrozen(body)) return JSON.stringify(body);
  let text = serialized.get(body);
  if (text === undefined) serialized.set(body, (text = JSON.stringify(body)));
  return text;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SlackHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: stringify(body),
});
const refuse = (status: number, code: string, message: string) => json(status, { error: { code, message } });

function header(h: SlackHttpRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The team a request comes from, wherever this payload type keeps it. */
export function teamOf(body: Record<string, unknown>): string | null {
  const b = body as { team_id?: string; team?: { id?: string } | null; user?: { team_id?: string }; view?: { team_id?: string } };
  return b.team_id ?? b.team?.id ?? b.view?.team_id ?? b.user?.team_id ?? null;
}

export class RapportReceiver implements Receiver {
  private bolt: App | null = null;
  private readonly opts: Required<Omit<ReceiverOptions, 'nowSeconds'>> & Pick<ReceiverOptions, 'nowSeconds'>;
  private readonly background = new Set<Promise<unknown>>();

  constructor(opts: ReceiverOptions) {
    this.opts = { ackTimeoutMs: 2800, eventWaitMs: 2500, ...opts };
  }

  init(app: App): void {
    this.bolt = app;
  }

  async start(): Promise<void> {}

  /** Waits for work still running after its HTTP answer (tests, shutdown). */
  async stop(): Promise<void> {
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  async handle(req: SlackHttpRequest): Promise<SlackHttpResponse> {
    const failure = checkSlackSignature({
      secret: this.opts.signingSecret,
      rawBody: req.rawBody,
      timestamp: header(req.headers, 'x-slack-request-timestamp'),
      signature: header(req.headers, 'x-slack-signature'),
      ...(this.opts.nowSeconds ? { nowSeconds: this.opts.nowSeconds() } : {}),
    });
    if (failure) {
      this.opts.log.warn({ reason: failure }, 'slack request refused');
      return refuse(401, 'bad_signature', failure === 'stale_timestamp' ? 'request timestamp outside the 5-minute window' : 'invalid Slack signature');
    }

    let body: Record<string, unknown>;
    try {
      body = parseBody(req.rawBody, header(req.headers, 'content-type') ?? '');
    } catch {
      return refuse(400, 'validation', 'unreadable Slack payload');
    }
    if (body.ssl_check) return { status: 200, headers: {}, body: '' };
    if (body.type === 'url_verification') return json(200, { challenge: body.challenge });

    const team = teamOf(body);
    if (this.opts.allowedTeamIds.length > 0 && (!team || !this.opts.allowedTeamIds.includes(team))) {
      this.opts.log.warn({ team }, 'slack request from a team not allowed');
      return refuse(403, 'forbidden', 'this Slack workspace is not allowed');
    }
    if (!this.bolt) return refuse(503, 'unavailable', 'Slack app not initialised');

    const retryNum = Number(header(req.headers, 'x-slack-retry-num') ?? '') || undefined;
    const retryReason = header(req.headers, 'x-slack-retry-reason');
    if (body.type === 'event_callback') return this.handleEvent(body, retryNum, retryReason);
    return this.handleInteraction(body);
  }

  private async handleEvent(body: Record<string, unknown>, retryNum: number | undefined, retryReason: string | undefined): Promise<SlackHttpResponse> {
    const key = `event:${String(body.event_id ?? '')}`;
    if (!(await this.opts.deliveries.claimDelivery(key))) {
      // Already processed (or being processed): a redelivery must not run twice.
      this.opts.log.info({ eventId: body.event_id, retryNum }, 'slack event redelivery ignored');
      return { status: 200, headers: { 'x-slack-no-retry': '1' }, body: '' };
    }
    let failed = false;
    const run = this.bolt!.processEvent({ body, retryNum, retryReason, ack: async () => {} } as ReceiverEvent).catch(async (e: unknown) => {
      failed = true;
      this.opts.log.error({ eventId: body.event_id, err: loggableError(e) }, 'slack event failed');
      await this.opts.deliveries.releaseDelivery(key).catch(() => {});
    });
    const finished = await this.within(run, this.opts.eventWaitMs);
    if (finished && failed) return refuse(500, 'internal', 'event processing failed; retry');
    return { status: 200, headers: {}, body: '' };
  }

  private async handleInteraction(body: Record<string, unknown>): Promise<SlackHttpResponse> {
    let answer!: (r: SlackHttpResponse) => void;
    const answered = new Promise<SlackHttpResponse>((resolve) => (answer = resolve));
    let acked = false;
    const ack = async (response?: unknown) => {
      if (acked) return;
      acked = true;
      if (response === undefined || response === null || response === '') answer({ status: 200, headers: {}, body: '' });
      else if (typeof response === 'string') answer({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: response });
      else answer(json(200, response));
    };
    const run = this.bolt!.processEvent({ body, ack } as ReceiverEvent).catch((e: unknown) => {
      this.opts.log.error({ type: body.type ?? body.command, err: loggableError(e) }, 'slack request failed');
      if (!acked) {
        acked = true;
        answer(json(200, { response_type: 'ephemeral', text: 'Sorry, that did not work. Please try again in a moment.' }));
      }
    });
    this.track(run);
    const timer = setTimeout(() => {
      if (!acked) {
        acked = true;
        this.opts.log.warn({ type: body.type ?? body.command }, 'slack request not acknowledged in time');
        answer({ status: 200, headers: {}, body: '' });
      }
    }, this.opts.ackTimeoutMs);
    const response = await answered;
    clearTimeout(timer);
    return response;
  }

  private async within(p: Promise<unknown>, ms: number): Promise<boolean> {
    this.track(p);
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([p.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    return done;
  }

  private track(p: Promise<unknown>): void {
    const t = p.finally(() => this.background.delete(t));
    this.background.add(t);
  }
}

/** The request as an object; throws (→ 400) on anything else, `null` and arrays included. */
function parseBody(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (contentType.includes('application/json')) return objectOrThrow(JSON.parse(text));
  const form = Object.fromEntries(new URLSearchParams(text));
  // Interactivity (shortcuts, buttons, modals, options) arrives as a form with one JSON `payload`.
  if (typeof form.payload === 'string') return objectOrThrow(JSON.parse(form.payload));
  return form;
}

function objectOrThrow(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('a Slack payload is a JSON object');
  return value as Record<string, unknown>;
}
