import { describe, expect, it } from 'vitest';
import type { StoredCase } from '../../src/core/case.js';
import { daysDuration } from '../../src/core/duration.js';
import type { Claim } from '../../src/core/plan.js';
import { claim, openCase, planAll, SEQUENCE, type PlanSettings } from '../support/plan-fixtures.js';

interface Row {
  name: string;
  now: string;
  case: Partial<StoredCase> & { dueDate: string };
  claims?: (id: number) => Claim[];
  input?: Partial<PlanSettings>;
  stage: string | null;
  reason?: string;
  detail?: RegExp;
  next?: { stage: string; on: string } | null;
}

// 09:00 in Berlin on 2026-11-23 (CET, UTC+1).
const NOW = '2026-11-23T08:00:00Z';

const rows: Row[] = [
  { name: 'one day overdue gets the reminder', now: NOW, case: { dueDate: '2026-11-22' }, stage: 'reminder', next: { stage: 'reminder', on: '2026-11-23' } },
  { name: 'due today is not yet due', now: NOW, case: { dueDate: '2026-11-23' }, stage: null, reason: 'not_yet_due', next: { stage: 'reminder', on: '2026-11-24' } },
  { name: 'due next week is not yet due', now: NOW, case: { dueDate: '2026-11-30' }, stage: null, reason: 'not_yet_due', detail: /2026-12-01/ },
  { name: 'imported 30 days overdue gets the reminder first', now: NOW, case: { dueDate: '2026-10-24' }, stage: 'reminder' },
  {
    name: 'a day after the reminder the gap is not reached',
    now: NOW,
    case: { dueDate: '2026-10-24' },
    claims: (id) => [claim(id, 'reminder', '2026-11-22T09:00:00Z')],
    stage: null,
    reason: 'gap_not_reached',
    next: { stage: 'second', on: '2026-11-24' },
  },
  {
    name: 'minGapDays after the reminder comes the second',
    now: NOW,
    case: { dueDate: '2026-10-24' },
    claims: (id) => [claim(id, 'reminder', '2026-11-21T09:00:00Z')],
    stage: 'second',
  },
  {
    name: 'after the second, final waits for its own afterDays',
    now: NOW,
    case: { dueDate: '2026-11-18' },
    claims: (id) => [claim(id, 'reminder', '2026-11-19T09:00:00Z'), claim(id, 'second', '2026-11-21T09:00:00Z')],
    stage: null,
    reason: 'not_yet_due',
    next: { stage: 'final', on: '2026-11-25' },
  },
  {
    name: 'every stage sent',
    now: NOW,
    case: { dueDate: '2026-10-01' },
    claims: (id) => [claim(id, 'reminder', '2026-10-02T09:00:00Z'), claim(id, 'second', '2026-10-04T09:00:00Z'), claim(id, 'final', '2026-10-08T09:00:00Z')],
    stage: null,
    reason: 'all_stages_sent',
    next: null,
  },
  {
    name: 'a failed reminder (claim released) is due again',
    now: NOW,
    case: { dueDate: '2026-11-20' },
    claims: (id) => [claim(id, 'reminder', '2026-11-22T09:00:00Z', 'failed', true)],
    stage: 'reminder',
  },
  {
    name: 'a message in state unknown blocks the case',
    now: NOW,
    case: { dueDate: '2026-11-01' },
    claims: (id) => [claim(id, 'reminder', '2026-11-10T09:00:00Z', 'unknown')],
    stage: null,
    reason: 'unknown_message_pending',
    next: null,
  },
  {
    name: 'a message still sending counts as sent for the order of stages',
    now: NOW,
    case: { dueDate: '2026-11-01' },
    claims: (id) => [claim(id, 'reminder', '2026-11-23T07:59:00Z', 'sending')],
    stage: null,
    reason: 'gap_not_reached',
  },
  { name: 'nothing left to pay', now: NOW, case: { dueDate: '2026-11-01', openMinor: 0 }, stage: null, reason: 'paid' },
  { name: 'a stopped case', now: NOW, case: { dueDate: '2026-11-01', stoppedAt: '2026-11-20T10:00:00Z' }, stage: null, reason: 'stopped' },
  {
    name: 'a stopped customer',
    now: NOW,
    case: { dueDate: '2026-11-01', email: 'stopped@example.com' },
    input: { controls: [{ emailKey: 'stopped@example.com', snoozedUntil: null, stoppedAt: '2026-11-20' }] },
    stage: null,
    reason: 'stopped',
  },
  {
    name: 'a snoozed customer, with the day the snooze ends',
    now: NOW,
    case: { dueDate: '2026-11-01', email: 'snooze@example.com' },
    input: { controls: [{ emailKey: 'snooze@example.com', snoozedUntil: '2026-11-30', stoppedAt: null }] },
    stage: null,
    reason: 'snoozed',
    next: { stage: 'reminder', on: '2026-11-30' },
  },
  { name: 'a snooze that ends today is over', now: NOW, case: { dueDate: '2026-11-01', snoozedUntil: '2026-11-23' }, stage: 'reminder' },
  { name: 'no token', now: NOW, case: { dueDate: '2026-11-01', token: null }, stage: null, reason: 'no_token', detail: /no token/ },
  { name: 'a token that fails tokenPattern', now: NOW, case: { dueDate: '2026-11-01', token: 'abc' }, input: { tokenPattern: /^tk_\w+$/ }, stage: null, reason: 'no_token', detail: /tokenPattern/ },
  { name: 'within stopAfterDays', now: NOW, case: { dueDate: '2026-09-24' }, input: { sequence: { ...SEQUENCE, stopAfter: daysDuration(60) } }, stage: 'reminder' },
  {
    name: 'past stopAfterDays: manual follow-up',
    now: NOW,
    case: { dueDate: '2026-09-23' },
    input: { sequence: { ...SEQUENCE, stopAfter: daysDuration(60) } },
    stage: null,
    reason: 'manual_follow_up',
    detail: /61 days overdue/,
  },
  { name: 'graceDays push every stage', now: NOW, case: { dueDate: '2026-11-21' }, input: { sequence: { ...SEQUENCE, grace: daysDuration(2) } }, stage: null, reason: 'not_yet_due', next: { stage: 'reminder', on: '2026-11-24' } },
  {
    name: 'a customer whose last message was refused',
    now: NOW,
    case: { dueDate: '2026-11-01', email: 'bounce@example.com' },
    input: { rejections: [{ emailKey: 'bounce@example.com', at: '2026-11-20T09:00:00Z', error: '550 no such user' }] },
    stage: null,
    reason: 'rejected',
    detail: /550 no such user/,
  },
  // Daylight saving in Europe/Berlin: 2026-03-29 (02:00 -> 03:00) and 2026-10-25 (03:00 -> 02:00).
  { name: 'DST spring: 00:30 in Berlin is already the next day', now: '2026-03-28T23:30:00Z', case: { dueDate: '2026-03-28' }, stage: 'reminder' },
  { name: 'DST spring: 23:30 in Berlin is still today', now: '2026-03-29T21:30:00Z', case: { dueDate: '2026-03-29' }, stage: null, reason: 'not_yet_due' },
  {
    name: 'DST spring: the gap counts Berlin days, not UTC days',
    now: '2026-03-29T22:30:00Z',
    case: { dueDate: '2026-03-20' },
    claims: (id) => [claim(id, 'reminder', '2026-03-27T23:30:00Z')],
    stage: 'second',
  },
  {
    name: 'DST spring: one hour earlier the gap is not reached',
    now: '2026-03-29T21:30:00Z',
    case: { dueDate: '2026-03-20' },
    claims: (id) => [claim(id, 'reminder', '2026-03-27T23:30:00Z')],
    stage: null,
    reason: 'gap_not_reached',
    next: { stage: 'second', on: '2026-03-30' },
  },
  { name: 'DST autumn: 00:30 CEST on the long day', now: '2026-10-24T22:30:00Z', case: { dueDate: '2026-10-24' }, stage: 'reminder' },
  { name: 'DST autumn: 23:30 CET on the long day is still the 25th', now: '2026-10-25T22:30:00Z', case: { dueDate: '2026-10-25' }, stage: null, reason: 'not_yet_due' },
  {
    name: 'DST autumn: a gap over the long day',
    now: '2026-10-26T23:30:00Z',
    case: { dueDate: '2026-10-10' },
    claims: (id) => [claim(id, 'reminder', '2026-10-24T22:30:00Z')],
    stage: 'second',
  },
];

