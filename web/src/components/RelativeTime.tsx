import { memo, useEffect, useState } from 'react';
import { fullTime, relativeTime } from '../lib/time';

/** The current time, updated every `periodMs`: relative times stay right while a page is open. */
export function useNow(periodMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}

/** A time from the API, as "5m" on screen, "5 minutes ago" for screen readers, the full date as its tooltip. */
export const RelativeTime = memo(function RelativeTime({ value, now }: { value: string; now: number }) {
  const rel = relativeTime(value, now);
  return (
    <time className="time" dateTime={value} title={fullTime(value)}>
      <span aria-hidden="true">{rel.short}</span>
      <span className="sr-only">{rel.spoken}</span>
    </time>
  );
});
