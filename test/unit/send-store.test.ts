import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DunningError } from '../../src/core/errors.js';
import { acquireLock, releaseLock } from '../../src/store/lock.js';
import {
  claimMessages,
  clearRejection,
  countByState,
  countSentBetween,
  loadPlanData,
  newestImports,
  recordOutcomes,
  releaseUnknown,
  sweepSending,
  type NewMessage,
} from '../../src/store/messages.js';
import { finishRun } from '../../src/store/runs.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/world.js';

const NOW = new Date('2026-11-23T08:00:00Z');
let store: TestStore;
let runId: number;

beforeEach(async () => {
  store = openTestStore();
  await store.importRows(MORNING, NOW);
  runId = store.newRun('send', NOW);
});

afterEach(() => store.close());

function caseId(orderId: string): number {
  const row = store.db.prepare<[string], { id: number }>('SELECT id FROM cases WHERE order_id = ?').get(orderId);
  if (row === undefined) throw new Error(`no case ${orderId}`);
  return row.id;
}

function message(orderId: string, stage = 'reminder', messageId = `<${orderId}.${stage}@test>`): NewMessage {
  return { runId, emailKey: 'x@example.de', stage, channel: 'outbox', template: stage, recipient: 'x@example.de', messageId, cases: [{ caseId: caseId(orderId), stage }] };
}

describe('open cases for the planner', () => {
  it('loads every open case as stored, each repeated value and set of extra columns kept once', () => {
    store.db.prepare(`UPDATE cases SET extra = '{"Rate":"3 von 6"}' WHERE order_id IN ('4711', '4712')`).run();
    store.db.prepare("UPDATE cases SET status = 'paid' WHERE order_id = '4719'").run();
    const stored = store.db
      .prepare<[], Record<string, unknown> & { extra: string }>(
        `SELECT id, source, order_id AS orderId, due_date AS dueDate, email, email_key AS emailKey, first_name AS firstName, last_name AS lastName,
                locale_hint AS localeHint, product, open_minor AS openMinor, paid_minor AS paidMinor, currency, token, extra,
                snoozed_until AS snoozedUntil, stopped_at AS stoppedAt
         FROM cases WHERE status = 'open' ORDER BY id`,
      )
      .all()
      .map((row) => ({ ...row, extra: JSON.parse(row.extra) as unknown }));
    const { cases } = loadPlanData(store.db);
    expect(cases).toEqual(stored);
    expect(cases.map((c) => c.orderId)).toEqual(['4711', '4720', '4712', '4713']);
    expect(cases.find((c) => c.orderId === '4720')).toMatchObject({ email: 'Anna.Mueller@example.de', emailKey: 'anna.mueller@example.de' });
    const [a, , b] = cases;
    expect(a?.extra).toBe(b?.extra);
    expect(Object.isFrozen(a?.extra)).toBe(true);
    expect(a?.extra).toEqual({ Rate: '3 von 6' });
  });
});

describe('claims', () => {
  it('claims each (case, stage) once: a second claim of the same stage fails, another stage goes through', () => {
    const [first] = claimMessages(store.db, [message('4711')], NOW);
    expect(first?.ok).toBe(true);
    const results = claimMessages(store.db, [message('4711', 'reminder', '<other@test>'), message('4711', 'second')], NOW);
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['already_claimed', 'ok']);
    expect(countByState(store.db).sending).toBe(2);
  });

  it('refuses to claim a case that was closed since the plan (never remind someone who paid)', () => {
    store.db.prepare("UPDATE cases SET status = 'paid' WHERE order_id = '4712'").run();
    const [result] = claimMessages(store.db, [message('4712')], NOW);
    expect(result).toMatchObject({ ok: false, reason: 'closed' });
    expect(countByState(store.db).sending).toBe(0);
  });

  it('a failure releases the claim so a later run may try again; sent keeps it', () => {
    const [a, b] = claimMessages(store.db, [message('4711'), message('4712')], NOW);
    if (a?.ok !== true || b?.ok !== true) throw new Error('claims failed');
    recordOutcomes(store.db, [
      { id: a.id, state: 'sent', providerId: null, response: '250 ok' },
      { id: b.id, state: 'failed', permanent: false, error: '451 later' },
    ], NOW);
    expect(claimMessages(store.db, [message('4711', 'reminder', '<retry-a@test>'), message('4712', 'reminder', '<retry-b@test>')], NOW).map((r) => r.ok)).toEqual([false, true]);
    const claims = loadPlanData(store.db).claims.filter((c) => c.caseId === caseId('4712'));
    expect(claims.map((c) => [c.state, c.released])).toEqual([['failed', true], ['sending', false]]);
  });

  it('a permanent refusal marks the customer until cleared', () => {
    const [a] = claimMessages(store.db, [message('4713')], NOW);
    if (a?.ok !== true) throw new Error('claim failed');
    recordOutcomes(store.db, [{ id: a.id, state: 'failed', permanent: true, error: '550 no such user' }], NOW);
    expect(loadPlanData(store.db).rejections).toEqual([{ emailKey: 'x@example.de', at: NOW.toISOString(), error: '550 no such user' }]);
    expect(clearRejection(store.db, 'x@example.de')).toBe(1);
    expect(loadPlanData(store.db).rejections).toEqual([]);
  });
});

