// What every page needs to render: the language and its strings, the signed-in user, the CSRF
// token for its forms, where it is, and how to show times.
import type { Lang, Strings } from './i18n.js';
import type { SessionPrincipal } from '../store/console-sessions-repo.js';

export interface ViewContext {
  lang: Lang;
  t: Strings;
  user: SessionPrincipal | null;
  csrf: string;
  /** The request path with its query, for "next" links and the language switch. */
  url: string;
  timeZone: string;
  /** A short confirmation to show at the top (from ?msg=). */
  notice: string | null;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, timeZone: string, kind: 'datetime' | 'date'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${kind}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', kind === 'date'
      ? { timeZone, year: 'numeric', month: 'short', day: 'numeric' }
      : { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    formats.set(key, f);
  }
  return f;
}

export function formatTime(ctx: ViewContext, iso: string | Date | null | undefined, kind: 'datetime' | 'date' = 'datetime'): string {
  if (!iso) return ctx.t.none;
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return Number.isNaN(d.getTime()) ? ctx.t.none : format(ctx.lang, ctx.timeZone, kind).format(d);
}

/** A path with query parameters, leaving out empty ones. */
export function href(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
