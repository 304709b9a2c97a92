import { describe, expect, it } from 'vitest';
import { compareDurations, formatDuration, parseDuration, wholeHours } from '../../src/core/duration.js';
import { formatMoment, gapAfter, momentAfter, payDeadline, startOfDay } from '../../src/core/moments.js';

const BERLIN = 'Europe/Berlin';

describe('parseDuration', () => {
  it.each([
    ['30m', { days: 0, minutes: 30 }],
    ['24h', { days: 0, minutes: 1440 }],
    ['3d', { days: 3, minutes: 0 }],
    ['1d12h', { days: 1, minutes: 720 }],
    ['2w', { days: 14, minutes: 0 }],
    ['1h30m', { days: 0, minutes: 90 }],
    ['-3d', { days: -3, minutes: 0 }],
    [' 7D ', { days: 7, minutes: 0 }],
    ['0d', { days: 0, minutes: 0 }],
  ])('%j', (text, expected) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '3', 'd', '3x', '3 days', '1.5d', '3d3d', 'abc', '--3d', '3d-1h'])('refuses %j with what is allowed', (text) => {
    const parsed = parseDuration(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/m \(minutes\), h \(hours\), d \(days\) or w \(weeks\)|twice/);
  });

  it('orders and writes durations as the config does', () => {
    const d = (t: string) => {
      const p = parseDuration(t);
      if (!p.ok) throw new Error(p.error);
      return p.value;
    };
    expect(compareDurations(d('24h'), d('1d'))).toBe(0);
    expect(compareDurations(d('72h'), d('3d1m'))).toBeLessThan(0);
    expect(compareDurations(d('-3d'), d('0d'))).toBeLessThan(0);
    expect(['30m', '24h', '1d12h', '7d', '14d', '-3d', '0d'].map((t) => formatDuration(d(t)))).toEqual(['30m', '24h', '1d12h', '7d', '14d', '-3d', '0d']);
    expect(wholeHours(d('1d12h'))).toBe(36);
    expect(wholeHours(d('90m'))).toBeNull();
  });
});

describe('moments in a time zone', () => {
  const at = (iso: string) => Date.parse(iso);

  it('counts a day as a calendar day and an hour as sixty minutes across the spring change', () => {
    // 2025-03-29 23:30 in Berlin is 22:30 UTC; the night after has no 02:00-03:00.
    const due = { date: '2025-03-29', at: at('2025-03-29T22:30:00Z') };
    expect(new Date(momentAfter(due, { days: 1, minutes: 0 }, BERLIN)).toISOString()).toBe('2025-03-30T21:30:00.000Z');
    expect(new Date(momentAfter(due, { days: 0, minutes: 1440 }, BERLIN)).toISOString()).toBe('2025-03-30T22:30:00.000Z');
    expect(formatMoment(momentAfter(due, { days: 0, minutes: 1440 }, BERLIN), BERLIN)).toBe('2025-03-31 00:30');
  });

  it('keeps the start of a day at the start of a day, and knows a 23-hour day', () => {
    expect(new Date(momentAfter({ date: '2025-03-29', at: null }, { days: 1, minutes: 0 }, BERLIN)).toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(startOfDay('2025-03-31', BERLIN) - startOfDay('2025-03-30', BERLIN)).toBe(23 * 3_600_000);
    expect(formatMoment(startOfDay('2025-03-30', BERLIN), BERLIN)).toBe('2025-03-30');
  });

  it('measures a gap in days from the start of the day of the last message, in hours from the message', () => {
    const last = at('2025-03-11T15:20:00Z');
    expect(new Date(gapAfter(last, { days: 2, minutes: 0 }, BERLIN)).toISOString()).toBe('2025-03-12T23:00:00.000Z');
    expect(new Date(gapAfter(last, { days: 0, minutes: 36 * 60 }, BERLIN)).toISOString()).toBe('2025-03-13T03:20:00.000Z');
  });

  it('gives a deadline in days as a day, and in hours with its instant', () => {
    const now = at('2025-03-17T09:00:00Z');
    expect(payDeadline(now, { days: 7, minutes: 0 }, BERLIN)).toEqual({ date: '2025-03-24', at: null });
    expect(payDeadline(now, { days: 0, minutes: 48 * 60 }, BERLIN)).toEqual({ date: '2025-03-19', at: '2025-03-19T09:00:00.000Z' });
  });
});
