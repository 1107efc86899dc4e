// Times from the API: ISO 8601, e.g. "2026-11-24T00:23:27.123456+00:00".
// Older (seed) data may have no offset; such times are UTC.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds since the epoch, or NaN when the text is not an ISO 8601 time. */
export function parseTimestamp(text: string): number {
  const m = ISO.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = (+digits.slice(0, 2) * 60 + +(digits.slice(2) || '0')) * 60_000;
    t -= sign * offset;
  }
  return t;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface RelativeTime {
  /** Short form shown on screen: "now", "5m", "3h", "Mar 3", "Mar 3, 2024". */
  short: string;
  /** The same for screen readers: "just now", "5 minutes ago", ... */
  spoken: string;
}

// Intl.DateTimeFormat instances are costly to make (a locale lookup each) and
// cheap to use: one per format and time zone, made on first use.
const formats = new Map<string, Intl.DateTimeFormat>();
function format(kind: 'year' | 'date' | 'dateYear' | 'full', timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone ?? ''}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'year'
        ? { year: 'numeric' }
        : kind === 'date'
          ? { month: 'short', day: 'numeric' }
          : kind === 'dateYear'
            ? { month: 'short', day: 'numeric', year: 'numeric' }
            : { dateStyle: 'medium', timeStyle: 'short' };
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

/** Makes the formats the pages use now (in time the page would otherwise spend waiting), not at their first render. */
export function warmTimeFormats(timeZone?: string): void {
  for (const kind of ['year', 'date', 'full'] as const) format(kind, timeZone);
}

/**
 * How long ago `time` was, as of `now`: under a minute (or in the future,
 * i.e. clock skew) "now"; under an hour whole minutes; under a day whole
 * hours; else the date ("Mar 3"; with the year when not the current one).
 */
export function relativeTime(time: string | number, now: number, timeZone?: string): RelativeTime {
  const t = typeof time === 'number' ? time : parseTimestamp(time);
  if (Number.isNaN(t)) return { short: '', spoken: '' };
  const diff = now - t;
  if (diff < MINUTE) return { short: 'now', spoken: 'just now' };
  if (diff < HOUR) {
    const n = Math.floor(diff / MINUTE);
    return { short: `${n}m`, spoken: `${n} minute${n === 1 ? '' : 's'} ago` };
  }
  if (diff < DAY) {
    const n = Math.floor(diff / HOUR);
    return { short: `${n}h`, spoken: `${n} hour${n === 1 ? '' : 's'} ago` };
  }
  const year = format('year', timeZone);
  const sameYear = year.format(t) === year.format(now);
  const date = format(sameYear ? 'date' : 'dateYear', timeZone).format(t);
  return { short: date, spoken: date };
}

/** The full local date and time, for tooltips: "Mar 3, 2026, 4:05 PM". */
export function fullTime(time: string | number, timeZone?: string): string {
  const t = typeof time === 'number' ? time : parseTimestamp(time);
  if (Number.isNaN(t)) return String(time);
  return format('full', timeZone).format(t);
}
