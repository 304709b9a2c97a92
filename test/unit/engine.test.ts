import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DunningError } from '../../src/core/errors.js';
import { runSend, type SendOptions } from '../../src/send/engine.js';
import { acquireLock } from '../../src/store/lock.js';
import { countByState } from '../../src/store/messages.js';
import { TemplateSet } from '../../src/templates/render.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/world.js';

const MONDAY = new Date('2026-11-23T08:00:00Z');
const TUESDAY = new Date('2026-11-24T08:00:00Z');
const OPTIONS: SendOptions = { dryRun: false, retryUnknown: false, allowStale: true };
let store: TestStore;

beforeEach(() => {
  store = openTestStore({ limits: { perDay: 2, perSecond: 1 } });
});

afterEach(() => store.close());

function send(now: Date, options: Partial<SendOptions> = {}, signal?: AbortSignal): ReturnType<typeof runSend> {
  const templates = TemplateSet.load({ config: store.config, path: null, baseDir: store.dir });
  return runSend(
    {
      db: store.db, config: store.config, baseDir: store.dir, runId: store.newRun('send', now), clock: () => now, env: {},
      render: (request) => templates.render(request), sleep: () => Promise.resolve(), signal,
    },
    { ...OPTIONS, ...options },
  );
}

describe('runSend', () => {
  it('counts what went out today against perDay and sends the rest the next day', async () => {
    await store.importRows(MORNING, MONDAY);
    const monday = await send(MONDAY);
    expect([monday.planned, monday.sent, monday.skipped.held_by_limit]).toEqual([2, 2, 2]);
    const again = await send(MONDAY);
    expect(again.planned).toBe(0);
    expect(again.messages).toEqual([]);
    const tuesday = await send(TUESDAY);
    expect(tuesday.messages.map((m) => m.to)).toEqual(['Anna.Mueller@example.de', 'noah.fischer@example.de']);
  });

  it('stops after the batch in flight when interrupted; the rest is not attempted and not claimed', async () => {
    await store.importRows(MORNING, MONDAY);
    const abort = new AbortController();
    abort.abort();
    const report = await send(MONDAY, {}, abort.signal);
    expect(report.sent).toBe(1);
    expect(report.stopped?.reason).toBe('interrupted');
    expect(report.messages.map((m) => m.fate)).toEqual(['sent', 'not_attempted']);
    expect(countByState(store.db).sent).toBe(1);
    expect(countByState(store.db).sending).toBe(0);
  });

  it('plans a dry run while another send holds the lock, and writes nothing', async () => {
    await store.importRows(MORNING, MONDAY);
    acquireLock(store.db, 'send', { runId: store.newRun('send', MONDAY), pid: process.pid, since: MONDAY.toISOString() });
    const dry = await send(MONDAY, { dryRun: true });
    expect(dry.planned).toBe(2);
    expect(countByState(store.db)).toEqual({ sending: 0, sent: 0, failed: 0, unknown: 0 });
    await expect(send(MONDAY)).rejects.toMatchObject({ exitCode: 3 });
  });

  it('refuses a placeholder manage link before claiming anything', async () => {
    store.close();
    store = openTestStore({ manageLink: 'https://example.com/payment/{token}/manage' });
    await store.importRows(MORNING, MONDAY);
    const error = await send(MONDAY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DunningError);
    expect(error instanceof DunningError && error.details).toEqual(['source "elopage": "manageLink" is still the placeholder from "dunning init"']);
    expect(countByState(store.db).sending).toBe(0);
  });
});
