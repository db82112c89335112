// Mail out: one small interface (`send`), implemented over SMTP with nodemailer. Every message
// carries Rapport's own-origin header, so the email channel recognizes it and never captures it back.
import { createRequire } from 'node:module';
import { ownOriginHeaders } from '../../src/mail/own-header.js';
import { toSmtpError } from './errors.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** What this mail is ('digest', 'alert'): goes into the own-origin header. */
  kind: string;
  /** Extra headers, e.g. a stable Message-ID for idempotent retries. */
  headers?: Record<string, string>;
  messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string; accepted: string[] }>;
  close(): void;
}

export interface SmtpOptions {
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  from: string;
  /** Allow a plain-text connection to a server that offers no STARTTLS (local relays, tests). */
  ignoreTls?: boolean;
}

export function createSmtpMailer(opts: SmtpOptions): Mailer {
  // nodemailer (CommonJS build) is loaded with the first mailer: a process that sends no mail never holds it.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
  const transport = nodemailer.createTransport(opts.url, { ignoreTLS: opts.ignoreTls ?? false, connectionTimeout: 10_000 } as never);
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(mail.messageId ? { messageId: mail.messageId } : {}),
          headers: { ...ownOriginHeaders(mail.kind), ...mail.headers },
        });
        return { messageId: info.messageId, accepted: (info.accepted as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address)) };
      } catch (e) {
        throw toSmtpError(e);
      }
    },
    close: () => transport.close(),
  };
}
