import { describe, expect, it } from 'vitest';
import { decideTagRemoval, dueTagRemovals, type PushedCustomer, type TagDecision } from '../../src/core/tag-removal.js';

function pushed(change: Partial<PushedCustomer> = {}): PushedCustomer {
  return { emailKey: 'anna@example.de', email: 'Anna@example.de', pushedInRun: 5, casesInDunning: 0, lastRemoval: null, ...change };
}

const rows: { name: string; customer: PushedCustomer; decision: TagDecision }[] = [
  { name: 'every case closed, never removed', customer: pushed(), decision: 'due' },
  { name: 'a case still open', customer: pushed({ casesInDunning: 1 }), decision: 'in_dunning' },
  { name: 'a case open although an earlier removal failed', customer: pushed({ casesInDunning: 2, lastRemoval: { run: 6, state: 'failed', permanent: false } }), decision: 'in_dunning' },
  { name: 'removed after the push', customer: pushed({ lastRemoval: { run: 7, state: 'removed', permanent: false } }), decision: 'removed_already' },
  { name: 'removed in the run of the push (a run pushes first)', customer: pushed({ lastRemoval: { run: 5, state: 'removed', permanent: false } }), decision: 'removed_already' },
  { name: 'not in the audience after the push', customer: pushed({ lastRemoval: { run: 6, state: 'not_in_audience', permanent: false } }), decision: 'removed_already' },
  { name: 'removed, then pushed again in a later run', customer: pushed({ pushedInRun: 9, lastRemoval: { run: 7, state: 'removed', permanent: false } }), decision: 'due' },
  { name: 'the last removal failed for a passing reason', customer: pushed({ lastRemoval: { run: 6, state: 'failed', permanent: false } }), decision: 'due' },
  { name: 'the last removal was refused for good', customer: pushed({ lastRemoval: { run: 6, state: 'failed', permanent: true } }), decision: 'refused' },
  { name: 'refused for good, then pushed again', customer: pushed({ pushedInRun: 8, lastRemoval: { run: 6, state: 'failed', permanent: true } }), decision: 'due' },
];

describe('decideTagRemoval', () => {
  it.each(rows)('$name: $decision', ({ customer, decision }) => {
    expect(decideTagRemoval(customer)).toBe(decision);
  });
});

describe('dueTagRemovals', () => {
  const customers = [
    pushed({ emailKey: 'a@example.de' }),
    pushed({ emailKey: 'b@example.de', casesInDunning: 1 }),
    pushed({ emailKey: 'c@example.de', lastRemoval: { run: 6, state: 'failed', permanent: false } }),
    pushed({ emailKey: 'd@example.de', lastRemoval: { run: 6, state: 'removed', permanent: false } }),
  ];

  it('keeps the due customers in order', () => {
    expect(dueTagRemovals(customers).map((c) => c.emailKey)).toEqual(['a@example.de', 'c@example.de']);
  });

  it('narrows to one customer for send --email, and to none when that one is not due', () => {
    expect(dueTagRemovals(customers, 'c@example.de').map((c) => c.emailKey)).toEqual(['c@example.de']);
    expect(dueTagRemovals(customers, 'b@example.de')).toEqual([]);
  });
});
