// Sending pages: a full document, or for htmx requests (HX-Request) just the fragment the page
// asks to swap. Every response is no-store (pages hold customer data) and carries a strict CSP:
// scripts and styles only from this origin, nothing inline.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { langOf, strings } from './i18n.js';
import type { ViewContext } from './view-context.js';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

/** Confirmation keys a redirect may name in ?msg= (only these are shown). */
const notices = ['signedOut', 'noteAdded', 'kindCorrected', 'mergeDone', 'linked', 'dismissed', 'created', 'done'] as const;

export function viewContext(req: FastifyRequest, reply: FastifyReply, timeZone: string): ViewContext {
  const lang = langOf(req);
  const t = strings[lang];
  const msg = (req.query as Record<string, unknown> | undefined)?.msg;
  const notice = typeof msg === 'string' && (notices as readonly string[]).includes(msg) ? (t[msg as (typeof notices)[number]] as string) : null;
  return { lang, t, user: req.consoleUser, csrf: reply.generateCsrf(), url: req.url, timeZone, notice };
}

export function isHtmx(req: FastifyRequest): boolean {
  return req.headers['hx-request'] === 'true' && req.headers['hx-history-restore-request'] !== 'true';
}

export function sendHtml(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('vary', 'HX-Request, Accept-Language, Cookie')
    .send(`<!doctype html>${renderToString(node)}`);
}

export function sendFragment(reply: FastifyReply, node: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', CSP)
    .header('vary', 'HX-Request, Accept-Language, Cookie')
    .send(renderToString(node));
}

/** After a POST: 303 to a page (htmx follows it too), with a notice key. */
export function redirectAfterPost(reply: FastifyReply, to: string, msg?: (typeof notices)[number]): FastifyReply {
  const [path, hash] = to.split('#') as [string, string | undefined];
  const url = msg ? `${path}${path.includes('?') ? '&' : '?'}msg=${msg}${hash ? `#${hash}` : ''}` : to;
  return reply.status(303).header('location', url).send();
}

/** A "next" path that stays on this site. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}
