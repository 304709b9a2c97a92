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

/**
 * What a zone's calendar says about the days and instants a run meets, remembered: the planner asks
 * for the start of the same few hundred days, and the day and ISO text of the same instants, for
 * every open case (a million in the bench). luxon and Intl take microseconds a call; keyed by zone
 * first, a lookup builds no key string. In CPU profiles of `dunning status` over the bench's million
 * cases (node --cpu-prof, 2026-12-04), keys built per call and a Date per case took 1.75 s; this
 * takes 0.65 s.
 */
class ZoneCalendar {
  private readonly starts = new Memo<number, CalendarDate>();
  private readonly days = new Memo<CalendarDate, number>();
  private readonly moments = new Memo<string, number>();
  // Made once: a closure made per call for the lookup would cost an allocation per case.
  private readonly findStart = (date: CalendarDate): number => DateTime.fromISO(date, { zone: this.timeZone }).startOf('day').toMillis();
  private readonly findDay = (instant: number): CalendarDate => calendarDateIn(new Date(instant), this.timeZone);
  private readonly writeMoment = (instant: number): string => (this.start(this.day(instant)) === instant ? this.day(instant) : formatMinute(instant, this.timeZone));

  constructor(readonly timeZone: string) {}

  start(date: CalendarDate): number {
    return this.starts.get(date, this.findStart);
  }

  day(instant: number): CalendarDate {
    return this.days.get(instant, this.findDay);
  }

  moment(instant: number): string {
    return this.moments.get(instant, this.writeMoment);
  }
}

const zones = new Map<string, ZoneCalendar>();
let lastZone: ZoneCalendar | undefined;
const isoTexts = new Memo<string, number>();
const writeIso = (instant: number): string => new Date(instant).toISOString();

function calendarOf(timeZone: string): ZoneCalendar {
  if (lastZone?.timeZone === timeZone) return lastZone;
  let zone = zones.get(timeZone);
  if (zone === undefined) zones.set(timeZone, (zone = new ZoneCalendar(timeZone)));
  return (lastZone = zone);
}

/** The instant a calendar day begins in a zone (a 23- or 25-hour day on daylight-saving days). */
export function startOfDay(date: CalendarDate, timeZone: string): number {
  return calendarOf(timeZone).start(date);
}

/** An instant as ISO text (`2025-03-17T09:00:00.000Z`). */
export function isoText(instant: number): string {
  return isoTexts.get(instant, writeIso);
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

/** The calendar day an instant falls on in the zone. */
export function dayOf(instant: number, timeZone: string): CalendarDate {
  return calendarOf(timeZone).day(instant);
}

/** An instant as a merchant reads it in the zone: `2025-03-17` at the start of a day, else `2025-03-17 10:00`. */
export function formatMoment(instant: number, timeZone: string): string {
  return calendarOf(timeZone).moment(instant);
}

/** An instant to the minute in the zone: `2025-03-17 10:00`. */
export function formatMinute(instant: number, timeZone: string): string {
  return `${dayOf(instant, timeZone)} ${timeOfDayFormat(timeZone).format(instant)}`;
}
