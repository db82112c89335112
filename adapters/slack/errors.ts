// Slack's failures, turned into Rapport's small set of codes at the edge; the original is the cause.
import { RapportError, type ErrorCode } from '../../src/core/errors.js';

const byApiError: Record<string, ErrorCode> = {
  ratelimited: 'unavailable',
  invalid_auth: 'unauthorized',
  not_authed: 'unauthorized',
  account_inactive: 'unauthorized',
  token_revoked: 'unauthorized',
  missing_scope: 'forbidden',
  not_in_channel: 'forbidden',
  channel_not_found: 'not_found',
  user_not_found: 'not_found',
  thread_not_found: 'not_found',
  message_not_found: 'not_found',
  expired_trigger_id: 'conflict',
  invalid_arguments: 'validation',
};

export function slackError(e: unknown, method: string): RapportError {
  if (e instanceof RapportError) return e;
  const err = e as { code?: string; data?: { error?: string }; statusCode?: number; message?: string };
  const apiError = err.data?.error;
  if (apiError) {
    return new RapportError(byApiError[apiError] ?? 'internal', `Slack ${method} failed: ${apiError}`, { slackError: apiError }, { cause: e });
  }
  if (err.code === 'slack_webapi_rate_limited_error') {
    return new RapportError('unavailable', `Slack ${method} is rate limited`, undefined, { cause: e });
  }
  // Request and HTTP errors: Slack (or the network) is not answering properly; retry later.
  return new RapportError('unavailable', `Slack ${method} failed: ${err.message ?? 'unknown error'}`, undefined, { cause: e });
}

/**
 * What of an error may be logged: its class and codes. Messages are left out on purpose — a failed
 * query's message carries its parameters, i.e. message text and contact details.
 */
export function loggableError(e: unknown): { name: string; code?: string; slackError?: string } {
  const err = e as { name?: string; code?: unknown; details?: { slackError?: unknown }; cause?: { code?: unknown } } | null;
  const code = typeof err?.code === 'string' ? err.code : typeof err?.cause?.code === 'string' ? err.cause.code : undefined;
  const slackError = typeof err?.details?.slackError === 'string' ? err.details.slackError : undefined;
  return { name: err?.name ?? typeof e, ...(code ? { code } : {}), ...(slackError ? { slackError } : {}) };
}
