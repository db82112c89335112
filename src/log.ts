// Logs never carry secrets, message bodies or contact details: those paths are redacted wherever
// they appear. Log ids and counts, not content.
import { pino, type Logger } from 'pino';

export const redactPaths = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret', 'accessToken', '*.accessToken',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie',
  'req.headers["x-rapport-signature"]', 'req.headers["x-slack-signature"]',
  'text', '*.text', 'html', '*.html', 'body', '*.body', 'fullText', '*.fullText', 'subject', '*.subject',
  'email', '*.email', 'phone', '*.phone', 'name', '*.name',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } }, destination as never);
}

export type { Logger };
