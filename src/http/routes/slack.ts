// POST /slack/events — everything Slack sends (slash commands, Events API, shortcuts, buttons,
// modals, menu options) arrives here as raw bytes, because the signature covers exactly the bytes
// sent. The route exists only when Slack is configured in HTTP mode.
import type { AppContext } from '../../context.js';
import { channelsOf, type SlackAdapter } from '../../channels/index.js';
import type { RedisLink } from '../../shared-state/index.js';
import { limitRequests } from '../rate-limit.js';
import type { App } from '../types.js';

/** Slack's payloads are small; 1 MiB is far above the largest (a modal submission). */
const slackBodyLimit = 1024 * 1024;

export function slackRoutes(ctx: AppContext) {
  return async (app: App): Promise<void> => {
    const slack = await channelsOf(ctx).slack();
    if (!slack) return;
    if (!slack.receiver) {
      // Socket Mode: Slack connects out; nothing to route. Runs while the server listens.
      app.addHook('onListen', async () => slack.start());
      app.addHook('onClose', async () => slack.stop());
      return;
    }
    mountSlack(app, slack, ctx.config.RAPPORT_RATE_LIMIT_SLACK, ctx.shared.redis);
  };
}

/** `perMinute`: requests a minute per Slack workspace (0: no limit). */
export function mountSlack(app: App, slack: SlackAdapter, perMinute = 0, redis: RedisLink | null = null): void {
  app.register(async (scope) => {
    await limitRequests(scope, 'slack', perMinute, redis);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: slackBodyLimit }, (_req, body, done) => done(null, body));
    scope.addHook('onClose', async () => slack.stop());
    scope.post('/slack/events', { schema: { hide: true } }, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const res = await slack.handle({ rawBody, headers: request.headers });
      return reply.status(res.status).headers(res.headers).send(res.body);
    });
  });
}
