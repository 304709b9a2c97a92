import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import type { StoredCase } from '../../src/core/case.js';
import { daysDuration, parseDuration, type Duration } from '../../src/core/duration.js';
import type { Claim, SequenceRules, StageRule } from '../../src/core/plan.js';
import { claim, openCase, planAll } from '../support/plan-fixtures.js';

// Sequences measured in hours and minutes (issue 19), planned in Europe/Berlin as loadPlan plans them.

function d(text: string): Duration {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function sequence(stages: [string, string][], more: Partial<SequenceRules> = {}, last: Partial<StageRule> = {}): SequenceRules {
  return {
    stages: stages.map(([name, after], i) => ({ name, after: d(after), template: name, ...(i === stages.length - 1 ? last : {}) })),
    minGap: daysDuration(0),
    grace: daysDuration(0),
    ...more,
  };
}

/** The 24 h / 72 h / 7 d follow-up of the issue. */
const HOURLY = sequence([['reminder', '24h'], ['second', '72h'], ['final', '7d']]);

interface Row {
  name: string;
  now: string;
  case: Partial<StoredCase> & { dueDate: string };
  sequence: SequenceRules;
  claims?: (id: number) => Claim[];
  stage: string | null;
  reason?: string;
  detail?: RegExp;
  /** The next stage's moment (ISO), when the row checks it. */
  nextAt?: string;
}

const rows: Row[] = [
  {
    name: 'a due date-time at 23:50: "24h" is not due a minute before the 24 hours are up',
    now: '2025-03-11T22:49:00Z',
    case: { dueDate: '2025-03-10', dueAt: '2025-03-10T22:50:00.000Z' },
    sequence: HOURLY,
    stage: null,
    reason: 'not_yet_due',
    detail: /reminder is due on 2025-03-11 23:50/,
    nextAt: '2025-03-11T22:50:00.000Z',
  },
  { name: '... and is due at the minute', now: '2025-03-11T22:50:00Z', case: { dueDate: '2025-03-10', dueAt: '2025-03-10T22:50:00.000Z' }, sequence: HOURLY, stage: 'reminder' },
  {
    name: 'a due date alone counts from the start of that day: "24h" after the 10th is the 11th from midnight',
    now: '2025-03-10T22:59:00Z',
    case: { dueDate: '2025-03-10' },
    sequence: HOURLY,
    stage: null,
    reason: 'not_yet_due',
    detail: /reminder is due on 2025-03-11$/,
    nextAt: '2025-03-10T23:00:00.000Z',
  },
  { name: '... from midnight on', now: '2025-03-10T23:00:00Z', case: { dueDate: '2025-03-10' }, sequence: HOURLY, stage: 'reminder' },
  {
    name: 'an offset in the export is kept: 23:50 in New York is 04:50 UTC',
    now: '2025-03-12T04:49:00Z',
    case: { dueDate: '2025-03-11', dueAt: '2025-03-11T04:50:00.000Z' },
    sequence: HOURLY,
    stage: null,
    reason: 'not_yet_due',
    nextAt: '2025-03-12T04:50:00.000Z',
  },
  {
    name: 'spring change: "24h" after 2025-03-29 23:30 is 00:30 on the 31st (a 23-hour day in between)',
    now: '2025-03-30T22:29:00Z',
    case: { dueDate: '2025-03-29', dueAt: '2025-03-29T22:30:00.000Z' },
    sequence: HOURLY,
    stage: null,
    reason: 'not_yet_due',
    detail: /2025-03-31 00:30/,
    nextAt: '2025-03-30T22:30:00.000Z',
  },
  { name: '... and goes at 00:30', now: '2025-03-30T22:30:00Z', case: { dueDate: '2025-03-29', dueAt: '2025-03-29T22:30:00.000Z' }, sequence: HOURLY, stage: 'reminder' },
  {
    name: 'spring change: "1d" after 2025-03-29 23:30 keeps the wall time, 23:30 on the 30th',
    now: '2025-03-30T21:29:00Z',
    case: { dueDate: '2025-03-29', dueAt: '2025-03-29T22:30:00.000Z' },
    sequence: sequence([['reminder', '1d']]),
    stage: null,
    reason: 'not_yet_due',
    nextAt: '2025-03-30T21:30:00.000Z',
  },
  {
    name: 'autumn change: "24h" after 2025-10-25 12:00 is 11:00 on the 26th, "1d" is 12:00',
    now: '2025-10-26T10:00:00Z',
    case: { dueDate: '2025-10-25', dueAt: '2025-10-25T10:00:00.000Z' },
    sequence: sequence([['reminder', '24h'], ['second', '1d1m']]),
    stage: 'reminder',
  },
  {
    name: 'the second stage waits for its own moment, 72 hours after the due moment',
    now: '2025-03-13T22:49:00Z',
    case: { dueDate: '2025-03-10', dueAt: '2025-03-10T22:50:00.000Z' },
    sequence: HOURLY,
    claims: (id) => [claim(id, 'reminder', '2025-03-11T23:00:00Z')],
    stage: null,
    reason: 'not_yet_due',
    nextAt: '2025-03-13T22:50:00.000Z',
  },
  {
    name: 'minGap in hours: 36 hours after the reminder, not a day sooner',
    now: '2025-03-14T10:00:00Z',
    case: { dueDate: '2025-03-10', dueAt: '2025-03-10T22:50:00.000Z' },
    sequence: { ...HOURLY, minGap: d('36h') },
    claims: (id) => [claim(id, 'reminder', '2025-03-13T23:00:00Z')],
    stage: null,
    reason: 'gap_not_reached',
    detail: /last message on 2025-03-14 00:00; second from 2025-03-15 12:00/,
    nextAt: '2025-03-15T11:00:00.000Z',
  },
  {
    name: 'grace in hours adds to every stage',
    now: '2025-03-11T23:00:00Z',
    case: { dueDate: '2025-03-10', dueAt: '2025-03-10T22:50:00.000Z' },
    sequence: { ...HOURLY, grace: d('1h') },
    stage: null,
    reason: 'not_yet_due',
    nextAt: '2025-03-11T23:50:00.000Z',
  },
  {
    name: 'a coupon 30 minutes after the order',
    now: '2025-03-10T10:30:00Z',
    case: { dueDate: '2025-03-10', dueAt: '2025-03-10T10:00:00.000Z' },
    sequence: sequence([['coupon', '30m']]),
    stage: 'coupon',
  },
  {
    name: 'stopAfter in hours: a case older than 48 hours is for a person',
    now: '2025-03-12T10:01:00Z',
    case: { dueDate: '2025-03-10', dueAt: '2025-03-10T10:00:00.000Z' },
    sequence: { ...sequence([['coupon', '30m']]), stopAfter: d('48h') },
    stage: null,
    reason: 'manual_follow_up',
    detail: /sequence.stopAfter \(48h\)/,
  },
  // Before the due date.
  {
    name: 'a reminder three days before the due date, from the start of that day',
    now: '2025-03-11T23:00:00Z',
    case: { dueDate: '2025-03-15', openedAt: '2025-03-01T08:00:00.000Z' },
    sequence: sequence([['upcoming', '-3d'], ['reminder', '1d']]),
    stage: 'upcoming',
  },
  {
    name: '... not before it',
    now: '2025-03-11T22:59:00Z',
    case: { dueDate: '2025-03-15', openedAt: '2025-03-01T08:00:00.000Z' },
    sequence: sequence([['upcoming', '-3d'], ['reminder', '1d']]),
    stage: null,
    reason: 'not_yet_due',
    detail: /upcoming is due on 2025-03-12$/,
  },
  {
    name: 'a case imported after that moment skips it and waits for the next stage',
    now: '2025-03-13T08:00:00Z',
    case: { dueDate: '2025-03-15', openedAt: '2025-03-12T08:00:00.000Z' },
    sequence: sequence([['upcoming', '-3d'], ['reminder', '1d']]),
    stage: null,
    reason: 'not_yet_due',
    detail: /reminder is due on 2025-03-16$/,
  },
  {
    name: 'once the due moment has passed, a reminder before it is never sent',
    now: '2025-03-16T08:00:00Z',
    case: { dueDate: '2025-03-15', openedAt: '2025-03-01T08:00:00.000Z' },
    sequence: sequence([['upcoming', '-3d'], ['reminder', '1d']]),
    stage: 'reminder',
  },
  // A repeating last stage.
  {
    name: 'the last stage goes again "every" after the one before',
    now: '2025-03-24T22:59:00Z',
    case: { dueDate: '2025-03-01' },
    sequence: sequence([['reminder', '1d'], ['final', '7d']], {}, { repeat: { every: d('7d'), times: 2 } }),
    claims: (id) => [claim(id, 'reminder', '2025-03-02T09:00:00Z'), claim(id, 'final', '2025-03-18T09:00:00Z')],
    stage: null,
    reason: 'not_yet_due',
    detail: /final \(repeat 1 of 2\) is due on 2025-03-25$/,
    nextAt: '2025-03-24T23:00:00.000Z',
  },
  {
    name: '... a failed repeat is tried again under the same number',
    now: '2025-03-26T09:00:00Z',
    case: { dueDate: '2025-03-01' },
    sequence: sequence([['reminder', '1d'], ['final', '7d']], {}, { repeat: { every: d('7d'), times: 2 } }),
    claims: (id) => [claim(id, 'reminder', '2025-03-02T09:00:00Z'), claim(id, 'final', '2025-03-18T09:00:00Z'), claim(id, 'final', '2025-03-25T09:00:00Z', 'failed', true, 1)],
    stage: 'final',
  },
  {
    name: '... and after the last repeat the case goes to manual follow-up',
    now: '2025-04-20T09:00:00Z',
    case: { dueDate: '2025-03-01' },
    sequence: sequence([['reminder', '1d'], ['final', '7d']], {}, { repeat: { every: d('7d'), times: 2 } }),
    claims: (id) => [
      claim(id, 'reminder', '2025-03-02T09:00:00Z'), claim(id, 'final', '2025-03-18T09:00:00Z'),
      claim(id, 'final', '2025-03-25T09:00:00Z', 'sent', false, 1), claim(id, 'final', '2025-04-01T09:00:00Z', 'sent', false, 2),
    ],
    stage: null,
    reason: 'manual_follow_up',
    detail: /final was sent 3 times \(repeat.times 2\)/,
  },
];

describe('planCustomer: moments to the minute', () => {
  it.each(rows)('$name', (row) => {
    const c = openCase(row.case.dueDate, row.case);
    const plan = planAll(row.now, [c], row.claims?.(c.id) ?? [], { sequence: row.sequence });
    const decision = plan.decisions[0];
    expect(plan.messages.map((m) => m.stage.name)).toEqual(row.stage === null ? [] : [row.stage]);
    expect(decision?.skip?.reason ?? null).toBe(row.reason ?? null);
    if (row.detail) expect(decision?.skip?.detail).toMatch(row.detail);
    if (row.nextAt !== undefined) expect(decision?.next?.at).toBe(row.nextAt);
  });

  it('numbers the repeats of the last stage in the message and in each claim', () => {
    const c = openCase('2025-03-01');
    const seq = sequence([['reminder', '1d'], ['final', '7d']], {}, { repeat: { every: d('7d'), times: 2 } });
    const claims = [claim(c.id, 'reminder', '2025-03-02T09:00:00Z'), claim(c.id, 'final', '2025-03-18T09:00:00Z')];
    const [message] = planAll('2025-03-25T09:00:00Z', [c], claims, { sequence: seq }).messages;
    expect(message?.stage).toMatchObject({ name: 'final', repeat: 1 });
    expect(message?.cases.map((x) => [x.stage, x.repeat])).toEqual([['final', 1]]);
  });
});

/**
 * Runs at a fixed interval from `from` for `days`, sending what the plan gives: each message is
 * recorded as a claim at the run's time. Returns when each (case, stage) went.
 */
function simulate(cases: StoredCase[], seq: SequenceRules, from: string, everyMinutes: number, days: number): Map<string, string> {
  const claims: Claim[] = [];
  const sent = new Map<string, string>();
  const start = Date.parse(from);
  for (let t = start; t <= start + days * 86_400_000; t += everyMinutes * 60_000) {
    const now = new Date(t).toISOString();
    for (const message of planAll(now, cases, claims, { sequence: seq }).messages) {
      for (const c of message.cases) {
        const key = `${c.orderId}/${c.stage}${c.repeat > 0 ? `#${c.repeat}` : ''}`;
        expect(sent.has(key), `${key} went twice`).toBe(false);
        sent.set(key, now);
        claims.push(claim(c.id, c.stage, now, 'sent', false, c.repeat));
      }
    }
  }
  return sent;
}

describe('runs every hour and every 10 minutes', () => {
  // Orders at 09:30 and 23:50 Berlin (CET: 08:30 and 22:50 UTC); the runs start at a full hour.
  const orders = () => [
    openCase('2025-03-03', { orderId: 'morning', dueAt: '2025-03-03T08:30:00.000Z', email: 'a@example.com', emailKey: 'a@example.com' }),
    openCase('2025-03-03', { orderId: 'night', dueAt: '2025-03-03T22:50:00.000Z', email: 'b@example.com', emailKey: 'b@example.com' }),
  ];

  it.each([
    [60, { 'morning/reminder': '2025-03-04T09:00:00.000Z', 'morning/second': '2025-03-06T09:00:00.000Z', 'morning/final': '2025-03-10T09:00:00.000Z', 'night/reminder': '2025-03-04T23:00:00.000Z', 'night/second': '2025-03-06T23:00:00.000Z', 'night/final': '2025-03-10T23:00:00.000Z' }],
    [10, { 'morning/reminder': '2025-03-04T08:30:00.000Z', 'morning/second': '2025-03-06T08:30:00.000Z', 'morning/final': '2025-03-10T08:30:00.000Z', 'night/reminder': '2025-03-04T22:50:00.000Z', 'night/second': '2025-03-06T22:50:00.000Z', 'night/final': '2025-03-10T22:50:00.000Z' }],
  ])('every %i minutes: each stage in the first run at or after its moment, once', (minutes, expected) => {
    expect(Object.fromEntries(simulate(orders(), HOURLY, '2025-03-03T00:00:00Z', minutes, 8))).toEqual(expected);
  });

  it('repeats go once each, a week apart, and then stop', () => {
    const seq = sequence([['reminder', '24h'], ['final', '72h']], { minGap: d('12h') }, { repeat: { every: d('7d'), times: 2 } });
    const sent = simulate([openCase('2025-03-03', { orderId: 'r', dueAt: '2025-03-03T08:30:00.000Z' })], seq, '2025-03-03T00:00:00Z', 60, 30);
    expect(Object.fromEntries(sent)).toEqual({
      'r/reminder': '2025-03-04T09:00:00.000Z',
      'r/final': '2025-03-06T09:00:00.000Z',
      // Seven calendar days after the day of the final, from its start.
      'r/final#1': '2025-03-12T23:00:00.000Z',
      'r/final#2': '2025-03-19T23:00:00.000Z',
    });
  });
});

describe('an old config with afterDays and minGapDays only', () => {
  const old = ConfigSchema.parse({
    sequence: {
      stages: [{ name: 'reminder', afterDays: 1, template: 'reminder' }, { name: 'second', afterDays: 3, template: 'second' }, { name: 'final', afterDays: 7, template: 'final' }],
      minGapDays: 2,
      graceDays: 0,
      stopAfterDays: 60,
    },
  }).sequence;

  it('reads the day keys as whole days', () => {
    expect(old.stages.map((s) => s.after)).toEqual([daysDuration(1), daysDuration(3), daysDuration(7)]);
    expect([old.minGap, old.grace, old.stopAfter]).toEqual([daysDuration(2), daysDuration(0), daysDuration(60)]);
  });

  it('behaves exactly as before: afterDays 1 on a due date of the 14th is due on the 15th from midnight', () => {
    const c = openCase('2026-11-14');
    expect(planAll('2026-11-14T22:59:59Z', [c], [], { sequence: old }).messages).toEqual([]);
    expect(planAll('2026-11-14T23:00:00Z', [c], [], { sequence: old }).messages.map((m) => m.stage.name)).toEqual(['reminder']);
  });

  it('sends the stages on the same days as whole-day counting always did, run once a day at 09:00', () => {
    const sent = simulate([openCase('2026-11-14', { orderId: 'old' })], old, '2026-11-14T08:00:00Z', 24 * 60, 10);
    expect(Object.fromEntries(sent)).toEqual({
      'old/reminder': '2026-11-15T08:00:00.000Z',
      'old/second': '2026-11-17T08:00:00.000Z',
      'old/final': '2026-11-21T08:00:00.000Z',
    });
  });
});
