import { DateTime } from 'luxon';
import type { CalendarDate } from './dates.js';

/** The configured hours in which `send` may deliver, in the merchant's zone. */
export interface SendWindow {
  days: readonly string[];
  /** `HH:MM`, inclusive. */
  from: string;
  /** `HH:MM`, exclusive. */
  until: string;
}

/** Whether the window is open at an instant, and if not, when it next opens. */
export type WindowState = { open: true } | { open: false; opensAt: Date; opensAtLocal: string };

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Decides whether `now` lies inside the send window; no window means always open. */
export function windowState(now: Date, window: SendWindow | undefined, timeZone: string): WindowState {
  if (window === undefined) return { open: true };
  const local = DateTime.fromJSDate(now).setZone(timeZone);
  const hhmm = local.toFormat('HH:mm');
  if (window.days.includes(weekdayOf(local)) && hhmm >= window.from && hhmm < window.until) return { open: true };
  // A week and a day covers every weekday, including today's later opening.
  for (let offset = 0; offset <= 7; offset++) {
    const day = local.plus({ days: offset });
    if (!window.days.includes(weekdayOf(day))) continue;
    const [hour, minute] = window.from.split(':').map(Number);
    const opening = day.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
    if (opening > local) return { open: false, opensAt: opening.toJSDate(), opensAtLocal: `${opening.toFormat('ccc yyyy-MM-dd HH:mm')} (${timeZone})` };
  }
  throw new Error('windowState: a send window without days');
}

function weekdayOf(day: DateTime): string {
  return WEEKDAYS[day.weekday - 1] ?? '';
}

/** The instants a calendar day begins and ends in a zone (23 or 25 hours long on daylight-saving days). */
export function dayBounds(today: CalendarDate, timeZone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(today, { zone: timeZone }).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** The newest import of one source. */
export interface SourceImport {
  source: string;
  /** ISO instant of the newest snapshot import, or of the newest import when the source never had a snapshot. */
  importedAt: string;
}

/** A source whose data is too old to mail from. */
export interface StaleSource extends SourceImport {
  ageHours: number;
}

/**
 * Sources whose newest import is older than `maxAgeHours`: mailing from them risks reminding
 * someone who has paid since. Re-importing an identical export counts as fresh.
 */
export function staleSources(imports: readonly SourceImport[], now: Date, maxAgeHours: number): StaleSource[] {
  return imports
    .map((i) => ({ ...i, ageHours: (now.getTime() - new Date(i.importedAt).getTime()) / 3_600_000 }))
    .filter((i) => i.ageHours > maxAgeHours);
}
