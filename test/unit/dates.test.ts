import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { addDays, calendarDateIn, dateOfDay, dayNumber, daysBetween, isTimeZone, parseDueDate, utcMidnight, type DateOrder } from '../../src/core/dates.js';

const BERLIN = 'Europe/Berlin';

function due(text: string, order: DateOrder = 'auto', zone = BERLIN): string | null | { error: string } {
  const parsed = parseDueDate(text, order, zone);
  return parsed.ok ? parsed.value : { error: parsed.error };
}

describe('parseDueDate: accepted forms', () => {
  it.each([
    ['31.12.2025', '2025-12-31'],
    ['1.2.2025', '2025-02-01'],
    [' 31.12.2025 ', '2025-12-31'],
    ['29.02.2024', '2024-02-29'],
    ['2025-12-31', '2025-12-31'],
    ['2025-12-06 10:37', '2025-12-06'],
    ['2025-12-06T10:37:33.123+0100', '2025-12-06'],
    ['', null],
    ['-', null],
    ['—', null],
  ])('%j -> %j', (text, expected) => {
    expect(due(text)).toEqual(expected);
  });
});

describe('parseDueDate: date-times land on the calendar day of the merchant', () => {
  it.each([
    // Bad-inputs A5: an offset is kept and the instant converted; a bare wall time is already local.
    ['2025-12-06 10:37:33 -0500', BERLIN, '2025-12-06'],
    ['2025-12-06 23:30:00 -0500', BERLIN, '2025-12-07'],
    ['2025-12-06 10:37:33', BERLIN, '2025-12-06'],
    ['2025-12-06 23:30:00', BERLIN, '2025-12-06'],
    // 23:30 UTC is already the next day in Berlin (UTC+1 in winter) ...
    ['2025-12-06T23:30:00Z', BERLIN, '2025-12-07'],
    ['2025-12-06T23:30:00+00:00', BERLIN, '2025-12-07'],
    ['2025-12-06T23:00:00Z', BERLIN, '2025-12-07'],
    ['2025-12-06T22:59:59Z', BERLIN, '2025-12-06'],
    // ... and at 22:00 UTC in summer (UTC+2).
    ['2025-07-06T22:00:00Z', BERLIN, '2025-07-07'],
    ['2025-07-06T21:59:59Z', BERLIN, '2025-07-06'],
    // The same instant in New York is still the day before.
    ['2025-12-06T23:30:00Z', 'America/New_York', '2025-12-06'],
    ['2025-12-07T03:00:00+01:00', 'America/New_York', '2025-12-06'],
    // Around the DST changes.
    ['2025-03-30T01:30:00Z', BERLIN, '2025-03-30'],
    ['2025-10-26T00:30:00Z', BERLIN, '2025-10-26'],
    ['2025-03-29T23:30:00Z', BERLIN, '2025-03-30'],
  ])('%j in %s -> %s', (text, zone, expected) => {
    expect(due(text, 'auto', zone)).toBe(expected);
  });

  it('keeps a due date of today in Berlin from being overdue at 23:30 UTC the day before (A5)', () => {
    const parsed = parseDueDate('2025-12-06', 'auto', BERLIN);
    const dueDate = parsed.ok && parsed.value !== null ? parsed.value : 'unparsed';
    const today = calendarDateIn(new Date('2025-12-05T23:30:00Z'), BERLIN);
    expect(today).toBe('2025-12-06');
    expect(daysBetween(dueDate, today)).toBe(0);
    expect(daysBetween(dueDate, calendarDateIn(new Date('2025-12-06T23:00:00Z'), BERLIN))).toBe(1);
  });
});

describe('parseDueDate: slash dates need a declared order', () => {
  it.each([
    ['03/04/2025', 'auto', { error: expect.stringMatching(/reads two ways \(day\/month or month\/day\); set "import\.dateOrder" to "DMY" or "MDY"/) as string }],
    // Issue 18: a day above 12 decides by itself.
    ['13/04/2025', 'auto', '2025-04-13'],
    ['1/15/2025', 'auto', '2025-01-15'],
    ['1/15/2025 15:03', 'auto', '2025-01-15'],
    ['12/12/2025', 'auto', { error: expect.stringMatching(/reads two ways/) as string }],
    ['03/04/2025', 'DMY', '2025-04-03'],
    ['03/04/2025', 'MDY', '2025-03-04'],
    ['3/4/2025', 'MDY', '2025-03-04'],
    ['31/12/2025', 'DMY', '2025-12-31'],
    ['31/12/2025', 'MDY', { error: expect.stringMatching(/not a date in the calendar/) as string }],
    ['12/31/2025', 'MDY', '2025-12-31'],
  ] as [string, DateOrder, unknown][])('%j (%s)', (text, order, expected) => {
    expect(due(text, order)).toEqual(expected);
  });
});

