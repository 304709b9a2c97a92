import { DateTime, Info } from 'luxon';
import { calendarDayFormat } from './intl-formats.js';
import { Memo } from './memo.js';
import { fail, ok, type Parsed } from './result.js';

/** How a source orders day and month in slash dates; `auto` refuses them as ambiguous. */
export type DateOrder = 'auto' | 'DMY' | 'MDY';

/** A calendar date as `YYYY-MM-DD`. */
export type CalendarDate = string;

const EMPTY_MARKERS = new Set(['', '-', '–', '—']);
// A time of day may follow a German or slash date: `31.12.2025 23:50`, `12/31/2025 23:50:10`.
const TIME = String.raw`(?:,?\s+(\d{1,2}:\d{2}(?::\d{2})?))?`;
const GERMAN_DATE_TIME = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})${TIME}$`);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/;
const SLASH_DATE_TIME = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})${TIME}$`);

/**
 * When a case falls due: the calendar day in the merchant's zone, and the exact instant (ISO, UTC)
 * when the export gave a time of day; null means the start of that day.
 */
export interface DueMoment {
  date: CalendarDate;
  at: string | null;
}

/**
 * Parses a due date as exports write it (`31.12.2025`, `2025-12-31`, ISO date-times) into the
 * calendar date it falls on in `timeZone`. Returns null for an empty cell.
 */
export function parseDueDate(text: string, order: DateOrder, timeZone: string): Parsed<CalendarDate | null> {
  const moment = parseDueMoment(text, order, timeZone);
  return moment.ok ? ok(moment.value?.date ?? null) : moment;
}

/**
 * Parses a due date or date-time: a date alone is due from the start of that day, a date-time at its
 * instant (with its offset, or in `timeZone` when it names none). Returns null for an empty cell.
 */
