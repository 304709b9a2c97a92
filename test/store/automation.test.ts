import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageOutcome, TagRemovalRecord } from '../../src/app/ports.js';
import type { PushedCustomer } from '../../src/core/tag-removal.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/exports.js';
import { describeEachAdapter } from '../support/pg.js';

const NOW = new Date('2026-11-23T08:00:00Z');
const TAGS = { listId: 'aud1', tags: ['dunning-reminder', 'dunning-second'] };
describeEachAdapter('automation', (adapter) => {
  let store: TestStore;

  beforeEach(async () => {
    store = await openTestStore({}, adapter);
    await store.importRows(MORNING, NOW);
  });

  afterEach(() => store.close());

  async function caseIds(emailKey: string): Promise<number[]> {
    return (await store.all<{ id: number }>('SELECT id FROM cases WHERE email_key = ? ORDER BY id', emailKey)).map((r) => r.id);
  }

  function loadPushedCustomers(): Promise<PushedCustomer[]> {
    return store.store.messages.automatedCustomers('mailchimp');
  }

  function recordTagRemovals(run: { runId: number; listId: string; tags: readonly string[] }, records: TagRemovalRecord[], at: Date): Promise<void> {
    return store.store.messages.recordTagRemovals(run, records, at);
  }

  /** Claims and ends one message for a customer's cases, through the store's own functions. */
  async function push(runId: number, emailKey: string, channel: string, end: (id: number) => MessageOutcome | null): Promise<void> {
    const [claim] = await store.store.messages.claim([{
      runId, emailKey, stage: 'reminder', channel, template: 'reminder', recipient: emailKey, messageId: `<${runId}.${emailKey}@test>`,
      cases: (await caseIds(emailKey)).map((caseId) => ({ caseId, stage: 'reminder', repeat: 0 })),
    }], NOW);
    if (claim?.ok !== true) throw new Error('claim failed');
    const outcome = end(claim.id);
    if (outcome !== null) await store.store.messages.record([outcome], NOW);
  }

  async function pay(emailKey: string): Promise<void> {
    await store.exec("UPDATE cases SET status = 'paid' WHERE email_key = ?", emailKey);
  }

  describe('customers a Mailchimp push reached', () => {
    it('lists those with a sent or unknown Mailchimp message, with their open cases; not other channels, not failed pushes', async () => {
      const run = await store.newRun('send', NOW);
      await push(run, 'anna.mueller@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
      await push(run, 'ben.schaefer@example.de', 'mailchimp', () => null);
      await push(run, 'clara.weiss@example.de', 'smtp', (id) => ({ id, state: 'sent', providerId: null, response: '250' }));
      await push(run, 'noah.fischer@example.de', 'mailchimp', (id) => ({ id, state: 'failed', permanent: true, error: 'unsubscribed' }));
      // Ben's run died mid-push: unknown, so his tag may be there.
      await store.store.messages.sweepSending(NOW);
      await pay('ben.schaefer@example.de');
      expect((await loadPushedCustomers())).toEqual([
        { emailKey: 'anna.mueller@example.de', email: 'anna.mueller@example.de', pushedInRun: run, casesInDunning: 2, lastRemoval: null },
        { emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', pushedInRun: run, casesInDunning: 0, lastRemoval: null },
      ]);
    });

    it('counts a stopped case, and every case of a stopped customer, as no longer pursued', async () => {
      const run = await store.newRun('send', NOW);
      await push(run, 'anna.mueller@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
      await push(run, 'clara.weiss@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
      const [annaFirst] = await caseIds('anna.mueller@example.de');
      await store.exec("UPDATE cases SET stopped_at = '2026-11-23T09:00:00.000Z' WHERE id = ?", annaFirst);
      await store.exec("INSERT INTO customer_controls (email_key, stopped_at, stop_reason) VALUES ('clara.weiss@example.de', '2026-11-23T09:00:00.000Z', 'disputed')");
      expect((await loadPushedCustomers()).map((c) => [c.emailKey, c.casesInDunning])).toEqual([
        ['anna.mueller@example.de', 1],
        ['clara.weiss@example.de', 0],
      ]);
      // Resumed: pursued again.
      await store.exec("UPDATE customer_controls SET stopped_at = NULL WHERE email_key = 'clara.weiss@example.de'");
      expect((await loadPushedCustomers()).find((c) => c.emailKey === 'clara.weiss@example.de')?.casesInDunning).toBe(1);
    });

    it('gives each customer their newest removal and their newest push', async () => {
      const first = await store.newRun('send', NOW);
      await push(first, 'ben.schaefer@example.de', 'mailchimp', (id) => ({ id, state: 'sent', providerId: 'x', response: 'tagged' }));
      await pay('ben.schaefer@example.de');
      const second = await store.newRun('send', NOW);
      await recordTagRemovals({ runId: second, ...TAGS }, [{ emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', state: 'failed', permanent: false, error: 'HTTP 503' }], NOW);
      const third = await store.newRun('send', NOW);
      await recordTagRemovals({ runId: third, ...TAGS }, [{ emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', state: 'removed', permanent: false, error: null }], NOW);
      expect((await loadPushedCustomers())).toEqual([
        { emailKey: 'ben.schaefer@example.de', email: 'ben.schaefer@example.de', pushedInRun: first, casesInDunning: 0, lastRemoval: { run: third, state: 'removed', permanent: false } },
      ]);
      const stored = await store.all('SELECT list_id AS "listId", tags, state FROM mailchimp_tag_removals ORDER BY id');
      expect(stored).toEqual([
        { listId: 'aud1', tags: '["dunning-reminder","dunning-second"]', state: 'failed' },
        { listId: 'aud1', tags: '["dunning-reminder","dunning-second"]', state: 'removed' },
      ]);
    });
  });
});
