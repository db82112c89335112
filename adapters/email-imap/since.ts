// The first-sync window: "90d", "12w", "6m", "1y", an ISO date, or "all".
import { EmailSyncError } from './errors.js';

const unitDays: Record<string, number> = { d: 1, w: 7, m: 30, y: 365 };

/** The earliest date to sync, or null for everything. Throws `config` for a value it cannot read. */
export function sinceDate(window: string, now: Date = new Date()): Date | null {
  const value = window.trim().toLowerCase();
  if (value === 'all' || value === '') return null;
  const relative = /^(\d+)\s*([dwmy])$/.exec(value);
  if (relative) {
    const days = Number(relative[1]) * unitDays[relative[2]!]!;
    return new Date(now.getTime() - days * 86_400_000);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new EmailSyncError('config', `cannot read "${window}" as a sync window: use 90d, 12w, 6m, 1y, a date (2026-01-31) or all`);
}

export function isValidSince(window: string): boolean {
  try {
    sinceDate(window);
    return true;
  } catch {
    return false;
  }
}