export function parseDueMoment(text: string, order: DateOrder, timeZone: string, wallZone: string = timeZone): Parsed<DueMoment | null> {
  const s = text.trim();
  if (EMPTY_MARKERS.has(s)) return ok(null);
  let match = GERMAN_DATE_TIME.exec(s);
  if (match) return withTime(text, calendar(text, match[3], match[2], match[1]), match[4] ?? '', timeZone, wallZone);
  match = ISO_DATE.exec(s);
  if (match) return dayOnly(calendar(text, match[1], match[2], match[3]));
  match = ISO_DATE_TIME.exec(s);
  if (match) return dateTimeInZone(text, match[1] ?? '', match[2] ?? '', match[3], timeZone, wallZone);
  match = SLASH_DATE_TIME.exec(s);
  if (match) {
    // A day above 12 decides by itself: 1/15/2025 is January 15th whatever the order (issue 18).
    const first = Number(match[1]);
    const second = Number(match[2]);
    const decided = order !== 'auto' ? order : first > 12 && second <= 12 ? 'DMY' : second > 12 && first <= 12 ? 'MDY' : order;
    if (decided === 'MDY') return withTime(text, calendar(text, match[3], match[1], match[2]), match[4] ?? '', timeZone, wallZone);
    if (decided === 'DMY') return withTime(text, calendar(text, match[3], match[2], match[1]), match[4] ?? '', timeZone, wallZone);
    return fail(`"${text}" reads two ways (day/month or month/day); set "import.dateOrder" to "DMY" or "MDY" in dunning.config.json`);
  }
  if (/^\d{4,6}(\.\d+)?$/.test(s)) {
    return fail(`"${text}" looks like a spreadsheet serial number, not a date; export the column as a date (DD.MM.YYYY or YYYY-MM-DD)`);
  }
  return fail(`"${text}" is not a date (expected DD.MM.YYYY, YYYY-MM-DD or an ISO date-time)`);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function calendar(text: string, year = '', month = '', day = ''): Parsed<CalendarDate> {
  if (year.length !== 4) return fail(`"${text}" has a two-digit year; the export must give four digits`);
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0);
  if (y < 1900 || m < 1 || d < 1 || d > days) return fail(`"${text}" is not a date in the calendar`);
  return ok(`${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
}

function dayOnly(date: Parsed<CalendarDate>): Parsed<DueMoment> {
  return date.ok ? ok({ date: date.value, at: null }) : date;
}

function withTime(text: string, date: Parsed<CalendarDate>, time: string, timeZone: string, wallZone: string): Parsed<DueMoment> {
  if (!date.ok || time === '') return dayOnly(date);
  // `9:30` as ISO writes it: `09:30`.
  return dateTimeInZone(text, date.value, time.indexOf(':') === 1 ? `0${time}` : time, undefined, timeZone, wallZone);
}

function dateTimeInZone(text: string, date: string, time: string, offset: string | undefined, timeZone: string, wallZone: string): Parsed<DueMoment> {
  const iso = `${date}T${time}${offset === undefined ? '' : normaliseOffset(offset)}`;
  // An instant with an offset lands on the merchant's calendar day; a bare wall time is one in
  // `wallZone` (the merchant's own, or UTC for Stripe's "(UTC)" columns).
  const parsed =
    offset === undefined
      ? wallZone === timeZone
        ? DateTime.fromISO(iso, { zone: timeZone })
        : DateTime.fromISO(iso, { zone: wallZone }).setZone(timeZone)
      : DateTime.fromISO(iso, { setZone: true }).setZone(timeZone);
  if (!parsed.isValid) return fail(`"${text}" is not a date in the calendar`);
  // A wall time that a change to summer time skips (02:30 on the last Sunday of March) does not
  // exist: luxon moves it an hour on, and so does the due moment.
  return ok({ date: parsed.toISODate() ?? '', at: parsed.toUTC().toISO() ?? '' });
}

/**
 * The moment `days` days after another (a due date made from an order date and payment terms):
 * the same wall time in `timeZone`, or the calendar date alone when there was no time.
 */
export function addDaysToMoment(moment: DueMoment, days: number, timeZone: string): DueMoment {
  if (moment.at === null) return { date: addDays(moment.date, days), at: null };
  const later = DateTime.fromISO(moment.at, { zone: timeZone }).plus({ days });
  return { date: later.toISODate() ?? addDays(moment.date, days), at: later.toUTC().toISO() ?? moment.at };
}

function normaliseOffset(offset: string): string {
  if (offset === 'Z') return offset;
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  return Info.isValidIANAZone(zone);
}

// Status, the planner and the report do calendar arithmetic for every open case (a million and
// more); luxon's parsing costs tens of microseconds per call, so these are sums on day numbers, and
// the few hundred dates a run meets are worked out once each
// (test/unit/dates.test.ts checks them against luxon across years, leap days and DST changes).

const DAY_MS = 86_400_000;

const dayNumbers = new Memo<number>();
const datesOfDays = new Memo<CalendarDate, number>();

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, in plain UTC arithmetic (no time zone, no DST). */
export function dayNumber(date: CalendarDate): number {
  return dayNumbers.get(date, countDays);
}

/** Midnight UTC of a calendar date in ms: to format the day itself, with no zone to shift it. */
export function utcMidnight(date: CalendarDate): number {
  return dayNumber(date) * DAY_MS;
}

/** The `YYYY-MM-DD` date of a day number. */
export function dateOfDay(day: number): CalendarDate {
  return datesOfDays.get(day, writeDay);
}

function countDays(date: CalendarDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function writeDay(day: number): CalendarDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date of an instant in a time zone: "today" for the merchant. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const parts: Record<string, string> = {};
  for (const part of calendarDayFormat(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`;
}

/** Whole calendar days from `from` to `to` (positive when `to` is later); immune to daylight saving. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** The calendar date `days` after `date`. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return dateOfDay(dayNumber(date) + days);
}
