import type { Hold } from './case.js';
import { addDays, parseDueDate, type CalendarDate } from './dates.js';
import { fail, ok, type Parsed } from './result.js';

const UNITS: Readonly<Record<string, number>> = { d: 1, w: 7 };

/**
 * The day a snooze ends: `10d` or `2w` from today, or a date (`2026-12-24`, `24.12.2026`). Messages
 * resume on that day. A day in the past is an error, not a silent no-op.
 */
export function snoozeUntil(text: string, today: CalendarDate, timeZone: string): Parsed<CalendarDate> {
  const s = text.trim().toLowerCase();
  const duration = /^(\d{1,4})\s*([dw])$/.exec(s);
  if (duration?.[1] !== undefined && duration[2] !== undefined) {
    const days = Number(duration[1]) * (UNITS[duration[2]] ?? 1);
    if (days < 1) return fail(`"${text}" is no time at all; give e.g. 10d or 2w`);
    return ok(addDays(today, days));
  }
  const date = parseDueDate(s, 'auto', timeZone);
  if (!date.ok || date.value === null) return fail(`"${text}" is neither a duration (10d, 2w) nor a date (YYYY-MM-DD)`);
  if (date.value <= today) return fail(`${date.value} is not in the future (today is ${today})`);
  return ok(date.value);
}

/** A change the merchant makes with `dunning customer`. */
export type HoldChange = { kind: 'snooze'; until: CalendarDate } | { kind: 'stop'; at: string; reason: string | null } | { kind: 'resume' };

/** The hold after a change: a snooze keeps a stop, a stop keeps a snooze, resume lifts both. */
export function changeHold(current: Hold | undefined, change: HoldChange): Hold {
  const base: Hold = { snoozedUntil: current?.snoozedUntil ?? null, stoppedAt: current?.stoppedAt ?? null, stopReason: current?.stopReason ?? null };
  if (change.kind === 'snooze') return { ...base, snoozedUntil: change.until };
  if (change.kind === 'stop') return { ...base, stoppedAt: change.at, stopReason: change.reason };
  return { snoozedUntil: null, stoppedAt: null, stopReason: null };
}
