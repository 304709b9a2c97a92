import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMessage } from '../../src/app/ports.js';
import type { CustomerFacts } from '../../src/core/plan.js';
import { DunningError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/index.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/exports.js';
import { describeEachAdapter } from '../support/pg.js';

const NOW = new Date('2026-11-23T08:00:00Z');

describeEachAdapter('the store', (adapter) => {
  let store: TestStore;
  let runId: number;

  beforeEach(async () => {
    store = await openTestStore({}, adapter);
    await store.importRows(MORNING, NOW);
    runId = await store.newRun('send', NOW);
  });

  afterEach(() => store.close());

  async function caseId(orderId: string): Promise<number> {
    const row = (await store.all<{ id: number }>('SELECT id FROM cases WHERE order_id = ?', orderId))[0];
    if (row === undefined) throw new Error(`no case ${orderId}`);
    return row.id;
  }

  async function message(orderId: string, stage = 'reminder', messageId = `<${orderId}.${stage}@test>`): Promise<NewMessage> {
    return { runId, emailKey: 'x@example.de', stage, channel: 'outbox', template: stage, recipient: 'x@example.de', messageId, cases: [{ caseId: await caseId(orderId), stage, repeat: 0 }] };
  }

  /** Every customer the planner reads, in the order it reads them. */
  async function customers(): Promise<CustomerFacts[]> {
    const all: CustomerFacts[] = [];
    for await (const page of store.store.plan.customers({ order: 'send' })) all.push(...page);
    return all;
  }

  /** One customer as the planner reads them, or undefined without open cases. */
  async function customer(emailKey: string): Promise<CustomerFacts | undefined> {
    for await (const page of store.store.plan.customers({ order: 'any', emailKey })) return page[0];
    return undefined;
  }

  async function claims(): Promise<CustomerFacts['claims'][number][]> {
    return (await customers()).flatMap((c) => c.claims);
  }

  describe('the customers the planner reads', () => {
    it('gives every open case as stored, customer by customer, the oldest open case first, then by address', async () => {
      await store.exec(`UPDATE cases SET extra = '{"Rate":"3 von 6"}' WHERE order_id IN ('4711', '4712')`);
      await store.exec("UPDATE cases SET status = 'paid' WHERE order_id = '4719'");
      const read = await customers();
      // Clara's oldest case is due 16.11, Ben's 20.11, Anna's 21.11 (4720) and 22.11 (4711); Noah's is paid.
      expect(read.map((c) => c.cases.map((k) => k.orderId))).toEqual([['4713'], ['4712'], ['4720', '4711']]);
      const anna = read[2]!.cases;
      expect(anna.map((c) => c.emailKey)).toEqual(['anna.mueller@example.de', 'anna.mueller@example.de']);
      expect(anna[0]).toMatchObject({ email: 'Anna.Mueller@example.de', status: 'open', openMinor: 1990, currency: 'EUR', dueDate: '2026-11-21', extra: {} });
      expect(anna[1]?.extra).toEqual({ Rate: '3 von 6' });
    });

    it('orders customers whose oldest case is due the same day by address, however they were imported', async () => {
      await store.close();
      store = await openTestStore({}, adapter);
      const emails = ['zoe@example.com', 'anna@example.com', 'Mia@example.com', 'ben@example.com'];
      await store.importRows([...emails.map((email, i) => ({ email, order: String(100 + i), open: '10,00', due: '15.11.2026' })), { email: 'aaron@example.com', order: '200', open: '10,00', due: '16.11.2026' }], NOW);
      expect((await customers()).map((c) => c.cases[0]?.emailKey)).toEqual(['anna@example.com', 'ben@example.com', 'mia@example.com', 'zoe@example.com', 'aaron@example.com']);
    });

    it('reads customers by address when the order decides nothing, with the same facts', async () => {
      const bySend = await customers();
      const byAddress: typeof bySend = [];
      for await (const page of store.store.plan.customers({ order: 'any' })) byAddress.push(...page);
      expect(byAddress.map((c) => c.cases[0]?.emailKey)).toEqual(['anna.mueller@example.de', 'ben.schaefer@example.de', 'clara.weiss@example.de', 'noah.fischer@example.de']);
      expect([...byAddress].sort((a, b) => (a.cases[0]?.id ?? 0) - (b.cases[0]?.id ?? 0))).toEqual([...bySend].sort((a, b) => (a.cases[0]?.id ?? 0) - (b.cases[0]?.id ?? 0)));
    });

    it('reads one customer alone, with the same facts', async () => {
      const all = await customers();
      expect(await customer('anna.mueller@example.de')).toEqual(all[all.length - 2]);
      expect(await customer('nobody@example.de')).toBeUndefined();
    });
  });

  describe('claims', () => {
    it('claims each (case, stage) once: a second claim of the same stage fails, another stage goes through', async () => {
      const [first] = await store.store.messages.claim([await message('4711')], NOW);
      expect(first?.ok).toBe(true);
      const results = await store.store.messages.claim([await message('4711', 'reminder', '<other@test>'), await message('4711', 'second')], NOW);
      expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['already_claimed', 'ok']);
      expect((await store.store.messages.countByState()).sending).toBe(2);
    });

    it('claims a (case, stage) once when two connections claim it at the same moment', async () => {
      const other = await openStore(store.path);
      try {
        const results = await Promise.all([
          store.store.messages.claim([await message('4711', 'reminder', '<a@test>'), await message('4712', 'reminder', '<b@test>')], NOW),
          other.messages.claim([await message('4712', 'reminder', '<c@test>'), await message('4711', 'reminder', '<d@test>')], NOW),
        ]);
        const won = results.flat().filter((r) => r.ok);
        expect(won).toHaveLength(2);
        expect(results.flat().filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason))).toEqual(['already_claimed', 'already_claimed']);
        expect((await store.store.messages.countByState()).sending).toBe(2);
      } finally {
        await other.close();
      }
    });

    it('refuses to claim a case that was closed since the plan (never remind someone who paid)', async () => {
      await store.exec("UPDATE cases SET status = 'paid' WHERE order_id = '4712'");
      const [result] = await store.store.messages.claim([await message('4712')], NOW);
      expect(result).toMatchObject({ ok: false, reason: 'closed' });
      expect((await store.store.messages.countByState()).sending).toBe(0);
    });

    it('a failure releases the claim so a later run may try again; sent keeps it', async () => {
      const [a, b] = await store.store.messages.claim([await message('4711'), await message('4712')], NOW);
      if (a?.ok !== true || b?.ok !== true) throw new Error('claims failed');
      await store.store.messages.record([
        { id: a.id, state: 'sent', providerId: null, response: '250 ok' },
        { id: b.id, state: 'failed', permanent: false, error: '451 later' },
      ], NOW);
      const again = await store.store.messages.claim([await message('4711', 'reminder', '<retry-a@test>'), await message('4712', 'reminder', '<retry-b@test>')], NOW);
      expect(again.map((r) => r.ok)).toEqual([false, true]);
      const id4712 = await caseId('4712');
      const of4712 = (await claims()).filter((c) => c.caseId === id4712);
      expect(of4712.map((c) => [c.state, c.released])).toEqual([['failed', true], ['sending', false]]);
    });

    it('a permanent refusal marks the customer until cleared', async () => {
      await store.exec("UPDATE cases SET email_key = 'x@example.de' WHERE order_id = '4713'");
      const [a] = await store.store.messages.claim([await message('4713')], NOW);
      if (a?.ok !== true) throw new Error('claim failed');
      await store.store.messages.record([{ id: a.id, state: 'failed', permanent: true, error: '550 no such user' }], NOW);
      expect((await customer('x@example.de'))?.rejection).toEqual({ emailKey: 'x@example.de', at: NOW.toISOString(), error: '550 no such user' });
      expect(await store.store.customers.clearRejection('x@example.de')).toBe(1);
      expect((await customer('x@example.de'))?.rejection).toBeUndefined();
    });
  });

  describe('unknown messages', () => {
    it('turns what a dead run left sending into unknown, and --retry-unknown releases it', async () => {
      await store.store.messages.claim([await message('4711'), await message('4712')], NOW);
      expect(await store.store.messages.sweepSending(NOW)).toBe(2);
      expect(await store.store.messages.countByState()).toMatchObject({ sending: 0, unknown: 2 });
      expect((await claims()).every((c) => c.state === 'unknown' && !c.released)).toBe(true);
      expect(await store.store.messages.releaseUnknown(runId, NOW)).toBe(2);
      expect(await store.store.messages.countByState()).toMatchObject({ unknown: 0, failed: 2 });
      expect((await claims()).every((c) => c.released)).toBe(true);
    });

    it('counts sent, sending and unknown messages of a day against perDay, failed ones not', async () => {
      const [a, b, c] = await store.store.messages.claim([await message('4711'), await message('4712'), await message('4713')], NOW);
      if (a?.ok !== true || b?.ok !== true || c?.ok !== true) throw new Error('claims failed');
      await store.store.messages.record([{ id: c.id, state: 'failed', permanent: false, error: 'x' }, { id: a.id, state: 'sent', providerId: null, response: 'ok' }], NOW);
      expect(await store.store.plan.countSentBetween(new Date('2026-11-22T23:00:00Z'), new Date('2026-11-23T23:00:00Z'))).toBe(2);
      expect(await store.store.plan.countSentBetween(new Date('2026-11-23T23:00:00Z'), new Date('2026-11-24T23:00:00Z'))).toBe(0);
    });
  });

  describe('freshness', () => {
    it('dates each source by its newest snapshot import, ignoring newer partial ones', async () => {
      const later = new Date('2026-11-24T08:00:00Z');
      await store.exec("INSERT INTO imports (run_id, source, file, file_size, file_sha256, settings_hash, mode, imported_at) VALUES (?, 'elopage', 'p.csv', 0, '', '', 'partial', ?)", runId, later.toISOString());
      expect(await store.store.plan.newestImports()).toEqual([{ source: 'elopage', importedAt: NOW.toISOString() }]);
    });
  });

  describe('the send lock', () => {
    const me = { pid: process.pid, since: NOW.toISOString() };

    it('lets one run hold it; a second gets exit 3 naming the holder', async () => {
      const { locks } = store.store;
      expect(await locks.acquire('send', { ...me, runId })).toBeNull();
      const other = await store.newRun('send', NOW);
      const error = await locks.acquire('send', { ...me, runId: other }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DunningError);
      expect(error instanceof DunningError && error.exitCode).toBe(3);
      expect(error instanceof DunningError && error.message).toMatch(new RegExp(`^another send is running: held by run ${runId} \\(pid ${process.pid} on .+\\) since 2026-11-23T08:00:00.000Z$`));
      await locks.release('send', runId);
      expect(await locks.acquire('send', { ...me, runId: other })).toBeNull();
    });

    // SQLite's lock is a row: a holder that died leaves it behind, to be taken over.
    it.runIf(adapter === 'sqlite')('takes over the lock of a process that no longer runs', async () => {
      const child = spawn(process.execPath, ['-e', '']);
      const deadPid = child.pid ?? 0;
      await new Promise((resolve) => child.on('exit', resolve));
      await store.store.locks.acquire('send', { pid: deadPid, since: me.since, runId });
      const next = await store.newRun('send', NOW);
      expect(await store.store.locks.acquire('send', { ...me, runId: next })).toEqual({ runId, pid: deadPid, host: expect.any(String) as unknown, since: me.since });
    });

    it.runIf(adapter === 'sqlite')('takes over the lock of a run that has ended', async () => {
      await store.store.locks.acquire('send', { ...me, runId });
      await store.store.runs.finish(runId, NOW, 0, {});
      const next = await store.newRun('send', NOW);
      expect((await store.store.locks.acquire('send', { ...me, runId: next }))?.runId).toBe(runId);
    });

    // PostgreSQL's lock is the holder's session: it goes when the session ends, whatever ended it.
    it.runIf(adapter === 'postgres')('is free again once the holder\'s session ends, and names the holder that left it', async () => {
      await store.store.locks.acquire('send', { ...me, runId });
      await store.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dunning lock' AND datname = current_database()");
      const next = await store.newRun('send', NOW);
      const error = await store.store.locks.acquire('send', { ...me, runId: next }).catch((e: unknown) => e);
      expect(error).toEqual({ runId, pid: process.pid, host: expect.any(String) as unknown, since: me.since });
    });
  });
});
