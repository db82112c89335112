// nodemailer's failures, translated at the edge into the few codes a sender's retry policy reads.
// The original error stays as `cause`.
export const smtpErrorCodes = ['temporary', 'auth', 'rejected', 'config'] as const;
export type SmtpErrorCode = (typeof smtpErrorCodes)[number];

export class SmtpSendError extends Error {
  readonly code: SmtpErrorCode;
  constructor(code: SmtpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmtpSendError';
    this.code = code;
  }
}

export function toSmtpError(e: unknown): SmtpSendError {
  if (e instanceof SmtpSendError) return e;
  const err = e as { code?: string; responseCode?: number; message?: string };
  const reason = err.responseCode ? `${err.responseCode} ${err.code ?? ''}`.trim() : (err.code ?? 'error');
  let code: SmtpErrorCode;
  if (err.code === 'EAUTH' || err.code === 'ENOAUTH') code = 'auth';
  else if (err.code === 'EENVELOPE' || (err.responseCode !== undefined && err.responseCode >= 500)) code = 'rejected';
  else if (err.code === 'EDNS' || err.code === 'ETLS' || err.code === 'ECONFIG') code = 'config';
  else code = 'temporary'; // ECONNECTION, ETIMEDOUT, ESOCKET, 4xx: try again later
  return new SmtpSendError(code, `SMTP send failed (${reason})`, { cause: e });
}
