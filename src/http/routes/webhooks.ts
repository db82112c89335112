// POST /webhooks/:source — signed deliveries from outside systems. The body is read as raw bytes
// (a content-type parser scoped to this plugin only), because the signature covers exactly the
// bytes sent: hashing a re-serialized body would reject valid requests and accept altered ones.
// 202 { id, status } once the message is stored (a duplicate answers the first id); 401 bad
// signature; 400 field errors; 404 unknown source; 413 too large; 415 wrong content type; 503
// with Retry-After when the database is unavailable, so the sender retries and nothing is lost.
import { z } from 'zod';
import { isWebhookPreset, receiveWebhook, type ParseEmail } from '../../../adapters/webhook/index.js';
import { createCapture } from '../../channels/capture-service.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { parseEmail } from '../../mail/parse-email.js';
import type { Capture } from '../../core/inbound-message.js';
import { secretBoxFor } from '../../secret-key.js';
import { findWebhookSource, type WebhookSourceScope } from '../../store/webhook-sources-repo.js';
import { limitRequests } from '../rate-limit.js';
import type { App } from '../types.js';

export interface WebhookRouteDeps {
  capture: Capture;
  /** The email parser, for the raw-email preset. */
  parseEmail?: ParseEmail | undefined;
}

const accepted = z.object({ id: z.string(), status: z.enum(['created', 'duplicate']) });

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function webhookRoutes(ctx: AppContext, overrides: Partial<WebhookRouteDeps> = {}) {
  return async (app: App): Promise<void> => {
    const deps: WebhookRouteDeps = { capture: overrides.capture ?? createCapture(ctx).capture, parseEmail: overrides.parseEmail ?? ((raw) => parseEmail(raw)) };
    const scope: WebhookSourceScope = { configured: ctx.config.RAPPORT_WEBHOOK_SOURCES, box: secretBoxFor(ctx.config, ctx.database) };
    // Scoped to this plugin: every content type arrives as the Buffer that was sent.
    await limitRequests(app, 'webhook', ctx.config.RAPPORT_RATE_LIMIT_WEBHOOK);
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
            'The optional `Idempotency-Key` header is the message id when the payload has none.',
          security: [],
          params: z.object({ source: z.string() }),
          response: { 202: accepted },
        },
      },
      async (request, reply) => {
        const name = request.params.source;
        const source = await findWebhookSource(ctx.database.db, scope, name);
        if (!source || !isWebhookPreset(source.preset)) throw notFound('webhook source', name);
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await receiveWebhook(
          { name: source.name, preset: source.preset, secrets: source.secrets },
          {
            rawBody,
            signature: request.headers['x-rapport-signature'],
            contentType: request.headers['content-type'],
            idempotencyKey: singleHeader(request.headers['idempotency-key']),
          },
          deps,
        );
        // 'updated' (the same id again, with changed content) is, for the sender, a repeat delivery.
        const status = result.status === 'created' ? 'created' : 'duplicate';
        request.log.info({ webhook: name, communicationId: result.id, status }, 'webhook accepted');
        return reply.status(202).send({ id: result.id, status });
      },
    );
  };
}
