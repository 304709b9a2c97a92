import type { StoredCase } from '../../src/core/case.js';
import { calendarDateIn } from '../../src/core/dates.js';
import { daysDuration } from '../../src/core/duration.js';
import {
  countSkips, PlanGate, planCustomer, type CaseDecision, type Claim, type CustomerControl, type PlannedMessage, type PlanLimits, type PlanSelection, type Rejection,
  type SequenceRules, type SkipCounts,
} from '../../src/core/plan.js';

/** The default sequence of the issue: reminder at 1 day, second at 3, final at 7, two days apart. */
export const SEQUENCE: SequenceRules = {
  stages: [
    { name: 'reminder', after: daysDuration(1), template: 'reminder' },
    { name: 'second', after: daysDuration(3), template: 'second' },
    { name: 'final', after: daysDuration(7), template: 'final' },
  ],
  minGap: daysDuration(2),
  grace: daysDuration(0),
};

let nextId = 1;

/** An open case due on `dueDate` for a customer; everything else plausible. */
export function openCase(dueDate: string, overrides: Partial<StoredCase> = {}): StoredCase {
  const id = overrides.id ?? nextId++;
  const email = overrides.email ?? `customer${id}@example.com`;
  return {
    id,
    source: 'elopage',
    orderId: `O-${id}`,
    dueDate,
    dueAt: null,
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
    status: 'open',
    closedReason: null,
    closedAt: null,
    openedAt: '2020-01-01T00:00:00.000Z',
    snoozedUntil: null,
    stoppedAt: null,
    stopReason: null,
    ...overrides,
  };
}

/** A claim of `stage` (or of one of its repeats) for a case at an instant. */
export function claim(caseId: number, stage: string, at: string, state: Claim['state'] = 'sent', released = false, repeat = 0): Claim {
  return { caseId, stage, repeat, at, state, released };
}

/** What a run is planned with besides the cases and claims. */
export interface PlanSettings {
  sequence: SequenceRules;
  controls: CustomerControl[];
  rejections: Rejection[];
  tokenPattern: RegExp | undefined;
  limits: PlanLimits;
  only: PlanSelection | undefined;
}

/** A plan of several customers, as loadPlan makes it. */
export interface TestPlan {
  messages: PlannedMessage[];
  decisions: CaseDecision[];
  skipped: SkipCounts;
}

/**
 * Plans cases at `now` in Europe/Berlin as loadPlan does: customer by customer, in the order the
 * store reads them (the oldest open case first, then by address), through one gate. The store's
 * order itself is tested against SQLite (test/store/).
 */
export function planAll(now: string, cases: StoredCase[], claims: Claim[] = [], settings: Partial<PlanSettings> = {}): TestPlan {
  const at = new Date(now);
  const rules = { now: at, today: calendarDateIn(at, 'Europe/Berlin'), timeZone: 'Europe/Berlin', sequence: settings.sequence ?? SEQUENCE, tokenPattern: settings.tokenPattern };
  const customers = new Map<string, StoredCase[]>();
  for (const c of cases) customers.set(c.emailKey, [...(customers.get(c.emailKey) ?? []), c]);
  const firstDue = (list: StoredCase[]): string => list.map((c) => c.dueDate).sort()[0] ?? '';
  const order = [...customers].sort(([ka, a], [kb, b]) => firstDue(a).localeCompare(firstDue(b)) || ka.localeCompare(kb));
  const gate = new PlanGate(settings.only, settings.limits ?? { sentToday: 0 });
  const plan: TestPlan = { messages: [], decisions: [], skipped: {} };
  for (const [key, list] of order) {
    const ids = new Set(list.map((c) => c.id));
    const facts = {
      cases: [...list].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id - b.id),
      claims: claims.filter((c) => ids.has(c.caseId)),
      control: settings.controls?.find((c) => c.emailKey === key),
      rejection: settings.rejections?.find((r) => r.emailKey === key),
    };
    const planned = gate.admit(planCustomer(facts, rules));
    if (planned.message !== null) plan.messages.push(planned.message);
    plan.decisions.push(...planned.decisions);
    countSkips(plan.skipped, planned);
  }
  return plan;
}