describe('parseDueDate: refused', () => {
  it.each([
    ['01.02.25', /two-digit year; the export must give four digits/],
    ['3/4/25', /reads two ways/],
    ['45678', /spreadsheet serial number, not a date/],
    ['45678.5', /spreadsheet serial number/],
    ['31.02.2026', /"31\.02\.2026" is not a date in the calendar/],
    ['29.02.2023', /not a date in the calendar/],
    ['31.04.2025', /not a date in the calendar/],
    ['00.01.2025', /not a date in the calendar/],
    ['2025-13-01', /not a date in the calendar/],
    ['2025-02-30', /not a date in the calendar/],
    ['2025-12-06T25:00', /not a date in the calendar/],
    ['31.12.1899', /not a date in the calendar/],
    ['20251231', /is not a date \(expected DD\.MM\.YYYY, YYYY-MM-DD or an ISO date-time\)/],
    ['foo', /is not a date/],
    ['morgen', /is not a date/],
  ])('%j', (text, error) => {
    const parsed = parseDueDate(text, 'auto', BERLIN);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('gives a two-digit year the same answer in every order', () => {
    for (const order of ['DMY', 'MDY'] as const) expect(due('3/4/25', order)).toEqual({ error: expect.stringMatching(/two-digit year/) as string });
  });
});

describe('daysBetween, addDays, calendarDateIn', () => {
  it.each([
    ['2025-03-29', '2025-03-31', 2], // spring forward: one day has 23 hours
    ['2025-03-30', '2025-03-31', 1],
    ['2025-10-25', '2025-10-27', 2], // fall back: one day has 25 hours
    ['2025-10-26', '2025-10-27', 1],
    ['2025-12-31', '2025-01-01', -364],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-11-23', '2025-11-23', 0],
  ])('from %s to %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('adds days across DST and leap days', () => {
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2025-10-26', 1)).toBe('2025-10-27');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });

  it('computes today in the given zone', () => {
    const instant = new Date('2025-10-25T22:30:00Z');
    expect(calendarDateIn(instant, BERLIN)).toBe('2025-10-26');
    expect(calendarDateIn(instant, 'UTC')).toBe('2025-10-25');
    expect(calendarDateIn(instant, 'Pacific/Kiritimati')).toBe('2025-10-26');
    expect(calendarDateIn(instant, 'Pacific/Pago_Pago')).toBe('2025-10-25');
  });

  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Europe/Bielefeld')).toBe(false);
    expect(isTimeZone('CET+1')).toBe(false);
  });
});

// luxon, which the day sums replaced, is the oracle: calendar days by its own rules.
describe('utcMidnight', () => {
  it.each([['1970-01-01', 0], ['2026-11-23', Date.UTC(2026, 10, 23)], ['2028-02-29', Date.UTC(2028, 1, 29)], ['1969-12-31', -86_400_000], ['2100-03-01', Date.UTC(2100, 2, 1)]])('%s', (date, ms) => {
    expect(utcMidnight(date)).toBe(ms);
  });
});

describe('day sums against luxon', () => {
  const luxonDays = (from: string, to: string): number => Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days);
  const luxonAdd = (date: string, days: number): string => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? '';

  it('agree on days between and days after over four years, leap days included', () => {
    const start = '2027-12-25';
    for (let offset = -1500; offset <= 0; offset += 3) {
      const date = luxonAdd(start, offset);
      expect(addDays(start, offset)).toBe(date);
      expect(dateOfDay(dayNumber(date))).toBe(date);
      expect(daysBetween(date, start)).toBe(luxonDays(date, start));
      expect(addDays(date, 61)).toBe(luxonAdd(date, 61));
    }
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(daysBetween('2100-02-28', '2100-03-01')).toBe(1);
  });

  it('agree on the calendar date of an instant hour by hour across both DST changes and in zones far from UTC', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      for (const start of ['2026-03-27T00:00:00Z', '2026-10-23T00:00:00Z']) {
        for (let hour = 0; hour < 96; hour++) {
          const instant = new Date(new Date(start).getTime() + hour * 3_600_000);
          expect(calendarDateIn(instant, zone)).toBe(DateTime.fromJSDate(instant).setZone(zone).toISODate());
        }
      }
    }
  });
});