describe('planCustomer: one case', () => {
  it.each(rows)('$name', (row) => {
    const c = openCase(row.case.dueDate, row.case);
    const plan = planAll(row.now, [c], row.claims?.(c.id) ?? [], row.input);
    const decision = plan.decisions[0];
    expect(plan.decisions).toHaveLength(1);
    expect(plan.messages.map((m) => m.stage.name)).toEqual(row.stage === null ? [] : [row.stage]);
    expect(decision?.skip?.reason ?? null).toBe(row.reason ?? null);
    if (row.detail) expect(decision?.skip?.detail).toMatch(row.detail);
    if (row.next !== undefined) expect(decision?.next ?? null).toEqual(row.next === null ? null : expect.objectContaining(row.next));
  });
});

describe('planCustomer and the gate: customers and limits', () => {
  it('sends one message per customer, at the highest stage, each case claiming its own stage', () => {
    const old = openCase('2026-11-10', { email: 'Anna@Example.com', emailKey: 'anna@example.com' });
    const fresh = openCase('2026-11-21', { email: 'anna@example.com', firstName: 'Anna-Lena' });
    const notDue = openCase('2026-11-23', { email: 'anna@example.com' });
    const claims = [claim(old.id, 'reminder', '2026-11-11T09:00:00Z'), claim(old.id, 'second', '2026-11-14T09:00:00Z')];
    const plan = planAll(NOW, [fresh, notDue, old], claims);
    expect(plan.messages).toHaveLength(1);
    const message = plan.messages[0]!;
    expect(message.stage).toMatchObject({ name: 'final', number: 3, template: 'final' });
    expect(message.cases.map((c) => [c.id, c.stage])).toEqual([[old.id, 'final'], [fresh.id, 'reminder']]);
    // The newest case carries the address and name as the newest export gave them.
    expect(message.customer).toMatchObject({ email: 'anna@example.com', firstName: 'Anna-Lena', emailKey: 'anna@example.com' });
    expect(plan.decisions.find((d) => d.case.id === notDue.id)?.skip?.reason).toBe('not_yet_due');
  });

  it('lets messages through in the order customers are planned and holds back what perRun does not allow', () => {
    const a = openCase('2026-11-20');
    const b = openCase('2026-11-01');
    const c = openCase('2026-11-15', { email: 'c@example.com' });
    const d = openCase('2026-11-15', { email: 'd@example.com' });
    const claims = [claim(d.id, 'reminder', '2026-11-16T09:00:00Z')];
    const plan = planAll(NOW, [a, b, c, d], claims, { limits: { perRun: 3, sentToday: 0 } });
    expect(plan.messages.map((m) => m.cases[0]?.id)).toEqual([b.id, c.id, d.id]);
    expect(plan.messages.map((m) => m.stage.name)).toEqual(['reminder', 'reminder', 'second']);
    const held = plan.decisions.find((x) => x.case.id === a.id);
    expect(held?.skip).toEqual({ reason: 'held_by_limit', detail: 'limits.perRun is 3; goes first next time' });
    expect(held?.next).toMatchObject({ stage: 'reminder', on: '2026-11-23' });
    expect(plan.skipped).toEqual({ held_by_limit: 1 });
  });

  it('counts what went out today against perDay, and --limit narrows further', () => {
    const cases = [openCase('2026-11-01'), openCase('2026-11-02'), openCase('2026-11-03'), openCase('2026-11-04')];
    const perDay = planAll(NOW, cases, [], { limits: { perDay: 5, sentToday: 3 } });
    expect(perDay.messages).toHaveLength(2);
    expect(perDay.decisions[3]?.skip?.detail).toBe('limits.perDay is 5 and 3 went out today; goes first next time');
    const full = planAll(NOW, cases, [], { limits: { perDay: 5, sentToday: 7 } });
    expect(full.messages).toHaveLength(0);
    const limited = planAll(NOW, cases, [], { limits: { perDay: 5, sentToday: 0 }, only: { limit: 1 } });
    expect(limited.messages.map((m) => m.cases[0]?.dueDate)).toEqual(['2026-11-01']);
    expect(limited.skipped.held_by_limit).toBe(3);
  });

  it('narrows to one stage or one customer with --stage and --email', () => {
    const first = openCase('2026-11-20', { email: 'a@example.com' });
    const second = openCase('2026-11-10', { email: 'b@example.com' });
    const claims = [claim(second.id, 'reminder', '2026-11-11T09:00:00Z')];
    const byStage = planAll(NOW, [first, second], claims, { only: { stage: 'second' } });
    expect(byStage.messages.map((m) => m.customer.emailKey)).toEqual(['b@example.com']);
    expect(byStage.decisions.find((d) => d.case.id === first.id)?.skip).toEqual({ reason: 'not_selected', detail: 'not selected by --stage second' });
    const byEmail = planAll(NOW, [first, second], claims, { only: { emailKey: 'a@example.com' } });
    expect(byEmail.messages.map((m) => m.stage.name)).toEqual(['reminder']);
  });

  it('numbers a retry after a failure, so its Message-ID differs from the failed one', () => {
    const c = openCase('2026-11-20');
    const claims = [claim(c.id, 'reminder', '2026-11-21T09:00:00Z', 'failed', true), claim(c.id, 'reminder', '2026-11-22T09:00:00Z', 'failed', true)];
    expect(planAll(NOW, [c], claims).messages[0]?.attempt).toBe(3);
    expect(planAll(NOW, [c]).messages[0]?.attempt).toBe(1);
  });

  it('passes what the renderer needs: today, now, the stage template and each case with days overdue', () => {
    const c = openCase('2026-11-20', { extra: { Rate: '3 von 6' }, localeHint: 'en' });
    const message = planAll(NOW, [c]).messages[0]!;
    expect(message.today).toBe('2026-11-23');
    expect(message.now.toISOString()).toBe(NOW.replace('Z', '.000Z'));
    expect(message.cases[0]).toMatchObject({ daysOverdue: 3, extra: { Rate: '3 von 6' }, token: c.token, orderId: c.orderId });
    expect(message.customer.localeHint).toBe('en');
  });
});
