// /settings/* (admins): mailboxes, webhook sources, Slack channel links, digest subscriptions with a
// rendered preview, API tokens, console users, and the inbox. Each change is in the audit log;
// secrets, tokens and passwords are shown once, in the response to the POST that made them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generateWebhookSecret, isWebhookPreset, webhookPresets } from '../../channels/webhook.js';
import type { AppContext } from '../../context.js';
import { validationError, notFound } from '../../core/errors.js';
import { sourceNamePattern, sourceNameRule } from '../../core/webhook-sources.js';
import { renderDigestEmail } from '../../digest/render-email.js';
import { validateSubscription } from '../../digest/subscription-input.js';
import { buildDigest, digestOptions } from '../../jobs/digests.js';
import { secretBoxFor } from '../../secret-key.js';
import { recordAudit } from '../../store/audit-repo.js';
import { revokeUserSessions } from '../../store/console-sessions-repo.js';
import { findUser, listUsers } from '../../store/console-users-repo.js';
import { createSubscription, listSubscriptions, removeSubscription } from '../../store/digest-repo.js';
import { listFolderStates, listMailboxes, listSyncFailures } from '../../store/mailboxes-repo.js';
import { listChannelLinks, unlinkChannel } from '../../store/slack-repo.js';
import { createToken, listTokens, revokeToken, tokenScopes, type TokenScope } from '../../store/tokens-repo.js';
import { createWebhookSource, listWebhookSources, removeWebhookSource, rotateWebhookSecret, type WebhookSourceScope } from '../../store/webhook-sources-repo.js';
import { redirectAfterPost, sendHtml, viewContext } from '../render.js';
import { addUser, generatePassword, removeUser, resetPassword } from '../users.js';
import { InboxPage, TokensPage, UsersPage } from '../views/settings-access.js';
import { DigestsPage, MailboxesPage, SlackPage, WebhooksPage } from '../views/settings-integrations.js';

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string | undefined>; Body: Record<string, string | undefined> }>;
const admin = { config: { role: 'admin' as const } };

