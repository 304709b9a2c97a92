import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPushedCustomers, recordTagRemovals } from '../../src/store/mailchimp-tags.js';
import { claimMessages, recordOutcomes, sweepSending, type MessageOutcome } from '../../src/store/messages.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/world.js';

const NOW = new Date('2026-11-23T08:00:00Z');
const TAGS = { listId: 'aud1', tags: ['dunning-reminder', 'dunning-second'] };
let store: TestStore;

beforeEach(async () => {
  store = openTestStore();
  await store.importRows(MORNING, NOW);
});

afterEach(() => store.close());

function caseIds(emailKey: string): number[] {
  return store.db.prepare<[string], { id: number }>('SELECT id FROM cases WHERE email_key = ? ORDER BY id').all(emailKey).map((r) => r.id);
}

/** Claims and ends one message for a customer's cases, through the store's own functions. */
function push(runId: number, emailKey: string, channel: string, end: (id: number) => MessageOutcome | null): void {
  const [claim] = claimMessages(store.db, [{
    runId, emailKey, stage: 'reminder', channel, template: 'reminder', recipient: emailKey, messageId: `<${runId}.${emailKey}@test>`,
    cases: caseIds(emailKey).map((caseId) => ({ caseId, stage: 'reminder' })),
  }], NOW);
  if (claim?.ok !== true) throw new Error('claim failed');
  const outcome = end(claim.id);
  if (outcome !== null) recordOutcomes(store.db, [outcome], NOW);
}

function pay(emailKey: string): void {
  store.db.prepare("UPDATE cases SET status = 'paid' WHERE email_key = ?").run(emailKey);
}

describe('customers a Mailchimp push reached', () => {
  it('lists those with a sent or unknown Mailchimp message, with their open cases; not other channels, not failed pushes', () => {
    const run = store.newRun('send', NOW);
    push(run, 'anna.mueller@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
    push(run, 'ben.schaefer@example.de', 'mailchimp', () => null);
    push(run, 'clara.weiss@example.de', 'smtp', (id) => ({ id, state: 'sent', providerId: null, response: '250' }));
    push(run, 'noah.fischer@example.de', 'mailchimp', (id) => ({ id, state: 'failed', permanent: true, error: 'unsubscribed' }));
    // Ben's run died mid-push: unknown, so his tag may be there.
    sweepSending(store.db, NOW);
    pay('ben.schaefer@example.de');
    expect(loadPushedCustomers(store.db)).toEqual([
      { emailKey: 'anna.mueller@example.de', email: 'anna.mueller@example.de', pushedInRun: run, casesInDunning: 2, lastRemoval: null },
      { emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', pushedInRun: run, casesInDunning: 0, lastRemoval: null },
    ]);
  });

  it('counts a stopped case, and every case of a stopped customer, as no longer pursued', () => {
    const run = store.newRun('send', NOW);
    push(run, 'anna.mueller@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
    push(run, 'clara.weiss@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
    const [annaFirst] = caseIds('anna.mueller@example.de');
    store.db.prepare("UPDATE cases SET stopped_at = '2026-11-23T09:00:00.000Z' WHERE id = ?").run(annaFirst);
    store.db.prepare("INSERT INTO customer_controls (email_key, stopped_at, stop_reason) VALUES ('clara.weiss@example.de', '2026-11-23T09:00:00.000Z', 'disputed')").run();
    expect(loadPushedCustomers(store.db).map((c) => [c.emailKey, c.casesInDunning])).toEqual([
      ['anna.mueller@example.de', 1],
      ['clara.weiss@example.de', 0],
    ]);
    // Resumed: pursued again.
    store.db.prepare("UPDATE customer_controls SET stopped_at = NULL WHERE email_key = 'clara.weiss@example.de'").run();
    expect(loadPushedCustomers(store.db).find((c) => c.emailKey === 'clara.weiss@example.de')?.casesInDunning).toBe(1);
  });

  it('gives each customer their newest removal and their newest push', () => {
    const first = store.newRun('send', NOW);
    push(first, 'ben.schaefer@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
    pay('ben.schaefer@example.de');
    const second = store.newRun('send', NOW);
    recordTagRemovals(store.db, { runId: second, ...TAGS }, [{ emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', state: 'failed', permanent: false, error: 'HTTP 503' }], NOW);
    const third = store.newRun('send', NOW);
    recordTagRemovals(store.db, { runId: third, ...TAGS }, [{ emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', state: 'removed', permanent: false, error: null }], NOW);
    expect(loadPushedCustomers(store.db)).toEqual([
      { emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', pushedInRun: first, casesInDunning: 0, lastRemoval: { run: third, state: 'removed', permanent: false } },
    ]);
    const stored = store.db.prepare('SELECT list_id AS listId, tags, state FROM mailchimp_tag_removals ORDER BY id').all();
    expect(stored).toEqual([
      { listId: 'aud1', tags: '["dunning-reminder","dunning-second"]', state: 'failed' },
      { listId: 'aud1', tags: '["dunning-reminder","dunning-second"]', state: 'removed' },
    ]);
  });
});
