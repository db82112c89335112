// Sign-in, sign-out and the language switch. A sign-in is refused while the account or the client
// address is locked out (LoginThrottle), and every attempt, good or bad, is in the audit log.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { recordAudit } from '../../store/audit-repo.js';
import { createSession, revokeSession } from '../../store/console-sessions-repo.js';
import { userByEmail } from '../../store/console-users-repo.js';
import { databaseLoginThrottle, throttleKey, type LoginThrottle } from '../../store/login-throttle.js';
import { LANG_COOKIE } from '../i18n.js';
import { SESSION_COOKIE } from '../session-cookie.js';
import { redirectAfterPost, safeNext, sendHtml, viewContext } from '../render.js';
import { checkCredentials } from '../users.js';
import { LoginPage } from '../views/login.js';

export interface AuthOptions {
  /** Where failed sign-ins are counted; the default keeps them in the database. */
  accounts?: LoginThrottle;
  clients?: LoginThrottle;
}

export function authRoutes(app: FastifyInstance, ctx: AppContext, opts: AuthOptions = {}): void {
  const db = ctx.database.db;
  const c = ctx.config;
  const accounts = opts.accounts ?? databaseLoginThrottle(db, { maxFailures: c.RAPPORT_LOGIN_MAX_FAILURES, windowMinutes: c.RAPPORT_LOGIN_LOCK_MINUTES, lockMinutes: c.RAPPORT_LOGIN_LOCK_MINUTES });
  const clients = opts.clients ?? databaseLoginThrottle(db, { maxFailures: c.RAPPORT_LOGIN_MAX_FAILURES * 4, windowMinutes: c.RAPPORT_LOGIN_LOCK_MINUTES, lockMinutes: c.RAPPORT_LOGIN_LOCK_MINUTES });
  const tz = c.RAPPORT_TIMEZONE;

  app.get<{ Querystring: { next?: string } }>('/login', { config: { public: true } }, async (req, reply) => {
    if (req.consoleUser) return reply.status(303).header('location', safeNext(req.query.next)).send();
    return sendHtml(reply, LoginPage({ ctx: viewContext(req, reply, tz), next: safeNext(req.query.next) }));
  });

  app.post<{ Body: { email?: string; password?: string; next?: string } }>('/login', { config: { public: true } }, async (req, reply) => {
    const email = String(req.body?.email ?? '').trim().slice(0, 320);
    const password = String(req.body?.password ?? '');
    const next = safeNext(req.body?.next);
    const view = viewContext(req, reply, tz);
    const accountKey = [throttleKey('account', email)];
    const clientKey = [throttleKey('client', req.ip)];
    const locked = Math.max(await accounts.lockedFor(accountKey), await clients.lockedFor(clientKey));
    if (locked > 0) {
      await recordAudit(db, { actor: 'anonymous', action: 'sign_in.locked', details: { seconds: locked } });
      return sendHtml(reply, LoginPage({ ctx: view, next, email, error: view.t.lockedOut(Math.ceil(locked / 60)) }), 429);
    }
    const user = await checkCredentials(db, email, password);
    if (!user) {
      const lockedNow = Math.max(await accounts.failed(accountKey), await clients.failed(clientKey));
      const known = await userByEmail(db, email);
      await recordAudit(db, { actor: 'anonymous', action: 'sign_in.failed', targetType: known ? 'user' : null, targetId: known?.id ?? null, details: { locked: lockedNow > 0 } });
      const error = lockedNow > 0 ? view.t.lockedOut(Math.ceil(lockedNow / 60)) : view.t.badCredentials;
      return sendHtml(reply, LoginPage({ ctx: view, next, email, error }), lockedNow > 0 ? 429 : 401);
    }
    await accounts.succeeded(accountKey);
    const session = await createSession(db, user.id, c.RAPPORT_SESSION_HOURS);
    await recordAudit(db, { actor: user.email, actorId: user.id, action: 'sign_in', targetType: 'session', targetId: session.sessionId });
    reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', expires: session.expiresAt });
    return reply.status(303).header('location', next).send();
  });

  app.post('/logout', async (req, reply) => {
    const user = req.consoleUser!;
    await revokeSession(db, user.sessionId);
    await recordAudit(db, { actor: user.email, actorId: user.userId, action: 'sign_out', targetType: 'session', targetId: user.sessionId });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectAfterPost(reply, '/login', 'signedOut');
  });

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/lang/:lang', { config: { public: true } }, async (req, reply) => {
    const lang = req.params.lang === 'zh' ? 'zh' : 'en';
    reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'lax', secure: 'auto', maxAge: 365 * 86_400 });
    return reply.status(303).header('location', safeNext(req.query.next)).send();
  });
}