export function settingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const tz = ctx.config.RAPPORT_TIMEZONE;
  const acting = (req: FastifyRequest) => ({ name: req.consoleUser!.email, id: req.consoleUser!.userId });
  const audit = (req: FastifyRequest, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}) =>
    recordAudit(db, { actor: req.consoleUser!.email, actorId: req.consoleUser!.userId, action, targetType, targetId, details });
  const webhookScope = (): WebhookSourceScope => ({ configured: ctx.config.RAPPORT_WEBHOOK_SOURCES, box: secretBoxFor(ctx.config, ctx.database) });
  const baseUrl = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

  app.get('/settings', admin, async (_req, reply) => reply.status(303).header('location', '/settings/mailboxes').send());

  app.get('/settings/mailboxes', admin, async (req: Req, reply) => {
    const boxes = await listMailboxes(db);
    const folders = await listFolderStates(db, boxes.map((b) => b.id));
    const mailboxes = await Promise.all(boxes.map(async (b) => ({
      name: b.name, host: b.host, user: b.user, enabled: b.enabled, source: b.source,
      folders: folders.filter((f) => f.mailboxId === b.id).map((f) => ({
        path: f.path, lastSyncAt: f.lastSyncAt?.toISOString() ?? null, lastErrorCode: f.lastErrorCode, lastErrorAt: f.lastErrorAt?.toISOString() ?? null, messagesSeen: f.messagesSeen,
      })),
      failures: (await listSyncFailures(db, b.id)).slice(0, 50).map((x) => ({ folder: x.folder, uid: x.uid, code: x.code, reason: x.reason, at: x.createdAt.toISOString() })),
    })));
    return sendHtml(reply, MailboxesPage({ ctx: viewContext(req, reply, tz), mailboxes }));
  });

  const webhooksPage = async (req: Req, reply: FastifyReply, shown: { name: string; secret: string } | null) =>
    sendHtml(reply, WebhooksPage({ ctx: viewContext(req, reply, tz), sources: await listWebhookSources(db, webhookScope()), presets: webhookPresets, shown, baseUrl: baseUrl(req) }));

  app.get('/settings/webhooks', admin, async (req: Req, reply) => webhooksPage(req, reply, null));

  app.post('/settings/webhooks', admin, async (req: Req, reply) => {
    const name = String(req.body?.name ?? '').trim();
    const preset = String(req.body?.preset ?? '');
    if (!sourceNamePattern.test(name)) throw validationError(`invalid source name "${name}": ${sourceNameRule}`, [{ field: 'name', message: sourceNameRule }]);
    if (!isWebhookPreset(preset)) throw validationError(`unknown preset "${preset}"`, [{ field: 'preset', message: webhookPresets.join(', ') }]);
    const created = await createWebhookSource(db, webhookScope(), { name, preset, secret: generateWebhookSecret() });
    await audit(req, 'webhook.add', 'webhook_source', name, { preset });
    return webhooksPage(req, reply, { name, secret: created.secret });
  });

  app.post('/settings/webhooks/:name/rotate', admin, async (req: Req, reply) => {
    const hours = Math.min(720, Math.max(0, Number(req.body?.grace ?? 24) || 0));
    const r = await rotateWebhookSecret(db, webhookScope(), { name: req.params.name!, secret: generateWebhookSecret(), graceSeconds: hours * 3600 });
    await audit(req, 'webhook.rotate', 'webhook_source', req.params.name!, { graceHours: hours });
    return webhooksPage(req, reply, { name: r.name, secret: r.secret });
  });

  app.post('/settings/webhooks/:name/remove', admin, async (req: Req, reply) => {
    await removeWebhookSource(db, webhookScope(), req.params.name!);
    await audit(req, 'webhook.remove', 'webhook_source', req.params.name!);
    return redirectAfterPost(reply, '/settings/webhooks', 'done');
  });

  app.get('/settings/slack', admin, async (req: Req, reply) => sendHtml(reply, SlackPage({ ctx: viewContext(req, reply, tz), links: await listChannelLinks(db) })));

  app.post('/settings/slack/:team/:channel/unlink', admin, async (req: Req, reply) => {
    if (!(await unlinkChannel(db, req.params.team!, req.params.channel!))) throw notFound('Slack channel link', req.params.channel!);
    await audit(req, 'slack.unlink', 'slack_channel', `${req.params.team}:${req.params.channel}`);
    return redirectAfterPost(reply, '/settings/slack', 'done');
  });

  app.get('/settings/digests', admin, async (req: Req, reply) =>
    sendHtml(reply, DigestsPage({ ctx: viewContext(req, reply, tz), subscriptions: await listSubscriptions(db), defaultTz: tz })));

  app.get('/settings/digests/preview', admin, async (_req, reply) => {
    const digest = await buildDigest(db, { slot: new Date(), timeZone: tz, owner: null, segment: null, late: false }, digestOptions(ctx));
    // The email as it will be sent, in a sandboxed frame: its own inline styles, nothing else.
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'")
      .send(renderDigestEmail(digest).html);
  });

  app.post('/settings/digests', admin, async (req: Req, reply) => {
    const b = req.body ?? {};
    const target = String(b.target ?? '').trim();
    const valid = validateSubscription({ slack: b.kind === 'slack' ? target : undefined, email: b.kind === 'slack' ? undefined : target, owner: b.owner, segment: b.segment, at: b.at, tz: b.tz }, tz);
    const { subscription } = await createSubscription(db, valid);
    await audit(req, 'digest.subscribe', 'digest_subscription', subscription.id, { kind: valid.targetKind, at: valid.at, timeZone: valid.timeZone });
    return redirectAfterPost(reply, '/settings/digests', 'done');
  });

  app.post('/settings/digests/:id/remove', admin, async (req: Req, reply) => {
    if (!(await removeSubscription(db, req.params.id!))) throw notFound('digest subscription', req.params.id!);
    await audit(req, 'digest.unsubscribe', 'digest_subscription', req.params.id!);
    return redirectAfterPost(reply, '/settings/digests', 'done');
  });

  const tokensPage = async (req: Req, reply: FastifyReply, shown: { name: string; token: string } | null) =>
    sendHtml(reply, TokensPage({ ctx: viewContext(req, reply, tz), tokens: await listTokens(db), shown }));

  app.get('/settings/tokens', admin, async (req: Req, reply) => tokensPage(req, reply, null));

  app.post('/settings/tokens', admin, async (req: Req, reply) => {
    const scope = String(req.body?.scope ?? '') as TokenScope;
    if (!tokenScopes.includes(scope)) throw validationError(`scope must be one of ${tokenScopes.join(', ')}`, [{ field: 'scope', message: 'invalid scope' }]);
    const created = await createToken(db, { name: String(req.body?.name ?? '').slice(0, 100), scope });
    await audit(req, 'token.create', 'api_token', created.id, { scope });
    return tokensPage(req, reply, { name: created.name, token: created.token });
  });

  app.post('/settings/tokens/:id/revoke', admin, async (req: Req, reply) => {
    const revoked = await revokeToken(db, req.params.id!);
    if (!revoked) throw notFound('token', req.params.id!);
    await audit(req, 'token.revoke', 'api_token', revoked.id);
    return redirectAfterPost(reply, '/settings/tokens', 'done');
  });

  const usersPage = async (req: Req, reply: FastifyReply, shown: { email: string; password: string } | null, revoked: number | null = null) =>
    sendHtml(reply, UsersPage({ ctx: viewContext(req, reply, tz), users: await listUsers(db), shown, revoked }));

  app.get('/settings/users', admin, async (req: Req, reply) => usersPage(req, reply, null));

  app.post('/settings/users', admin, async (req: Req, reply) => {
    const password = generatePassword();
    const u = await addUser(db, { email: String(req.body?.email ?? ''), role: String(req.body?.role ?? ''), password }, acting(req));
    return usersPage(req, reply, { email: u.email, password });
  });

  app.post('/settings/users/:id/reset', admin, async (req: Req, reply) => {
    const r = await resetPassword(db, req.params.id!, null, acting(req));
    return usersPage(req, reply, { email: r.email, password: r.password }, r.sessionsRevoked);
  });

  app.post('/settings/users/:id/sessions', admin, async (req: Req, reply) => {
    const user = await findUser(db, req.params.id!);
    if (!user) throw notFound('user', req.params.id!);
    const n = await revokeUserSessions(db, user.id);
    await audit(req, 'user.revoke_sessions', 'user', user.id, { sessionsRevoked: n });
    return usersPage(req, reply, null, n);
  });

  app.post('/settings/users/:id/remove', admin, async (req: Req, reply) => {
    if (req.params.id === req.consoleUser!.userId) throw validationError('you cannot remove yourself', [{ field: 'user', message: 'self' }]);
    await removeUser(db, req.params.id!, acting(req));
    return redirectAfterPost(reply, '/settings/users', 'done');
  });

  app.get('/settings/inbox', admin, async (req: Req, reply) => sendHtml(reply, InboxPage({ ctx: viewContext(req, reply, tz) })));
}
