import { describe, expect, it } from 'vitest';
import { dayBounds, staleSources, windowState } from '../../src/core/send-window.js';

const WEEKDAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '18:00' };

describe('windowState', () => {
  it.each([
    { name: 'no window is always open', now: '2026-11-22T03:00:00Z', window: undefined, opensAt: null },
    { name: 'Monday 09:00 Berlin is open', now: '2026-11-23T08:00:00Z', window: WEEKDAYS, opensAt: null },
    { name: 'Monday 07:59 Berlin opens at 08:00', now: '2026-11-23T06:59:00Z', window: WEEKDAYS, opensAt: '2026-11-23T07:00:00.000Z' },
    { name: 'Monday 18:00 Berlin is closed until Tuesday', now: '2026-11-23T17:00:00Z', window: WEEKDAYS, opensAt: '2026-11-24T07:00:00.000Z' },
    { name: 'Saturday waits for Monday', now: '2026-11-21T10:00:00Z', window: WEEKDAYS, opensAt: '2026-11-23T07:00:00.000Z' },
    { name: 'Friday evening waits for Monday over the DST change', now: '2026-03-27T18:00:00Z', window: WEEKDAYS, opensAt: '2026-03-30T06:00:00.000Z' },
    { name: 'only Sundays: a week later', now: '2026-11-22T10:00:00Z', window: { days: ['sun'], from: '08:00', until: '09:00' }, opensAt: '2026-11-29T07:00:00.000Z' },
  ])('$name', ({ now, window, opensAt }) => {
    const state = windowState(new Date(now), window, 'Europe/Berlin');
    if (opensAt === null) expect(state).toEqual({ open: true });
    else expect(state.open === false ? state.opensAt.toISOString() : 'open').toBe(opensAt);
  });

  it('says when the window opens in the merchant\'s words', () => {
    const state = windowState(new Date('2026-11-21T10:00:00Z'), WEEKDAYS, 'Europe/Berlin');
    expect(state.open === false && state.opensAtLocal).toBe('Mon 2026-11-23 08:00 (Europe/Berlin)');
  });
});

describe('dayBounds', () => {
  it('makes the spring DST day 23 hours and the autumn one 25', () => {
    const spring = dayBounds('2026-03-29', 'Europe/Berlin');
    const autumn = dayBounds('2026-10-25', 'Europe/Berlin');
    expect(spring.start.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect((spring.end.getTime() - spring.start.getTime()) / 3_600_000).toBe(23);
    expect((autumn.end.getTime() - autumn.start.getTime()) / 3_600_000).toBe(25);
  });
});

describe('staleSources', () => {
  it('lists only the sources older than the limit', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const stale = staleSources(
      [
        { source: 'elopage', importedAt: '2026-11-22T20:00:00Z' },
        { source: 'stripe', importedAt: '2026-11-21T19:00:00Z' },
      ],
      now,
      36,
    );
    expect(stale).toEqual([{ source: 'stripe', importedAt: '2026-11-21T19:00:00Z', ageHours: 37 }]);
  });
});
