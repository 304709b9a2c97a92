import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createWorld, waitUntil, type Workspace } from '../support/workspace.js';
import type { OrderRow } from '../support/exports.js';

// Each message is claimed just before a connection takes it and recorded when the server answers:
// a killed run leaves `sending` only what was in flight, and a case paid meanwhile gets nothing.

let sink: SmtpSink;
let world: Workspace;

beforeEach(async () => {
  sink = await startSmtpSink();
});

afterEach(async () => {
  world.cleanup();
  await sink.close();
});

function customers(count: number): OrderRow[] {
  return Array.from({ length: count }, (_, i) => ({ email: `kunde${i + 1}@example.de`, first: 'Anna', last: `Kunde ${i + 1}`, order: String(5001 + i), open: '49,00', due: '16.11.2026' }));
}

function states(): Record<string, number> {
  const db = new Database(world.dbPath, { readonly: true });
  try {
    const rows = db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM messages GROUP BY state').all();
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

describe('send hands messages over one at a time', () => {
  it('records each message as its answer arrives: killed while one message waits for its answer, only that one is left sending', async () => {
    world = createWorld({ channel: 'smtp', smtp: { maxConnections: 3 } });
    expect((await world.run(['import', world.writeExport(customers(12))])).code).toBe(0);
    const env = { DUNNING_SMTP_URL: sink.url };
    sink.faults.set('kunde1@example.de', { kind: 'hang' });
    const killed = world.start(['send'], env);
    await waitUntil(() => sink.hanging.length === 1 && sink.received.length === 11, 'every other message to be answered');
    await waitUntil(() => states().sent === 11, 'the answered messages to be recorded');
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(states()).toEqual({ sent: 11, sending: 1 });
    // Before any next send, status and the customer view already say what that message may be.
    const status = await world.run(['status']);
    expect(status.stdout).toContain('1 message in state unknown');
    const customer = await world.run(['customer', 'kunde1@example.de']);
    expect(customer.stdout).toContain('possibly sent (the run that sent it died)');

    sink.faults.clear();
    const rerun = await world.run(['send'], env);
    expect(rerun.stderr).toContain('1 message was left "sending" by a run that died');
    expect(sink.received).toHaveLength(11);
  });

  it('skips a customer whose order was paid (a snapshot import) while the run was sending', async () => {
    world = createWorld({ channel: 'smtp', smtp: { pool: true, maxConnections: 1 } });
    const all = customers(6);
    expect((await world.run(['import', world.writeExport(all)])).code).toBe(0);
    sink.faults.set('kunde1@example.de', { kind: 'hold' });
    const sending = world.start(['send', '--json'], { DUNNING_SMTP_URL: sink.url });
    await waitUntil(() => sink.held.length === 1, 'the first message to wait for its answer');
    // Customers 2 to 4 paid: the next export lists only 1, 5 and 6.
    const paid = await world.run(['import', world.writeExport([all[0]!, all[4]!, all[5]!], 'later.csv')]);
    expect(paid.code).toBe(0);
    expect(paid.stdout).toContain('3 closed as paid');
    sink.answerHeld();
    const result = await sending.done;
    expect(result.code).toBe(0);
    expect(sink.received.map((m) => m.envelopeTo[0])).toEqual(['kunde1@example.de', 'kunde5@example.de', 'kunde6@example.de']);
    const report = JSON.parse(result.stdout) as { sent: number; skipped: Record<string, number> };
    expect(report.sent).toBe(3);
    expect(report.skipped.closed_since_plan).toBe(3);
  });

  it('skips a customer the merchant stopped while the run was sending', async () => {
    world = createWorld({ channel: 'smtp', smtp: { pool: true, maxConnections: 1 } });
    expect((await world.run(['import', world.writeExport(customers(3))])).code).toBe(0);
    sink.faults.set('kunde1@example.de', { kind: 'hold' });
    const sending = world.start(['send', '--json'], { DUNNING_SMTP_URL: sink.url });
    await waitUntil(() => sink.held.length === 1, 'the first message to wait for its answer');
    expect((await world.run(['customer', 'kunde2@example.de', '--stop'])).code).toBe(0);
    sink.answerHeld();
    const result = await sending.done;
    expect(sink.received.map((m) => m.envelopeTo[0])).toEqual(['kunde1@example.de', 'kunde3@example.de']);
    expect((JSON.parse(result.stdout) as { skipped: Record<string, number> }).skipped.stopped_since_plan).toBe(1);
  });
});

describe('send --retry-unknown', () => {
  it('releases only the unknown messages --email selects, says how many, and the next send resends none of the others', async () => {
    world = createWorld({ channel: 'smtp', smtp: { maxConnections: 3 } });
    expect((await world.run(['import', world.writeExport(customers(3))])).code).toBe(0);
    const env = { DUNNING_SMTP_URL: sink.url };
    for (const n of [1, 2, 3]) sink.faults.set(`kunde${n}@example.de`, { kind: 'hang' });
    const killed = world.start(['send'], env);
    await waitUntil(() => sink.hanging.length === 3, 'three messages to hang at the server');
    killed.child.kill('SIGKILL');
    await killed.done;
    sink.faults.clear();

    const one = await world.run(['send', '--retry-unknown', '--email', 'KUNDE2@example.de'], env);
    expect(one.code).toBe(0);
    expect(one.stdout + one.stderr).toContain('--retry-unknown: 1 unknown message released; its case was planned again; 2 not selected by --email/--stage/--limit stay unknown.');
    expect(sink.received.map((m) => m.envelopeTo[0])).toEqual(['kunde2@example.de']);
    const plain = await world.run(['send'], env);
    expect(plain.stdout).toContain('2 waiting on a message in state unknown');
    expect(sink.received).toHaveLength(1);
    expect(states()).toMatchObject({ unknown: 2, sent: 1 });
  });
});

describe('send with credentials', () => {
  it('stops before any message when the server offers no login (exit 2)', async () => {
    await sink.close();
    sink = await startSmtpSink({ noLogin: true });
    world = createWorld({ channel: 'smtp' });
    expect((await world.run(['import', world.writeExport(customers(2))])).code).toBe(0);
    const withCredentials = sink.url.replace('smtp://', 'smtp://shop:secret@');
    const result = await world.run(['send'], { DUNNING_SMTP_URL: withCredentials });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the SMTP server 127\.0\.0\.1:\d+ offers no login, but DUNNING_SMTP_URL has a user name and password: nothing was sent/);
    expect(result.stderr).not.toContain('secret');
    expect(sink.received).toHaveLength(0);
    expect(states()).toEqual({});
  });
});
