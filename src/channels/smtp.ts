// Mail out (digests): the SMTP adapter from configuration.
import { createSmtpMailer, type Mailer } from '../../adapters/smtp/mailer.js';
import type { AppContext } from '../context.js';

export type { Mailer } from '../../adapters/smtp/mailer.js';

/** The mailer from configuration, or undefined when RAPPORT_SMTP_URL is not set. */
export function mailerFromConfig(ctx: AppContext): Mailer | undefined {
  const { RAPPORT_SMTP_URL: url, RAPPORT_MAIL_FROM: from, RAPPORT_SMTP_IGNORE_TLS: ignoreTls } = ctx.config;
  return url ? createSmtpMailer({ url, from, ignoreTls }) : undefined;
}
