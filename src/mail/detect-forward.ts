// Forwarded mail: who wrote the original. email-forward-parser knows the Western clients; Chinese
// clients' separators and header labels are mapped onto the English forms it reads first.
import EmailForwardParser from 'email-forward-parser';
import type { ContactRef } from '../core/inbound-message.js';
import { normalizeEmail } from '../core/email-address.js';

export interface ForwardInfo {
  forwarded: boolean;
  /** The original sender, when the forward names one. */
  from?: ContactRef | undefined;
  /** The original subject, when the forward names one. */
  subject?: string | undefined;
}

const sp = '[ \\t\\u00a0\\u3000]*';
const colon = `${sp}[:：]${sp}`;

/** Chinese forward separators (Foxmail/163/Exmail/Outlook-zh) → Gmail's English separator. QQ Mail's
 *  "原始邮件" line also opens replies, so it is left alone: with a 转发 subject the library finds the
 *  forward by its (mapped) From: line instead. */
const separators = new RegExp(
  `^${sp}[-—–]{2,}${sp}(?:转发邮件信息|轉寄郵件資訊|转发的邮件|轉發的郵件|转发邮件|轉寄郵件)${sp}[-—–]{2,}${sp}$`,
  'gm',
);
/** Header labels of Chinese clients → the English labels the library reads. */
const labels: [RegExp, string][] = [
  [new RegExp(`^(>?${sp})(?:发件人|發件人|寄件者|寄件人)${colon}`, 'gm'), '$1From: '],
  [new RegExp(`^(>?${sp})(?:发送时间|發送時間|发送日期|發送日期|寄件日期|时间|時間|日期)${colon}`, 'gm'), '$1Date: '],
  [new RegExp(`^(>?${sp})(?:收件人|收件者)${colon}`, 'gm'), '$1To: '],
  [new RegExp(`^(>?${sp})(?:抄送|副本)${colon}`, 'gm'), '$1Cc: '],
  [new RegExp(`^(>?${sp})(?:主题|主題|主旨)${colon}`, 'gm'), '$1Subject: '],
];
const explicitForward = /^[ \t>]*(?:-{2,}[ \t]*Forwarded message[ \t]*-{2,}|Begin forwarded message[ \t]*:)/im;

/** "转发：", "轉寄:", "Fw：" → "Fwd:" so the subject test of the library recognises them. */
const forwardSubject = /^\s*(?:转发|轉發|轉寄|Fwd?|FW)\s*[:：]\s*/i;

/** Rewrites Chinese forward markers to their English equivalents (labels only; values untouched). */
export function normalizeForwardMarkers(body: string): string {
  let out = body.replace(/\r\n?/g, '\n').replace(separators, '---------- Forwarded message ---------');
  for (const [re, to] of labels) out = out.replace(re, to);
  return out;
}

function contact(address: string | null | undefined, name: string | null | undefined): ContactRef | undefined {
  const email = address ? normalizeEmail(address.replace(/^mailto:/i, '')) : null;
  const cleanName = name?.replace(/^["'\s]+|["'\s;]+$/g, '') || undefined;
  if (!email && !cleanName) return undefined;
  return { email: email ?? undefined, name: cleanName && cleanName !== email ? cleanName : undefined };
}

// The parser compiles a few hundred patterns when built and keeps no state between reads: build it once.
const parser = new EmailForwardParser();

/** Finds a forward in a message's full text (and subject) and returns the original sender. */
export function detectForward(text: string, subject?: string | null): ForwardInfo {
  const body = normalizeForwardMarkers(text);
  const subj = subject ? subject.replace(forwardSubject, 'Fwd: ') : null;
  let result = parser.read(body, subj);
  // A forward under a plain subject ("see below") is still found by an explicit forward separator;
  // other separators (Outlook's underscores, "-----Original Message-----") also open replies.
  if (!result.forwarded && subj && explicitForward.test(body)) result = parser.read(body);
  if (!result.forwarded) return { forwarded: false };
  const from = contact(result.email.from.address, result.email.from.name);
  return { forwarded: true, from, subject: result.email.subject ?? undefined };
}
