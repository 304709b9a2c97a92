import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReminders, type SendOptions } from '../../src/app/send/send.js';
import { showStatus } from '../../src/app/status.js';
import { CHANNELS } from '../../src/channels/index.js';
import { createRenderer } from '../../src/templates/index.js';
import { openTestStore, type TestStore } from '../support/store.js';

// Issue 19: a week of hourly cron runs of the 24 h / 72 h / 7 d follow-up, through the application
// layer over a real SQLite file and the outbox. At every run, status and a dry run must say what the
// send then does; every message must go in the first run at or after its moment, never before, once.

const OPTIONS: SendOptions = { dryRun: false, retryUnknown: false, allowStale: true, lines: { all: true, planned: 0 } };
const HOUR = 3_600_000;
// Orders left unpaid at 09:30 and 23:50 in Berlin on Monday 2025-03-03 (CET, UTC+1).
const ORDERS = [
  { email: 'morgens@example.de', order: 'M-1', open: '49,00', due: '03.03.2025 09:30' },
  { email: 'nachts@example.de', order: 'N-1', open: '99,00', due: '03.03.2025 23:50' },
];
const MOMENTS: Record<string, number> = {
  'M-1/reminder': Date.parse('2025-03-04T08:30:00Z'),
  'M-1/second': Date.parse('2025-03-06T08:30:00Z'),
  'M-1/final': Date.parse('2025-03-10T08:30:00Z'),
  'N-1/reminder': Date.parse('2025-03-04T22:50:00Z'),
  'N-1/second': Date.parse('2025-03-06T22:50:00Z'),
  'N-1/final': Date.parse('2025-03-10T22:50:00Z'),
};

let store: TestStore;

beforeAll(async () => {
  store = await openTestStore({
    sequence: {
      stages: [
        { name: 'reminder', after: '24h', template: 'reminder' },
        { name: 'second', after: '72h', template: 'second', payWithin: '48h' },
        { name: 'final', after: '7d', template: 'final', promo: { code: 'DANKE10', percentOff: 10, validHours: 24 } },
      ],
      minGap: '12h',
    },
  });
  await store.importRows(ORDERS, new Date('2025-03-03T23:55:00Z'));
});

afterAll(() => store.close());

async function send(now: Date, dryRun: boolean): ReturnType<typeof sendReminders> {
  return sendReminders(
    {
      store: store.store, config: store.config, baseDir: store.dir, runId: await store.newRun('send', now), clock: () => now, env: {},
      renderer: createRenderer(store.config, store.dir), channels: CHANNELS, sleep: () => Promise.resolve(),
    },
    { ...OPTIONS, dryRun },
  );
}

describe('a week of hourly runs', () => {
  it('sends each stage in the first run at or after its moment, once; status and the dry run agree with send at every run', async () => {
    const sentAt = new Map<string, number>();
    const start = Date.parse('2025-03-04T00:00:00Z');
    for (let t = start; t <= start + 8 * 24 * HOUR; t += HOUR) {
      const now = new Date(t);
      const status = await showStatus(store.store, store.config, now, { overdue: false, limit: undefined });
      const dueNow = status.rows.filter((r) => r.decision.stageIndex !== null).map((r) => `${r.case.orderId}/${r.decision.next?.stage ?? ''}`);
      const dry = await send(now, true);
      const real = await send(now, false);
      const planned = dry.messages.map((m) => `${m.orderIds.join(',')}/${m.stage}`);
      const sent = real.messages.filter((m) => m.fate === 'sent').map((m) => `${m.orderIds.join(',')}/${m.stage}`);
      expect(real.messages.every((m) => m.fate === 'sent')).toBe(true);
      expect([now.toISOString(), planned.sort()]).toEqual([now.toISOString(), [...sent].sort()]);
      expect([now.toISOString(), dueNow.sort()]).toEqual([now.toISOString(), [...sent].sort()]);
      for (const key of sent) {
        expect(sentAt.has(key), `${key} went twice`).toBe(false);
        sentAt.set(key, t);
      }
    }
    expect([...sentAt.keys()].sort()).toEqual(Object.keys(MOMENTS).sort());
    for (const [key, moment] of Object.entries(MOMENTS)) {
      const at = sentAt.get(key) ?? 0;
      // The first hourly run at or after the moment: never before it, and less than an hour after.
      expect([key, at >= moment && at - moment < HOUR]).toEqual([key, true]);
    }
  });

  it('tells status the next stage to the minute', async () => {
    const fresh = await openTestStore({ sequence: { stages: [{ name: 'reminder', after: '24h', template: 'reminder' }] } });
    try {
      await fresh.importRows([ORDERS[1] ?? { email: '', order: '', open: '', due: '' }], new Date('2025-03-03T23:55:00Z'));
      const status = await showStatus(fresh.store, fresh.config, new Date('2025-03-04T12:00:00Z'), { overdue: false, limit: undefined });
      expect(status.rows[0]?.decision.next).toMatchObject({ stage: 'reminder', on: '2025-03-04', at: '2025-03-04T22:50:00.000Z' });
    } finally {
      await fresh.close();
    }
  });
});
