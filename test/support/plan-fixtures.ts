import type { Claim, PlanCase, PlanInput, SequenceRules } from '../../src/core/plan.js';

/** The default sequence of the issue: reminder at 1 day, second at 3, final at 7, two days apart. */
export const SEQUENCE: SequenceRules = {
  stages: [
    { name: 'reminder', afterDays: 1, template: 'reminder' },
    { name: 'second', afterDays: 3, template: 'second' },
    { name: 'final', afterDays: 7, template: 'final' },
  ],
  minGapDays: 2,
  graceDays: 0,
};

let nextId = 1;

/** An open case due on `dueDate` for a customer; everything else plausible. */
export function openCase(dueDate: string, overrides: Partial<PlanCase> = {}): PlanCase {
  const id = overrides.id ?? nextId++;
  const email = overrides.email ?? `customer${id}@example.com`;
  return {
    id,
    source: 'elopage',
    orderId: `O-${id}`,
    dueDate,
    email,
    emailKey: email.toLowerCase(),
    firstName: 'Anna',
    lastName: 'Müller',
    localeHint: null,
    product: 'Kurs',
    openMinor: 4900,
    paidMinor: 0,
    currency: 'EUR',
    token: `tk_${String(id).padStart(16, '0')}`,
    extra: {},
    snoozedUntil: null,
    stoppedAt: null,
    ...overrides,
  };
}

/** A claim of `stage` for a case at an instant. */
export function claim(caseId: number, stage: string, at: string, state: Claim['state'] = 'sent', released = false): Claim {
  return { caseId, stage, at, state, released };
}

/** A planner input at `now` in Europe/Berlin with nothing but the given cases and claims. */
export function planInput(now: string, cases: PlanCase[], claims: Claim[] = [], overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    now: new Date(now),
    timeZone: 'Europe/Berlin',
    sequence: SEQUENCE,
    cases,
    controls: [],
    claims,
    rejections: [],
    tokenPattern: undefined,
    limits: { sentToday: 0 },
    ...overrides,
  };
}
