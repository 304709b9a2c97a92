import { DateTime } from 'luxon';
import { addDays, calendarDateIn, type CalendarDate } from './dates.js';
import type { Duration } from './duration.js';
import { timeOfDayFormat } from './intl-formats.js';
import { Memo } from './memo.js';

/**
 * Instants as the planner counts them: milliseconds since 1970, read against the merchant's time
 * zone. A day counts from its local midnight; a calendar day added keeps the time of day across a
 * change of daylight saving time, an hour added is sixty minutes.
 */

// The planner asks for the start of the same few hundred days over and over (every case due on a
// date, every stage after it): luxon takes tens of microseconds a call, a remembered answer none.
const dayStarts = new Memo<number>();

/** The instant a calendar day begins in a zone (a 23- or 25-hour day on daylight-saving days). */
export function startOfDay(date: CalendarDate, timeZone: string): number {
  return dayStarts.get(`${timeZone}|${date}`, () => DateTime.fromISO(date, { zone: timeZone }).startOf('day').toMillis());
}

/**
 * A moment plus a duration. `base.at` is the exact instant, or null for the start of `base.date`;
 * whole days from the start of a day stay at the start of a day (without asking luxon).
 */
export function momentAfter(base: { date: CalendarDate; at: number | null }, duration: Duration, timeZone: string): number {
  if (base.at === null && duration.minutes === 0) return startOfDay(addDays(base.date, duration.days), timeZone);
  const from = base.at ?? startOfDay(base.date, timeZone);
  const days = duration.days === 0 ? from : DateTime.fromMillis(from, { zone: timeZone }).plus({ days: duration.days }).toMillis();
  return days + duration.minutes * 60_000;
}

/**
 * An instant plus a duration, counted as a merchant counts a gap: whole days from the start of the
 * instant's day ("two days after the reminder" is the day after tomorrow, from midnight), hours and
 * minutes from the instant itself.
 */
export function gapAfter(instant: number, duration: Duration, timeZone: string): number {
  if (duration.minutes === 0) return startOfDay(addDays(dayOf(instant, timeZone), duration.days), timeZone);
  return momentAfter({ date: dayOf(instant, timeZone), at: instant }, duration, timeZone);
}

/**
 * The pay-by deadline of a message sent at `now`: in days, the day that many days on (to its end);
 * in hours or minutes, also the exact instant.
 */
export function payDeadline(now: number, within: Duration, timeZone: string): { date: CalendarDate; at: string | null } {
  const today = dayOf(now, timeZone);
  if (within.minutes === 0) return { date: addDays(today, within.days), at: null };
  const at = momentAfter({ date: today, at: now }, within, timeZone);
  return { date: dayOf(at, timeZone), at: new Date(at).toISOString() };
}

/** True when an instant is the very start of its day in the zone. */
export function isStartOfDay(instant: number, timeZone: string): boolean {
  return startOfDay(dayOf(instant, timeZone), timeZone) === instant;
}

// Status reads the next moment of every open case (a million in the bench); most are the start of
// one of a few hundred days, and Intl takes microseconds to name an instant's day.
const days = new Memo<CalendarDate, string>();
const moments = new Memo<string, string>();

/** The calendar day an instant falls on in the zone. */
export function dayOf(instant: number, timeZone: string): CalendarDate {
  return days.get(`${timeZone}|${instant}`, () => calendarDateIn(new Date(instant), timeZone));
}

/** An instant as a merchant reads it in the zone: `2025-03-17` at the start of a day, else `2025-03-17 10:00`. */
export function formatMoment(instant: number, timeZone: string): string {
  return moments.get(`${timeZone}|${instant}`, () => (isStartOfDay(instant, timeZone) ? dayOf(instant, timeZone) : formatMinute(instant, timeZone)));
}

/** An instant to the minute in the zone: `2025-03-17 10:00`. */
export function formatMinute(instant: number, timeZone: string): string {
  return `${dayOf(instant, timeZone)} ${timeOfDayFormat(timeZone).format(instant)}`;
}
