// Logs never carry secrets, message bodies or contact details: those paths are redacted wherever
// they appear, and errors and requests go through safe serializers. Log ids and counts, not
// content. On a terminal they are printed for people (pino-pretty); anywhere else, one JSON object
// a line for machines.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import { safeError, safeRequest } from './log-serializers.js';

export const redactPaths = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret', 'accessToken', '*.accessToken',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie',
  'req.headers["x-rapport-signature"]', 'req.headers["x-slack-signature"]',
  'text', '*.text', 'html', '*.html', 'body', '*.body', 'fullText', '*.fullText', 'subject', '*.subject',
  'email', '*.email', 'phone', '*.phone', 'name', '*.name',
];

type PrettyFactory = (opts: { destination: NodeJS.WritableStream; colorize: boolean; translateTime: string; ignore: string; sync: boolean }) => DestinationStream;

/** pino-pretty writing to a terminal. Loaded only then (synchronously: it is CommonJS), so a
 * command whose output goes to a pipe or a file never pays for it. */
function prettyTo(destination: NodeJS.WritableStream): DestinationStream {
  const pretty = createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  return pretty({ destination, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const tty = Boolean((destination as { isTTY?: boolean } | undefined)?.isTTY);
  const stream = destination && tty ? prettyTo(destination) : (destination as DestinationStream | undefined);
  // Errors and requests are written by what is safe of them (src/log-serializers.ts): no SQL
  // parameters, no quoted values, no query strings.
  const serializers = { err: safeError, error: safeError, req: safeRequest };
  // `log.warn(err)` would take the error's own message as the line's message: use the safe one.
  const hooks = {
    logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
      if (args[0] instanceof Error && typeof args[1] !== 'string') return method.apply(this, [args[0], safeError(args[0]).message, ...args.slice(1)]);
      return method.apply(this, args);
    },
  };
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, serializers, hooks }, stream as DestinationStream);
}

export type { Logger };
