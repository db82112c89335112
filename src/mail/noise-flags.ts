// Loop and noise protection: auto-replies, bounces, mailing lists and Rapport's own mail are
// flagged (and kept out of customer history and analytics by the pipeline), never dropped.
import type { MessageFlag } from '../core/inbound-message.js';
import { isOwnOrigin, ownOriginHeader } from './own-header.js';

export interface NoiseInput {
  /** Header values by lower-case name (unfolded, still RFC 2047-encoded is fine). */
  headers: ReadonlyMap<string, readonly string[]>;
  fromEmail?: string | undefined;
  subject?: string | undefined;
  /** The top-level content type, e.g. `multipart/report`, and its report-type parameter. */
  contentType?: string | undefined;
  reportType?: string | undefined;
}

/** Subjects auto-responders use (Exchange, Gmail, QQ/Exmail, 163, Apple, German/French Outlook). */
const autoReplySubject =
  /^\s*[[【(（]?\s*(?:自动回复|自動回覆|自动答复|自動答覆|自動回复|休假自动回复|Automatic reply|Auto(?:matic)?[ -]?(?:reply|response)|Out of (?:the )?office|Auto\s*:|Abwesenheitsnotiz|Automatische Antwort|R[ée]ponse automatique|Respuesta autom[aá]tica|Risposta automatica|I am out of the office|Vacation reply)/i;

const bounceSender = /^(?:mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

const first = (h: NoiseInput['headers'], name: string) => h.get(name)?.[0]?.trim();

/** The noise flags a message deserves, in a stable order. */
export function noiseFlagsOf(input: NoiseInput): MessageFlag[] {
  const { headers: h } = input;
  const flags: MessageFlag[] = [];

  const autoSubmitted = first(h, 'auto-submitted')?.toLowerCase();
  const precedence = first(h, 'precedence')?.toLowerCase();
  const autoReply =
    (autoSubmitted !== undefined && autoSubmitted !== '' && !autoSubmitted.startsWith('no')) ||
    h.has('x-autoreply') ||
    h.has('x-autorespond') ||
    h.has('x-auto-response-suppress') ||
    (precedence !== undefined && /^(?:bulk|junk|list|auto_reply)\b/.test(precedence)) ||
    (input.subject !== undefined && autoReplySubject.test(input.subject));
  if (autoReply) flags.push('auto_reply');

  const isReport = input.contentType?.toLowerCase() === 'multipart/report' && (input.reportType ?? '').toLowerCase() === 'delivery-status';
  if (isReport || (input.fromEmail !== undefined && bounceSender.test(input.fromEmail)) || h.has('x-failed-recipients')) flags.push('bounce');

  if (h.has('list-id') || h.has('list-unsubscribe')) flags.push('mailing_list');

  if (isOwnOrigin(first(h, ownOriginHeader.toLowerCase()))) flags.push('own_message');
  return flags;
}
