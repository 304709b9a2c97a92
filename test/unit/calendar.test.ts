import { describe, expect, it } from 'vitest';
import { dateOfDay, dayIn, dayNumber } from '../../src/core/calendar.js';
import { addDays, calendarDateIn, daysBetween } from '../../src/core/dates.js';

describe('calendar day numbers', () => {
  it('agree with daysBetween and addDays over two years, leap day included', () => {
    const start = '2027-12-25';
    for (let offset = -800; offset <= 0; offset += 7) {
      const date = addDays(start, offset);
      expect(dateOfDay(dayNumber(date))).toBe(date);
      expect(dayNumber(start) - dayNumber(date)).toBe(daysBetween(date, start));
      expect(dateOfDay(dayNumber(date) + 61)).toBe(addDays(date, 61));
    }
    expect(dateOfDay(dayNumber('2028-02-28') + 1)).toBe('2028-02-29');
  });

  it('agree with calendarDateIn hour by hour across both DST changes and in zones far from UTC', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      for (const start of ['2026-03-27T00:00:00Z', '2026-10-23T00:00:00Z']) {
        for (let hour = 0; hour < 96; hour++) {
          const instant = new Date(new Date(start).getTime() + hour * 3_600_000);
          expect(dayIn(instant, zone)).toBe(calendarDateIn(instant, zone));
        }
      }
    }
  });
});
