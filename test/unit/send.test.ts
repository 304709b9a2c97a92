import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendReminders, type SendOptions } from '../../src/app/send/send.js';
import { CHANNELS } from '../../src/channels/index.js';
import { DunningError } from '../../src/core/errors.js';
import { createRenderer } from '../../src/templates/index.js';
import { openTestStore, type TestStore } from '../support/store.js';
import { MORNING } from '../support/exports.js';

const MONDAY = new Date('2026-11-23T08:00:00Z');
const TUESDAY = new Date('2026-11-24T08:00:00Z');
const OPTIONS: SendOptions = { dryRun: false, retryUnknown: false, allowStale: true, lines: { all: true, planned: 0 } };
let store: TestStore;

beforeEach(async () => {
  store = await openTestStore({ limits: { perDay: 2, perSecond: 1 } });
});

afterEach(() => store.close());

async function send(now: Date, options: Partial<SendOptions> = {}, signal?: AbortSignal): ReturnType<typeof sendReminders> {
  return sendReminders(
    {
      store: store.store, config: store.config, baseDir: store.dir, runId: await store.newRun('send', now), clock: () => now, env: {},
      renderer: createRenderer(store.config, store.dir), channels: CHANNELS, sleep: () => Promise.resolve(), signal,
    },
    { ...OPTIONS, ...options },
  );
}

const states = (): ReturnType<TestStore['store']['messages']['countByState']> => store.store.messages.countByState();

describe('sendReminders', () => {
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

  it('claims nothing more once interrupted: what was not handed over is not attempted and not claimed', async () => {
    await store.importRows(MORNING, MONDAY);
    const abort = new AbortController();
    abort.abort();
    const report = await send(MONDAY, {}, abort.signal);
    expect(report.sent).toBe(0);
    expect(report.stopped?.reason).toBe('interrupted');
    expect(report.messages.map((m) => m.fate)).toEqual(['not_attempted', 'not_attempted']);
    expect((await states()).sent).toBe(0);
    expect((await states()).sending).toBe(0);
  });

  it('plans a dry run while another send holds the lock, and writes nothing', async () => {
    await store.importRows(MORNING, MONDAY);
    await store.store.locks.acquire('send', { runId: await store.newRun('send', MONDAY), pid: process.pid, since: MONDAY.toISOString() });
    const dry = await send(MONDAY, { dryRun: true });
    expect(dry.planned).toBe(2);
    expect(await states()).toEqual({ sending: 0, sent: 0, failed: 0, unknown: 0 });
    await expect(send(MONDAY)).rejects.toMatchObject({ exitCode: 3 });
  });

  it('refuses a placeholder manage link before claiming anything', async () => {
    await store.close();
    store = await openTestStore({ manageLink: 'https://example.com/payment/{token}/manage' });
    await store.importRows(MORNING, MONDAY);
    const error = await send(MONDAY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DunningError);
    expect(error instanceof DunningError && error.details).toEqual(['source "elopage": "manageLink" is still the placeholder from "dunning init"']);
    expect((await states()).sending).toBe(0);
  });
});
