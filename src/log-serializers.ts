// What of an error and a request may be written to a log. An error's own words are not safe: a
// failed Drizzle query's message and `params` carry message text, subjects and addresses, and a
// PostgreSQL message quotes the value it refused (`invalid input syntax for type uuid: "ann@…"`).
// So SQL is logged with its placeholders only, quoted values become "…", details are dropped, and
// a request is logged by its route, never its path or query string (search terms, emails).

export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  /** PostgreSQL's own names for where it failed: a table, column or constraint, never a value. */
  table?: string;
  column?: string;
  constraint?: string;
  stack?: string;
  cause?: LoggedError;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const maxMessage = 2_000;
const maxFrames = 15;

type ErrorLike = {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  query?: unknown;
  params?: unknown;
  severity?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  cause?: unknown;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A message with what is quoted in it replaced, and Drizzle's `params:` tail cut off. */
export function scrubMessage(message: string): string {
  const noParams = message.split(/\nparams: /)[0]!;
  return noParams.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (q) => `${q[0]}…${q[0]}`).slice(0, maxMessage);
}

function isDatabaseError(e: ErrorLike): boolean {
  return typeof e.code === 'string' && SQLSTATE.test(e.code) && (typeof e.severity === 'string' || e.name === 'error' || typeof e.table === 'string');
}

function messageOf(e: ErrorLike): string {
  // A Drizzle query error: the statement as written (placeholders, no values).
  if (typeof e.query === 'string' && 'params' in e) return `Failed query: ${e.query}`.slice(0, maxMessage);
  const message = str(e.message) ?? '';
  if (isDatabaseError(e)) return scrubMessage(message);
  // Anything else keeps its words (they are ours), but never a query's parameters.
  return message.split(/\nparams: /)[0]!.slice(0, maxMessage);
}

function framesOf(stack: unknown): string[] {
  if (typeof stack !== 'string') return [];
  return stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, maxFrames);
}

/** The error as it may be logged: type, scrubbed message, codes, stack frames, the same for its cause. */
export function safeError(e: unknown, depth = 0): LoggedError {
  // Something thrown that is not an error says nothing safe about itself.
  if (!e || typeof e !== 'object') return { type: typeof e, message: 'a non-error value was thrown' };
  const err = e as ErrorLike;
  const type = str(err.name) ?? str((e as object).constructor?.name) ?? 'Error';
  const message = messageOf(err);
  const out: LoggedError = { type, message };
  const code = str(err.code);
  if (code) out.code = code;
  if (isDatabaseError(err)) {
    if (str(err.table)) out.table = str(err.table)!;
    if (str(err.column)) out.column = str(err.column)!;
    if (str(err.constraint)) out.constraint = str(err.constraint)!;
  }
  const frames = framesOf(err.stack);
  if (frames.length) out.stack = [`${type}: ${message}`, ...frames].join('\n');
  if (err.cause !== undefined && err.cause !== e && depth < 3) out.cause = safeError(err.cause, depth + 1);
  return out;
}

/**
 * A request as logged: its method and route (`/api/v1/customers/:id`), not the path it was called
 * with (someone may put an email where an id belongs) and never its query string. A path no route
 * matched keeps its first two segments.
 */
export function safeRequest(req: { method?: unknown; url?: unknown; routeOptions?: { url?: unknown } } | undefined): Record<string, unknown> {
  if (!req || typeof req !== 'object') return {};
  const route = typeof req.routeOptions?.url === 'string' ? req.routeOptions.url : undefined;
  const path = typeof req.url === 'string' ? req.url.split('?')[0]! : '';
  const unmatched = path.split('/').map((segment, i) => (i <= 2 || segment === '' ? segment : '…')).join('/');
  return { method: req.method, url: route ?? unmatched };
}
