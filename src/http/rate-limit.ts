// Requests per minute: per API token, per webhook source, per Slack workspace (@fastify/rate-limit).
// Over the limit → 429 `rate_limited` with Retry-After (seconds). The defaults sit far above
// normal use; they stop a runaway script or a sender stuck in a retry loop.
//
// Without REDIS_URL the counters live in this process, so with several instances each counts on
// its own; with it every instance counts together in Redis (rate-limit-store.ts).
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { RapportError } from '../core/errors.js';
import type { RedisLink } from '../shared-state/redis-link.js';
import { sharedCounterStore } from './rate-limit-store.js';
import { errors } from './schemas.js';
import type { App } from './types.js';

export type LimitedSurface = 'api' | 'webhook' | 'slack';

/** Where the counters are kept: Redis when configured, else the plugin's own store in this process. */
function counterStore(redis: RedisLink | null): Pick<RateLimitPluginOptions, 'store'> {
  return redis ? sharedCounterStore(redis) : {};
}

/** A Slack request's workspace: `team_id` of a slash command or event, `team.id` of an interaction. */
export function slackTeamOf(body: unknown): string {
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (raw.startsWith('{')) {
    try {
      const json = JSON.parse(raw) as { team_id?: unknown; team?: { id?: unknown } };
      return String(json.team_id ?? json.team?.id ?? 'unknown');
    } catch {
      return 'unknown';
    }
  }
  const form = new URLSearchParams(raw);
  const team = form.get('team_id');
  if (team) return team;
  try {
    const payload = JSON.parse(form.get('payload') ?? '{}') as { team?: { id?: unknown }; team_id?: unknown };
    return String(payload.team?.id ?? payload.team_id ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

const keys: Record<LimitedSurface, (req: FastifyRequest) => string> = {
  // After authentication (preHandler): requests without a valid token never count.
  api: (req) => `api:${req.apiToken?.id ?? req.ip}`,
  webhook: (req) => `webhook:${(req.params as { source?: string }).source ?? ''}`,
  slack: (req) => `slack:${slackTeamOf(req.body)}`,
};

const what: Record<LimitedSurface, string> = { api: 'API token', webhook: 'webhook source', slack: 'Slack workspace' };

/**
 * Limits every route of this (encapsulated) scope to `perMinute` requests a minute for each
 * token, source or workspace; 0 turns the limit off.
 */
export async function limitRequests(scope: App, surface: LimitedSurface, perMinute: number, redis: RedisLink | null = null): Promise<void> {
  if (perMinute <= 0) return;
  // Every documented route of the scope can answer 429.
  scope.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<number, unknown> | undefined;
    if (response && !response[429]) response[429] = errors(429)[429];
  });
  await scope.register(rateLimit, {
    ...counterStore(redis),
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    // The Slack workspace is in the body; the API token is known once authentication ran.
    hook: surface === 'webhook' ? 'onRequest' : 'preHandler',
    keyGenerator: keys[surface],
    errorResponseBuilder: (_req, ctx) =>
      new RapportError('rate_limited', `more than ${ctx.max} requests a minute for this ${what[surface]}; retry in ${ctx.after}`, {
        limit: ctx.max,
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      }),
  });
}
