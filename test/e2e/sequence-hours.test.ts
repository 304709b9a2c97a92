import { describe, expect, it } from 'vitest';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 19 through the built CLI: stages in hours, measured from the time of day the export gives,
// with `--now` moving as an hourly cron would; status, the dry run and send agree at every run.

const SEQUENCE = {
  stages: [
    { name: 'reminder', after: '24h', template: 'reminder' },
    { name: 'second', after: '72h', template: 'second', payWithin: '48h' },
    { name: 'final', after: '7d', template: 'final' },
  ],
  minGap: '12h',
};
const ORDERS = [
  { email: 'morgens@example.de', first: 'Mia', order: 'M-1', open: '49,00', due: '03.03.2025 09:30' },
  { email: 'nachts@example.de', first: 'Nils', order: 'N-1', open: '99,00', due: '03.03.2025 23:50' },
];

interface StatusJson { cases: { orderId: string; skip: { reason: string } | null; next: { stage: string; at: string } | null }[] }
interface SendJson { messages: { orderIds: string[]; stage: string; fate: string }[] }

async function json<T>(world: Workspace, args: string[]): Promise<T> {
  const result = await world.run(args);
  expect([args.join(' '), result.code, result.stderr]).toEqual([args.join(' '), 0, expect.any(String)]);
  return JSON.parse(result.stdout) as T;
}

describe('a sequence in hours through the CLI', () => {
  it('sends each stage at the first run at or after its moment; status and --dry-run say the same at every run', { timeout: 180_000 }, async () => {
    const world = createWorld({ sequence: SEQUENCE });
    expect((await world.run(['--now', '2025-03-04T00:00:00Z', 'import', world.writeExport(ORDERS)])).code).toBe(0);
    const runs = ['2025-03-04T08:00:00Z', '2025-03-04T09:00:00Z', '2025-03-04T22:00:00Z', '2025-03-04T23:00:00Z', '2025-03-06T09:00:00Z', '2025-03-06T23:00:00Z'];
    const sent: string[] = [];
    for (const now of runs) {
      const status = await json<StatusJson>(world, ['--now', now, '--json', 'status']);
      const dueNow = status.cases.filter((c) => c.skip === null).map((c) => `${c.orderId}/${c.next?.stage ?? ''}`);
      const dry = await json<SendJson>(world, ['--now', now, '--json', 'send', '--dry-run', '--allow-stale']);
      const real = await json<SendJson>(world, ['--now', now, '--json', 'send', '--allow-stale']);
      const planned = dry.messages.map((m) => `${m.orderIds.join(',')}/${m.stage}`);
      const went = real.messages.filter((m) => m.fate === 'sent').map((m) => `${m.orderIds.join(',')}/${m.stage}`);
      expect([now, dueNow.sort(), planned.sort()]).toEqual([now, [...went].sort(), [...went].sort()]);
      sent.push(...went.map((w) => `${now} ${w}`));
    }
    expect(sent).toEqual([
      '2025-03-04T09:00:00Z M-1/reminder',
      '2025-03-04T23:00:00Z N-1/reminder',
      '2025-03-06T09:00:00Z M-1/second',
      '2025-03-06T23:00:00Z N-1/second',
    ]);
    const rows = world.query<{ stage: string; created_at: string }>('SELECT stage, created_at FROM messages ORDER BY id');
    expect(rows.map((r) => r.created_at)).toEqual(['2025-03-04T09:00:00.000Z', '2025-03-04T23:00:00.000Z', '2025-03-06T09:00:00.000Z', '2025-03-06T23:00:00.000Z']);
  });

  it('status shows the next stage to the minute in timeZone, and --json as an ISO date-time', async () => {
    const world = createWorld({ sequence: SEQUENCE });
    await world.run(['--now', '2025-03-04T00:00:00Z', 'import', world.writeExport(ORDERS)]);
    const table = await world.run(['--now', '2025-03-04T12:00:00Z', 'status']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/N-1 .*reminder 2025-03-04 23:50/);
    const status = await json<StatusJson>(world, ['--now', '2025-03-04T12:00:00Z', '--json', 'status']);
    expect(status.cases.find((c) => c.orderId === 'N-1')?.next).toMatchObject({ stage: 'reminder', at: '2025-03-04T22:50:00.000Z' });
  });

  it('refuses a duration it cannot read, with the key path, exit 2, and nothing done', async () => {
    const world = createWorld({ sequence: { stages: [{ name: 'reminder', after: '3 days', template: 'reminder' }], minGap: '2x' } });
    const result = await world.run(['status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sequence.stages.0.after: "3 days" is not a duration');
    expect(result.stderr).toContain('sequence.minGap: "2x" is not a duration');
    expect(world.store()).toBeNull();
  });

  it('refuses "after" and "afterDays" on one stage, and a repeat on any stage but the last', async () => {
    const world = createWorld({
      sequence: {
        stages: [
          { name: 'reminder', after: '1d', afterDays: 1, template: 'reminder' },
          { name: 'second', after: '3d', template: 'second', repeat: { every: '7d', times: 2 } },
          { name: 'final', after: '7d', template: 'final' },
        ],
      },
    });
    const result = await world.run(['status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sequence.stages.0.after: give "after" or "afterDays", not both');
    world.write('dunning.config.json', JSON.stringify({ timeZone: 'Europe/Berlin', sequence: { stages: [
      { name: 'reminder', after: '1d', template: 'reminder', repeat: { every: '7d', times: 2 } },
      { name: 'final', after: '7d', template: 'final' },
    ] } }));
    const again = await world.run(['status']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('sequence.stages.0.repeat: only the last stage may repeat');
  });
});
