import { afterEach, beforeEach, expect, it } from 'vitest';
import type { OrderRow } from '../support/exports.js';
import { createPgDatabase, describePg, pgQuery, pgStates, waitFor, type PgTestDatabase } from '../support/pg.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// send against PostgreSQL (issue 25), through the built CLI and a real SMTP server on 127.0.0.1:
// every (case, stage) is claimed once whichever process claims it, and one send runs at a time.

let sink: SmtpSink;
let world: Workspace;
let pg: PgTestDatabase;

function customers(count: number): OrderRow[] {
  return Array.from({ length: count }, (_, i) => ({ email: `kunde${i + 1}@example.de`, first: 'Anna', last: `Kunde ${i + 1}`, order: String(5001 + i), open: '49,00', due: '16.11.2026' }));
}

/** Runs dunning against the test database: --db URL, the sink as the SMTP server. */
function run(args: readonly string[]): ReturnType<Workspace['run']> {
  return world.run(['--db', pg.url, ...args], { DUNNING_SMTP_URL: sink.url });
}

function start(args: readonly string[]): ReturnType<Workspace['start']> {
  return world.start(['--db', pg.url, ...args], { DUNNING_SMTP_URL: sink.url });
}

async function importCustomers(count: number): Promise<void> {
  const result = await run(['import', world.writeExport(customers(count))]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

/** Messages each recipient got, by address. */
function receivedBy(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sink.received) for (const to of m.envelopeTo) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

describePg('send', () => {
  beforeEach(async () => {
    sink = await startSmtpSink();
    pg = await createPgDatabase();
    world = createWorld({ channel: 'smtp', smtp: { maxConnections: 3 } });
  });

  afterEach(async () => {
    world.cleanup();
    await sink.close();
    await pg.drop();
  });

  it('sends one message per customer to the SMTP server, records them sent, and sends nothing twice', async () => {
    await importCustomers(5);
    const first = await run(['send']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('5 messages planned: 5 sent, 0 failed.');
    expect(sink.received).toHaveLength(5);
    expect(await pgStates(pg.url)).toEqual({ sent: 5 });
    const again = await run(['send']);
    expect(again.code).toBe(0);
    expect(sink.received).toHaveLength(5);
  });

  it('a second send while one runs exits 3 naming the holder, and sends nothing', async () => {
    await importCustomers(3);
    sink.faults.set('kunde1@example.de', { kind: 'hold' });
    const first = start(['send']);
    await waitFor(() => Promise.resolve(sink.held.length === 1), 'the first message to wait for its answer');
    const second = await run(['send']);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/^error: another send is running: held by run \d+ \(pid \d+ on .+\) since 2026-11-23T08:00:00\.000Z\n/);
    sink.answerHeld();
    const done = await first.done;
    expect(done.code).toBe(0);
    expect([...receivedBy().values()]).toEqual([1, 1, 1]);
  });

  it('killed while a message waits for its answer: only that one is left sending, and the next send sweeps it to unknown', async () => {
    await importCustomers(6);
    sink.faults.set('kunde1@example.de', { kind: 'hang' });
    const killed = start(['send']);
    await waitFor(() => Promise.resolve(sink.hanging.length === 1 && sink.received.length === 5), 'every other message to be answered');
    await waitFor(async () => (await pgStates(pg.url)).sent === 5, 'the answered messages to be recorded');
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(await pgStates(pg.url)).toEqual({ sending: 1, sent: 5 });
    // The killed run's session ended with it, and its lock with the session: no stale lock.
    const status = await run(['status']);
    expect(status.stdout).toContain('1 message in state unknown');
    sink.faults.clear();
    const rerun = await run(['send']);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain('1 message was left "sending" by a run that died');
    expect(await pgStates(pg.url)).toEqual({ sent: 5, unknown: 1 });
    expect(sink.received).toHaveLength(5);
  });

  it('two sends at once against one database, 200 due customers: every customer gets exactly one message', { timeout: 120_000 }, async () => {
    await importCustomers(200);
    const [a, b] = await Promise.all([start(['send']).done, start(['send']).done]);
    // One ran and the other found the lock taken (exit 3), or the other came after and found nothing due.
    expect([a.code, b.code].sort()).toEqual(a.code === 3 || b.code === 3 ? [0, 3] : [0, 0]);
    const counts = receivedBy();
    expect(counts.size).toBe(200);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await pgStates(pg.url)).toEqual({ sent: 200 });
    const claims = await pgQuery<{ n: number }>(pg.url, 'SELECT count(*) AS n FROM message_cases GROUP BY case_id, stage HAVING count(*) > 1');
    expect(claims).toEqual([]);
  });
});
