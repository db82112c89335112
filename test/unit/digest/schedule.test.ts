import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidTimeZone, lastDueSlot, localDay, nextDueSlot } from '../../../src/digest/schedule.js';

const iso = (d: Date) => d.toISOString();

describe('digest schedule', () => {
  it('finds 09:00 in Shanghai (UTC+8, no DST) as 01:00Z', () => {
    expect(iso(lastDueSlot(new Date('2026-11-25T05:00:00Z'), '09:00', 'Asia/Shanghai'))).toBe('2026-11-25T01:00:00.000Z');
    expect(iso(lastDueSlot(new Date('2026-11-25T00:59:00Z'), '09:00', 'Asia/Shanghai'))).toBe('2026-11-24T01:00:00.000Z');
    expect(iso(nextDueSlot(new Date('2026-11-25T05:00:00Z'), '09:00', 'Asia/Shanghai'))).toBe('2026-11-26T01:00:00.000Z');
  });

  it('follows daylight saving in New York: 09:00 is 13:00Z in summer and 14:00Z in winter', () => {
    expect(iso(lastDueSlot(new Date('2026-07-01T20:00:00Z'), '09:00', 'America/New_York'))).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(lastDueSlot(new Date('2026-12-01T20:00:00Z'), '09:00', 'America/New_York'))).toBe('2026-12-01T14:00:00.000Z');
    // The Sunday clocks go back (2026-11-01): 09:00 EST is 14:00Z; the day before it was 13:00Z.
    expect(iso(lastDueSlot(new Date('2026-11-01T15:00:00Z'), '09:00', 'America/New_York'))).toBe('2026-11-01T14:00:00.000Z');
    expect(iso(lastDueSlot(new Date('2026-11-01T13:30:00Z'), '09:00', 'America/New_York'))).toBe('2026-10-31T13:00:00.000Z');
  });

  it('shifts a time that does not exist (spring forward) past the gap, and takes the earlier of a repeated time', () => {
    // 2026-03-08 02:30 does not exist in New York (02:00 → 03:00 EDT): due at 03:30 EDT = 07:30Z.
    expect(iso(lastDueSlot(new Date('2026-03-08T12:00:00Z'), '02:30', 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    // 2026-11-01 01:30 happens twice (EDT then EST): the first, 05:30Z.
    expect(iso(lastDueSlot(new Date('2026-11-01T12:00:00Z'), '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
  });

  it('is due exactly once per local day: consecutive slots are 23–25 hours apart, and the last slot is never in the future', () => {
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'UTC', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        (t, tz, h, m) => {
          const at = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
          const now = new Date(t);
          const last = lastDueSlot(now, at, tz);
          const next = nextDueSlot(now, at, tz);
          expect(last.getTime()).toBeLessThanOrEqual(t);
          expect(next.getTime()).toBeGreaterThan(t);
          const gap = (next.getTime() - last.getTime()) / 3_600_000;
          expect(gap).toBeGreaterThanOrEqual(23);
          expect(gap).toBeLessThanOrEqual(25);
          expect(localDay(last, tz)).not.toBe(localDay(next, tz));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('validates time zones and times', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => lastDueSlot(new Date(), '25:00', 'UTC')).toThrow(/not a time of day/);
  });
});
