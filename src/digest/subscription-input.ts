// What a digest subscription needs, validated once for the CLI and the API.
import { validationError, type FieldIssue } from '../core/errors.js';
import { normalizeEmail } from '../core/email-address.js';
import { isValidTimeZone, parseAt } from './schedule.js';

export interface SubscriptionInput {
  slack?: string | undefined;
  email?: string | undefined;
  owner?: string | undefined;
  segment?: string | undefined;
  at?: string | undefined;
  tz?: string | undefined;
}

export interface ValidSubscription {
  targetKind: 'slack' | 'email';
  target: string;
  owner: string | null;
  segment: string | null;
  /** HH:MM, zero-padded. */
  at: string;
  timeZone: string;
}

export function validateSubscription(input: SubscriptionInput, defaultTimeZone: string): ValidSubscription {
  const issues: FieldIssue[] = [];
  const slack = input.slack?.trim();
  const email = input.email?.trim();
  if (Boolean(slack) === Boolean(email)) issues.push({ field: 'target', message: 'give exactly one of slack or email' });
  const normalizedEmail = email ? normalizeEmail(email) : null;
  if (email && !normalizedEmail) issues.push({ field: 'email', message: `invalid email: ${email}` });
  const time = parseAt(input.at ?? '09:00');
  if (!time) issues.push({ field: 'at', message: `not a time of day (HH:MM): ${input.at}` });
  const timeZone = input.tz?.trim() || defaultTimeZone;
  if (!isValidTimeZone(timeZone)) issues.push({ field: 'tz', message: `unknown time zone: ${timeZone}` });
  if (issues.length) throw validationError(issues.map((i) => i.message).join('; '), issues);
  return {
    targetKind: slack ? 'slack' : 'email',
    target: slack ?? normalizedEmail!,
    owner: input.owner?.trim() || null,
    segment: input.segment?.trim() || null,
    at: `${String(time!.hour).padStart(2, '0')}:${String(time!.minute).padStart(2, '0')}`,
    timeZone,
  };
}
