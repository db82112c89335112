// Really signed Slack requests, as Slack sends them, for app.inject().
import { signSlackRequest } from '../../adapters/slack/verify-signature.js';

export const signingSecret = 'test-signing-secret-0123456789';
export const ourTeam = 'T0OURS';

export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  payload: string;
}

export function signed(body: string, contentType: string, opts: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {}): SignedRequest {
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    method: 'POST',
    url: '/slack/events',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signSlackRequest(opts.secret ?? signingSecret, ts, body),
      ...opts.headers,
    },
    payload: body,
  };
}

let trigger = 0;

export function slashCommand(text: string, o: { channel?: string; user?: string; team?: string; responseUrl: string; command?: string }, opts: Parameters<typeof signed>[2] = {}): SignedRequest {
  const form = new URLSearchParams({
    token: 'legacy',
    team_id: o.team ?? ourTeam,
    team_domain: 'ours',
    channel_id: o.channel ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: o.user ?? 'U0STAFF',
    user_name: 'staffer',
    command: o.command ?? '/crm',
    text,
    response_url: o.responseUrl,
    trigger_id: `trigger.${Date.now()}.${++trigger}`,
  });
  return signed(form.toString(), 'application/x-www-form-urlencoded', opts);
}

export function interaction(payload: Record<string, unknown>, opts: Parameters<typeof signed>[2] = {}): SignedRequest {
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts);
}

let eventSeq = 0;

export function eventCallback(event: Record<string, unknown>, o: { team?: string; eventId?: string } = {}, opts: Parameters<typeof signed>[2] = {}): SignedRequest {
  const body = {
    token: 'legacy',
    team_id: o.team ?? ourTeam,
    api_app_id: 'A0APP',
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${Date.now()}${++eventSeq}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  };
  return signed(JSON.stringify(body), 'application/json', opts);
}
