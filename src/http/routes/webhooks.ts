// POST /webhooks/:source — signed deliveries from outside systems. The body is read as raw bytes
// (a content-type parser scoped to this plugin only), because the signature covers exactly the
// bytes sent: hashing a re-serialized body would reject valid requests and accept altered ones.
// 202 { id, status } once the message is in the inbox (committed: it will be captured); `duplicate`
// answers the id of the first delivery. 401 bad signature or unknown source; 400 field errors; 413
// too large; 415 wrong content type; 503 with Retry-After when the database is unavailable, so the
// sender retries and nothing is lost.
import { z } from 'zod';
import { channelsOf } from '../../channels/index.js';
import { webhookChannel, type ParseEmail, type WebhookChannel } from '../../channels/webhook.js';
import type { AppContext } from '../../context.js';
import { limitRequests } from '../rate-limit.js';
import { errors } from '../schemas.js';
import type { App } from '../types.js';

export interface WebhookRouteOverrides {
  /** The email parser, for the raw-email preset (tests). */
  parseEmail?: ParseEmail | undefined;
}

const accepted = z.object({ id: z.string(), status: z.enum(['accepted', 'duplicate']) });

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function webhookRoutes(ctx: AppContext, overrides: WebhookRouteOverrides = {}) {
  return async (app: App): Promise<void> => {
    const webhook: WebhookChannel = webhookChannel(ctx, channelsOf(ctx), { parseEmail: overrides.parseEmail });
    // Scoped to this plugin: every content type arrives as the Buffer that was sent.
    await limitRequests(app, 'webhook', ctx.config.RAPPORT_RATE_LIMIT_WEBHOOK, ctx.shared.redis);
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.config.RAPPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

    app.post(
      '/webhooks/:source',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Deliver one message from a webhook source',
          description:
            'Signed with `X-Rapport-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>`. ' +
            'The optional `Idempotency-Key` header is the message id when the payload has none. ' +
            'Answered 202 once the message is durably accepted; capture follows within a second or two.',
          security: [],
          params: z.object({ source: z.string() }),
          response: { 202: accepted, ...errors(400, 401, 413, 415, 429, 503) },
        },
      },
      async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await webhook.receive(request.params.source, {
          rawBody,
          signature: request.headers['x-rapport-signature'],
          contentType: request.headers['content-type'],
          idempotencyKey: singleHeader(request.headers['idempotency-key']),
        });
        request.log.info({ inbox: result.id, status: result.status }, 'webhook accepted');
        return reply.status(202).send(result);
      },
    );
  };
}
