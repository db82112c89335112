// The console speaks English and Chinese. The language is the `rapport_lang` cookie when set (the
// switch in the header sets it), else the best match in Accept-Language, else English.
import type { FastifyRequest } from 'fastify';
import { en, type Strings } from './i18n/en.js';
import { zh } from './i18n/zh.js';

export type Lang = 'en' | 'zh';
export const LANG_COOKIE = 'rapport_lang';
export const strings: Record<Lang, Strings> = { en, zh };
export type { Strings };

/** The preferred of en/zh in an Accept-Language header (q-values honoured); null when neither is named. */
export function fromAcceptLanguage(header: string | undefined): Lang | null {
  if (!header) return null;
  let best: { lang: Lang; q: number } | null = null;
  for (const part of header.split(',')) {
    const [tag, ...params] = part.trim().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
    const base = tag?.trim().toLowerCase().split('-')[0];
    const lang = base === 'zh' ? 'zh' : base === 'en' ? 'en' : null;
    if (lang && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? null;
}

export function langOf(req: FastifyRequest): Lang {
  const cookie = req.cookies?.[LANG_COOKIE];
  if (cookie === 'en' || cookie === 'zh') return cookie;
  return fromAcceptLanguage(req.headers['accept-language']) ?? 'en';
}
