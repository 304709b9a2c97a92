import { describe, expect, it } from 'vitest';
import { calendarDateIn } from '../../src/core/dates.js';
import { planStageNow, type Claim, type CustomerControl } from '../../src/core/plan.js';
import type { StoredCase } from '../../src/core/case.js';
import { claim, openCase, SEQUENCE } from '../support/plan-fixtures.js';

// send --email ADDR --stage NAME --now-due (issue 21): the planner's side, table-driven.

const NOW = new Date('2026-11-23T08:00:00Z');
const RULES = { now: NOW, today: calendarDateIn(NOW, 'Europe/Berlin'), timeZone: 'Europe/Berlin', sequence: SEQUENCE, tokenPattern: undefined };

function plan(cases: StoredCase[], claims: Claim[] = [], control?: CustomerControl) {
  return planStageNow({ cases, claims, control, rejection: undefined }, RULES, 'final');
}

describe('planStageNow', () => {
  it.each([
    ['a case not yet due', openCase('2026-11-30'), []],
    ['a case due for the reminder', openCase('2026-11-20'), []],
    ['a case within the gap after the reminder', openCase('2026-11-01'), (id: number) => [claim(id, 'reminder', '2026-11-22T09:00:00Z')]],
  ])('gives the stage now to %s', (_name, c, claims) => {
    const result = plan([c], typeof claims === 'function' ? claims(c.id) : claims);
    expect(result.message?.stage.name).toBe('final');
    expect(result.message?.cases.map((x) => x.stage)).toEqual(['final']);
  });

  it('never gives a case the stage twice', () => {
    const c = openCase('2026-11-01');
    const result = plan([c], [claim(c.id, 'final', '2026-11-20T09:00:00Z')]);
    expect(result.message).toBeNull();
    expect(result.decisions[0]?.skip?.detail).toBe('final was sent already: a stage goes once');
  });

  it.each([
    ['paid', openCase('2026-11-01', { openMinor: 0 }), undefined, 'paid'],
    ['stopped', openCase('2026-11-01', { stoppedAt: '2026-11-22T10:00:00Z' }), undefined, 'stopped'],
    ['snoozed', openCase('2026-11-01'), { emailKey: 'x', snoozedUntil: '2026-12-01', stoppedAt: null }, 'snoozed'],
  ])('never goes to a %s customer', (_name, c, control, reason) => {
    const result = plan([c], [], control === undefined ? undefined : { ...control, emailKey: c.emailKey });
    expect(result.message).toBeNull();
    expect(result.decisions[0]?.skip?.reason).toBe(reason);
  });

  it('takes the stage only for the cases that do not have it yet', () => {
    const a = openCase('2026-11-01');
    const b = openCase('2026-11-10', { id: a.id + 1000, orderId: 'B-2', email: a.email });
    const result = plan([a, b], [claim(a.id, 'final', '2026-11-20T09:00:00Z')]);
    expect(result.message?.cases.map((x) => x.id)).toEqual([b.id]);
  });
});
