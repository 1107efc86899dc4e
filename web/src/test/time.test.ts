import { describe, expect, it, vi } from 'vitest';
import { fullTime, parseTimestamp, relativeTime } from '../lib/time';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0); // 2026-03-10T12:00:00Z
const ago = (ms: number) => relativeTime(NOW - ms, NOW, 'UTC').short;

describe('parseTimestamp', () => {
  it('reads the API format with microseconds and offset', () => {
    expect(parseTimestamp('2026-11-24T00:23:27.123456+00:00')).toBe(Date.UTC(2026, 10, 24, 0, 23, 27, 123));
  });
  it('treats a time without offset (seed data) as UTC', () => {
    expect(parseTimestamp('2023-05-01T10:00:00')).toBe(Date.UTC(2023, 4, 1, 10));
    expect(parseTimestamp('2023-05-01T10:00:00.5')).toBe(Date.UTC(2023, 4, 1, 10, 0, 0, 500));
  });
  it('applies other offsets and Z', () => {
    expect(parseTimestamp('2026-01-01T02:00:00+02:00')).toBe(Date.UTC(2026, 0, 1));
    expect(parseTimestamp('2026-01-01T00:00:00-0130')).toBe(Date.UTC(2026, 0, 1, 1, 30));
    expect(parseTimestamp('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
  });
  it('is NaN for garbage', () => {
    expect(parseTimestamp('yesterday')).toBeNaN();
    expect(parseTimestamp('')).toBeNaN();
  });
});

describe('relativeTime', () => {
  it('says now under a minute', () => {
    expect(ago(0)).toBe('now');
    expect(ago(59_999)).toBe('now');
  });
  it('never goes negative: a time in the future (clock skew) is now', () => {
    expect(ago(-5_000)).toBe('now');
    expect(ago(-3 * 3600_000)).toBe('now');
    expect(relativeTime(NOW + 90_000, NOW).spoken).toBe('just now');
  });
  it('counts whole minutes under an hour', () => {
    expect(ago(60_000)).toBe('1m');
    expect(ago(59 * 60_000 + 59_000)).toBe('59m');
    expect(relativeTime(NOW - 60_000, NOW).spoken).toBe('1 minute ago');
    expect(relativeTime(NOW - 5 * 60_000, NOW).spoken).toBe('5 minutes ago');
  });
  it('counts whole hours from exactly one hour to under a day', () => {
    expect(ago(3600_000)).toBe('1h');
    expect(ago(23 * 3600_000 + 3599_000)).toBe('23h');
    expect(relativeTime(NOW - 2 * 3600_000, NOW).spoken).toBe('2 hours ago');
  });
  it('shows the date (month and day, not month number) from exactly one day', () => {
    expect(ago(24 * 3600_000)).toBe('Mar 9');
    expect(relativeTime('2026-03-03T08:00:00.000000+00:00', NOW, 'UTC').short).toBe('Mar 3');
  });
  it('adds the year for another year', () => {
    expect(relativeTime('2025-12-31T08:00:00.000000+00:00', NOW, 'UTC').short).toBe('Dec 31, 2025');
  });
  it('is empty for an unreadable time', () => {
    expect(relativeTime('nope', NOW).short).toBe('');
  });
  it('gives a full date for tooltips', () => {
    expect(fullTime('2026-03-03T16:05:00.000000+00:00', 'UTC')).toBe('Mar 3, 2026, 4:05 PM');
  });
});

describe('date formats', () => {
  it('are made once each, not per time shown', () => {
    relativeTime(NOW - 3 * 86_400_000, NOW, 'UTC');
    fullTime(NOW, 'UTC');
    const made = vi.spyOn(Intl, 'DateTimeFormat');
    for (let i = 0; i < 50; i++) {
      relativeTime(NOW - (2 + i) * 86_400_000, NOW, 'UTC');
      fullTime(NOW - i * 3600_000, 'UTC');
    }
    expect(made).not.toHaveBeenCalled();
    made.mockRestore();
  });
});
