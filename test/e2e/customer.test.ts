import { describe, expect, it } from 'vitest';
import { query, runsOf } from '../support/db.js';
import { elopageCsv, row } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace } from '../support/workspace.js';

async function imported() {
  const ws = workspace();
  const file = ws.write('export.csv', elopageCsv([row(1, { email: 'anna@example.de' }), row(2, { email: 'Anna@Example.de', due: '21.11.2026' }), row(3)]));
  expect((await ws.dunning('import', file)).code).toBe(0);
  return ws;
}

describe('dunning customer', () => {
  it('snoozes a customer for ten days, whatever case the address is written in', async () => {
    const ws = await imported();
    const result = await ws.dunning('customer', 'ANNA@example.de', '--snooze', '10d');
    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(0, 2)).toEqual(['Changed: snooze', 'Anna Müller <Anna@example.de>  snoozed until 2026-12-03']);
    expect(query(ws.db, 'SELECT * FROM customer_controls')).toEqual([{ email_key: 'anna@example.de', snoozed_until: '2026-12-03', stopped_at: null, stop_reason: null }]);
    expect(runsOf(ws.db).at(-1)).toMatchObject({ command: 'customer', exit_code: 0 });
  });

  it('stops one order with a reason, adds a dated note, and resume lifts every hold', async () => {
    const ws = await imported();
    expect((await ws.dunning('customer', 'anna@example.de', '--order', '1001', '--stop', '--reason', 'zahlt per Überweisung')).code).toBe(0);
    expect(query(ws.db, "SELECT order_id, stopped_at, stop_reason FROM cases WHERE email_key = 'anna@example.de' ORDER BY order_id")).toEqual([
      { order_id: '1001', stopped_at: '2026-11-23T08:00:00.000Z', stop_reason: 'zahlt per Überweisung' },
      { order_id: '1002', stopped_at: null, stop_reason: null },
    ]);
    const noted = await ws.dunning('customer', 'anna@example.de', '--note', 'Rückruf am Montag');
    expect(noted.stdout).toContain('Note 2026-11-23T08:00:00.000Z: Rückruf am Montag');
    expect((await ws.dunning('customer', 'anna@example.de', '--until', '2026-12-24')).code).toBe(0);
    const resumed = await ws.dunning('customer', 'anna@example.de', '--resume');
    expect(resumed.code).toBe(0);
    expect(lines(resumed.stdout)[1]).toBe('Anna Müller <Anna@example.de>  reminders active');
    expect(query(ws.db, 'SELECT snoozed_until, stopped_at FROM customer_controls')).toEqual([{ snoozed_until: null, stopped_at: null }]);
    expect(query(ws.db, "SELECT count(*) AS n FROM cases WHERE stopped_at IS NOT NULL")).toEqual([{ n: 0 }]);
  });

  it('prints one JSON document with --json', async () => {
    const ws = await imported();
    const result = await ws.dunning('--json', 'customer', 'anna@example.de');
    const doc = JSON.parse(result.stdout) as { cases: unknown[]; messages: unknown[] };
    expect(doc.cases).toHaveLength(2);
    expect(doc.messages).toEqual([]);
  });

  it.each([
    [['nobody@example.de'], 'error: no customer nobody@example.de in the database'],
    [['anna@example.de', '--snooze', '10d', '--stop'], 'error: give one of --snooze, --until, --stop and --resume at a time'],
    [['anna@example.de', '--reason', 'x'], 'error: --reason goes with --stop'],
    [['anna@example.de', '--snooze', 'soon'], 'error: --snooze: "soon" is neither a duration (10d, 2w) nor a date (YYYY-MM-DD)'],
    [['anna@example.de', '--until', '2026-11-01'], 'error: --until: 2026-11-01 is not in the future (today is 2026-11-23)'],
    [['anna@example.de', '--order', '9999', '--stop'], 'error: anna@example.de has no order "9999"'],
  ])('refuses %j with exit 2 and changes nothing', async (args, message) => {
    const ws = await imported();
    const before = ws.store();
    const result = await ws.dunning('customer', ...args);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(message);
    expect(ws.store()).toEqual(before);
    expect(query(ws.db, 'SELECT count(*) AS n FROM customer_controls')).toEqual([{ n: 0 }]);
  });
});
