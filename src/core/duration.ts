import { fail, ok, type Parsed } from './result.js';

/**
 * A length of time as the config writes it (`30m`, `24h`, `3d`, `1d12h`, `2w`, `-3d`): calendar days
 * (`d`, `w`), which keep the time of day across a change of daylight saving time, and exact minutes
 * (`h`, `m`). Both parts have the sign of the whole.
 */
export interface Duration {
  days: number;
  minutes: number;
}

const UNIT_MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60 };
const UNIT_DAYS: Readonly<Record<string, number>> = { d: 1, w: 7 };
const WHOLE = /^([+-]?)((?:\d{1,5}[wdhm])+)$/;
const PART = /(\d{1,5})([wdhm])/g;

/** Reads a duration such as `30m`, `24h`, `3d`, `1d12h`, `2w` or `-3d`; anything else is an error saying what is allowed. */
export function parseDuration(text: string): Parsed<Duration> {
  const s = text.trim().toLowerCase();
  const whole = WHOLE.exec(s);
  if (whole === null) return fail(`"${text}" is not a duration: write a number and a unit, m (minutes), h (hours), d (days) or w (weeks), e.g. "30m", "24h", "3d", "1d12h", "-3d"`);
  const sign = whole[1] === '-' ? -1 : 1;
  let days = 0;
  let minutes = 0;
  const seen = new Set<string>();
  for (const [, amount, unit] of (whole[2] ?? '').matchAll(PART)) {
    if (unit === undefined || seen.has(unit)) return fail(`"${text}" names the unit "${unit ?? ''}" twice`);
    seen.add(unit);
    days += Number(amount) * (UNIT_DAYS[unit] ?? 0);
    minutes += Number(amount) * (UNIT_MINUTES[unit] ?? 0);
  }
  // `|| 0`: no -0 for a part the text did not name.
  return ok({ days: sign * days || 0, minutes: sign * minutes || 0 });
}

/** `afterDays: 3` and its kind: whole days. */
export function daysDuration(days: number): Duration {
  return { days, minutes: 0 };
}

/** True when the duration has no hours or minutes: it counts calendar days from the start of a day. */
export function isWholeDays(duration: Duration): boolean {
  return duration.minutes === 0;
}

/** The sum of two durations. */
export function addDurations(a: Duration, b: Duration): Duration {
  return { days: a.days + b.days, minutes: a.minutes + b.minutes };
}

/** Orders durations by their length (a day counted as 24 hours). */
export function compareDurations(a: Duration, b: Duration): number {
  return a.days * 1440 + a.minutes - (b.days * 1440 + b.minutes);
}

/** True for a duration that points back in time (a reminder before the due date). */
export function isNegative(duration: Duration): boolean {
  return duration.days < 0 || duration.minutes < 0;
}

/** The duration as the config would write it: `3d`, `14d` (weeks as days), `1d12h`, `30m`, `-3d`, `0d`. */
export function formatDuration(duration: Duration): string {
  const sign = isNegative(duration) ? '-' : '';
  const days = Math.abs(duration.days);
  const minutes = Math.abs(duration.minutes);
  const parts = [
    days > 0 ? `${days}d` : '',
    Math.floor(minutes / 60) > 0 ? `${Math.floor(minutes / 60)}h` : '',
    minutes % 60 > 0 ? `${minutes % 60}m` : '',
  ].join('');
  return parts === '' ? '0d' : `${sign}${parts}`;
}

/** The duration in whole hours, when it is exactly that many (a promo code "valid for 24 hours"). */
export function wholeHours(duration: Duration): number | null {
  const minutes = duration.days * 1440 + duration.minutes;
  return minutes % 60 === 0 ? minutes / 60 : null;
}
