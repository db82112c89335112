// ImapFlow and socket errors are translated here, at the edge, into a few codes the sync's retry
// policy reads (Twenty's messaging module does the same). The original error stays as `cause`.
export const emailErrorCodes = [
  /** Network drop, timeout, server busy or restarting: retry with backoff. */
  'temporary',
  /** Wrong password / expired token: retry slowly, tell the user. */
  'auth',
  /** The account may not read this folder. */
  'permissions',
  /** The folder does not exist (renamed, deleted). */
  'not_found',
  /** The folder's cursor cannot be used (UIDVALIDITY changed mid-pass): re-scan. */
  'cursor',
  /** The server answered something we cannot work with (BAD, parser error, missing extension). */
  'protocol',
  /** Our settings are wrong (unknown host, TLS mismatch). */
  'config',
] as const;
export type EmailErrorCode = (typeof emailErrorCodes)[number];

export class EmailSyncError extends Error {
  readonly code: EmailErrorCode;
  constructor(code: EmailErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmailSyncError';
    this.code = code;
  }
}

interface VendorError {
  code?: string;
  message?: string;
  authenticationFailed?: boolean;
  serverResponseCode?: string;
  responseStatus?: string;
  mailboxMissing?: boolean;
  tlsFailed?: boolean;
}

const temporaryCodes = new Set([
  'NoConnection', 'EConnectionClosed', 'StateLogout', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT',
  'ETIMEOUT', 'LockTimeout', 'ETHROTTLE', 'PollFailed', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT',
  'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ClosedAfterConnectText', 'ClosedAfterConnectTLS',
]);
const responseCodes: Record<string, EmailErrorCode> = {
  AUTHENTICATIONFAILED: 'auth',
  AUTHORIZATIONFAILED: 'auth',
  EXPIRED: 'auth',
  PRIVACYREQUIRED: 'config',
  NOPERM: 'permissions',
  NONEXISTENT: 'not_found',
  TRYCREATE: 'not_found',
  UNAVAILABLE: 'temporary',
  SERVERBUG: 'temporary',
  INUSE: 'temporary',
  LIMIT: 'temporary',
  OVERQUOTA: 'temporary',
};

/** Which code an error from ImapFlow, Node's sockets or our own code stands for. */
export function classifyEmailError(error: unknown): EmailErrorCode {
  if (error instanceof EmailSyncError) return error.code;
  const e = (error ?? {}) as VendorError;
  if (e.authenticationFailed) return 'auth';
  // Our own secret store (src/core/secret-box.ts): a missing or changed RAPPORT_SECRET_KEY is a setting to fix.
  if (e.code?.startsWith('secret_')) return 'config';
  const response = e.serverResponseCode?.toUpperCase();
  if (response && responseCodes[response]) return responseCodes[response]!;
  if (e.mailboxMissing || e.code === 'NotFound') return 'not_found';
  if (e.code && temporaryCodes.has(e.code)) return 'temporary';
  if (e.code === 'ENOTFOUND' || e.code === 'ERR_INVALID_URL' || e.tlsFailed || e.code?.startsWith('ERR_SSL') || e.code?.startsWith('ERR_TLS')) {
    return 'config';
  }
  if (e.code === 'MissingServerExtension' || e.code?.startsWith('ParserError') || e.responseStatus === 'BAD') return 'protocol';
  // A NO without a response code is the server refusing for a reason it did not name: try again later.
  return 'temporary';
}

/** Wraps any error as an EmailSyncError with a code, keeping the original as `cause`. */
export function toEmailError(error: unknown, context?: string): EmailSyncError {
  if (error instanceof EmailSyncError) return error;
  const code = classifyEmailError(error);
  const base = error instanceof Error ? error.message : String(error);
  const vendor = (error ?? {}) as VendorError & { responseText?: string };
  const detail = vendor.responseText && !base.includes(vendor.responseText) ? ` (${vendor.responseText})` : '';
  return new EmailSyncError(code, `${context ? `${context}: ` : ''}${base}${detail}`, { cause: error });
}

/** Whether the watcher should keep trying after this code (it always does, more slowly for some). */
export function retryDelayFactor(code: EmailErrorCode): number {
  switch (code) {
    case 'auth':
    case 'config':
      return 8; // a person has to act; do not hammer the server (nor get the account locked)
    case 'protocol':
    case 'permissions':
    case 'not_found':
      return 4;
    default:
      return 1;
  }
}
