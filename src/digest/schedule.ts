// When is a daily digest due? "09:00 in Asia/Shanghai" is a wall-clock time in a zone, so the
// instant moves with daylight saving. Disambiguation follows Temporal's 'compatible' rule: a time
// that does not exist (spring forward) is shifted forward by the gap; a time that exists twice
// (fall back) is the earlier instant.

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function parseAt(at: string): { hour: number; minute: number } | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(at.trim());
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallOf(t: number, timeZone: string): Wall {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute! };
}

/** The zone's offset from UTC at instant t, in ms. */
function offsetAt(t: number, timeZone: string): number {
  const w = wallOf(t, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - Math.floor(t / 60_000) * 60_000;
}

/** The instant a wall-clock time in a zone happens (see the disambiguation rule above). */
export function zonedTimeToInstant(w: Wall, timeZone: string): Date {
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const candidates = [...new Set([wall - offsetAt(wall - DAY, timeZone), wall - offsetAt(wall + DAY, timeZone)])];
  const matching = candidates.filter((c) => {
    const back = wallOf(c, timeZone);
    return back.hour === w.hour && back.minute === w.minute && back.day === w.day;
  });
  return new Date(matching.length > 0 ? Math.min(...matching) : Math.max(...candidates));
}

/** The latest instant at or before `now` when the daily time `at` ("HH:MM") came in `timeZone`. */
export function lastDueSlot(now: Date, at: string, timeZone: string): Date {
  const time = parseAt(at);
  if (!time) throw new RangeError(`not a time of day: ${at}`);
  const today = wallOf(now.getTime(), timeZone);
  for (let back = 0; back <= 2; back++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
    const slot = zonedTimeToInstant({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), ...time }, timeZone);
    if (slot.getTime() <= now.getTime()) return slot;
  }
  throw new Error('unreachable: a daily slot exists within two days');
}

/** The first instant after `now` when `at` comes in `timeZone`. */
export function nextDueSlot(now: Date, at: string, timeZone: string): Date {
  const last = lastDueSlot(now, at, timeZone);
  const time = parseAt(at)!;
  const w = wallOf(last.getTime() + 12 * 3_600_000, timeZone);
  let next = zonedTimeToInstant({ ...w, ...time }, timeZone);
  if (next.getTime() <= last.getTime()) {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
    next = zonedTimeToInstant({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), ...time }, timeZone);
  }
  return next;
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone: the digest's "today". */
export function localDay(t: Date, timeZone: string): string {
  const w = wallOf(t.getTime(), timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}