describe('unknown messages', () => {
  it('turns what a dead run left sending into unknown, and --retry-unknown releases it', () => {
    claimMessages(store.db, [message('4711'), message('4712')], NOW);
    expect(sweepSending(store.db, NOW)).toBe(2);
    expect(countByState(store.db)).toMatchObject({ sending: 0, unknown: 2 });
    expect(loadPlanData(store.db).claims.every((c) => c.state === 'unknown' && !c.released)).toBe(true);
    expect(releaseUnknown(store.db, runId, NOW)).toBe(2);
    expect(countByState(store.db)).toMatchObject({ unknown: 0, failed: 2 });
    expect(loadPlanData(store.db).claims.every((c) => c.released)).toBe(true);
  });

  it('counts sent, sending and unknown messages of a day against perDay, failed ones not', () => {
    const [a, b, c] = claimMessages(store.db, [message('4711'), message('4712'), message('4713')], NOW);
    if (a?.ok !== true || b?.ok !== true || c?.ok !== true) throw new Error('claims failed');
    recordOutcomes(store.db, [{ id: c.id, state: 'failed', permanent: false, error: 'x' }, { id: a.id, state: 'sent', providerId: null, response: 'ok' }], NOW);
    expect(countSentBetween(store.db, new Date('2026-11-22T23:00:00Z'), new Date('2026-11-23T23:00:00Z'))).toBe(2);
    expect(countSentBetween(store.db, new Date('2026-11-23T23:00:00Z'), new Date('2026-11-24T23:00:00Z'))).toBe(0);
  });
});

describe('freshness', () => {
  it('dates each source by its newest snapshot import, ignoring newer partial ones', () => {
    const later = new Date('2026-11-24T08:00:00Z');
    store.db.prepare("INSERT INTO imports (run_id, source, file, file_size, file_sha256, settings_hash, mode, imported_at) VALUES (?, 'elopage', 'p.csv', 0, '', '', 'partial', ?)").run(runId, later.toISOString());
    expect(newestImports(store.db)).toEqual([{ source: 'elopage', importedAt: NOW.toISOString() }]);
  });
});

describe('the send lock', () => {
  const me = { pid: process.pid, since: NOW.toISOString() };

  it('lets one run hold it; a second gets exit 3 naming the holder', () => {
    expect(acquireLock(store.db, 'send', { ...me, runId })).toBeNull();
    const other = store.newRun('send', NOW);
    let error: unknown;
    try {
      acquireLock(store.db, 'send', { ...me, runId: other });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DunningError);
    expect(error instanceof DunningError && error.exitCode).toBe(3);
    expect(error instanceof DunningError && error.message).toMatch(new RegExp(`^another send is running: held by run ${runId} \\(pid ${process.pid} on .+\\) since 2026-11-23T08:00:00.000Z$`));
    releaseLock(store.db, 'send', runId);
    expect(acquireLock(store.db, 'send', { ...me, runId: other })).toBeNull();
  });

  it('takes over the lock of a process that no longer runs', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    const deadPid = child.pid ?? 0;
    await new Promise((resolve) => child.on('exit', resolve));
    acquireLock(store.db, 'send', { pid: deadPid, since: me.since, runId });
    const next = store.newRun('send', NOW);
    expect(acquireLock(store.db, 'send', { ...me, runId: next })).toEqual({ runId, pid: deadPid, host: expect.any(String) as unknown, since: me.since });
  });

  it('takes over the lock of a run that has ended', () => {
    acquireLock(store.db, 'send', { ...me, runId });
    finishRun(store.db, runId, NOW, 0, {});
    const next = store.newRun('send', NOW);
    expect(acquireLock(store.db, 'send', { ...me, runId: next })?.runId).toBe(runId);
  });
});
