import type { AddressObject } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, unusedPort, type Received, type SmtpSink } from '../support/smtp-sink.js';
import { createWorld, waitUntil, type Workspace } from '../support/workspace.js';
import { MORNING } from '../support/exports.js';

// `npm test` builds first; these tests run bin/dunning as a user would, against a real SMTP server on 127.0.0.1.

let sink: SmtpSink;
let world: Workspace;

beforeEach(async () => {
  sink = await startSmtpSink();
});

afterEach(async () => {
  await sink.close();
  world.cleanup();
});

function smtpWorld(config: Record<string, unknown> = {}): Workspace {
  world = createWorld({ channel: 'smtp', ...config });
  return world;
}

async function importMorning(): Promise<void> {
  const result = await world.run(['import', world.writeExport(MORNING)]);
  expect(result.code).toBe(0);
}

function toOf(message: Received): { address?: string; name: string }[] {
  const to: AddressObject | AddressObject[] | undefined = message.parsed.to;
  return (Array.isArray(to) ? to : to === undefined ? [] : [to]).flatMap((a) => a.value);
}

function messagesTo(address: string): Received[] {
  return sink.received.filter((m) => m.envelopeTo.includes(address));
}

interface MessageRow {
  recipient: string;
  state: string;
  permanent: number;
  error: string | null;
  response: string | null;
}

describe('dunning send --channel smtp', () => {
  it('sends one message per customer with recipients, headers, amounts and links, and never twice', async () => {
    smtpWorld({ sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', replyTo: 'help@yoga-sonne.de', bcc: 'books@yoga-sonne.de' } });
    await importMorning();
    const env = { DUNNING_SMTP_URL: sink.url };
    const first = await world.run(['send'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 messages planned: 3 sent, 0 failed.');
    expect(sink.received).toHaveLength(3);

    const [anna] = messagesTo('anna.mueller@example.de');
    expect(anna).toBeDefined();
    if (anna === undefined) return;
    // The customer and the merchant's accounting, nobody else; the Bcc never shows in the headers.
    expect(anna.envelopeTo).toEqual(['anna.mueller@example.de', 'books@yoga-sonne.de']);
    expect(anna.envelopeFrom).toBe('billing@yoga-sonne.de');
    // The address as the newest export row wrote it.
    expect(toOf(anna)).toEqual([{ address: 'Anna.Mueller@example.de', name: 'Anna Müller' }]);
    expect(anna.parsed.headers.has('bcc')).toBe(false);
    expect(anna.parsed.replyTo?.value[0]?.address).toBe('help@yoga-sonne.de');
    expect(anna.parsed.messageId).toMatch(/^<dunning\.reminder\.[0-9a-f]{24}@yoga-sonne\.de>$/);
    const caseIds = world.query<{ id: number }>("SELECT id FROM cases WHERE email_key = 'anna.mueller@example.de' ORDER BY due_date").map((r) => r.id);
    expect(anna.parsed.headers.get('x-dunning-case')).toBe(caseIds.join(', '));
    expect(anna.parsed.headers.get('x-dunning-stage')).toBe('reminder');
    // One message lists both of Anna's orders, each with its own amount and link.
    expect(anna.parsed.text).toMatch(/49,00\s€/);
    expect(anna.parsed.text).toMatch(/19,90\s€/);
    expect(anna.parsed.text).toContain('https://pay.yoga-sonne.de/payment/tk_0000000000004711/manage');
    expect(anna.parsed.text).toContain('https://pay.yoga-sonne.de/payment/tk_0000000000004720/manage');
    expect(anna.parsed.html).toContain('href="https://pay.yoga-sonne.de/payment/tk_0000000000004720/manage"');
    const [ben] = messagesTo('ben.schaefer@example.de');
    expect(ben?.parsed.text).toMatch(/1\.234,56\s€/);
    expect(ben?.parsed.text).not.toContain('4711');
    expect(messagesTo('noah.fischer@example.de')).toHaveLength(0);

    const rows = world.query<MessageRow>('SELECT recipient, state, response FROM messages ORDER BY id');
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(rows.every((r) => /^250 .*queued as sink-\d$/.test(r.response ?? ''))).toBe(true);

    const again = await world.run(['send'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 messages planned');
    expect(sink.received).toHaveLength(3);
  });

  it('retries a temporary refusal (451) and a dropped connection, and delivers each message once', async () => {
    smtpWorld();
    await importMorning();
    sink.faults.set('ben.schaefer@example.de', { kind: 'reply', code: 451, message: 'greylisted, try again', times: 1 });
    sink.faults.set('clara.weiss@example.de', { kind: 'drop', times: 1 });
    const result = await world.run(['send'], { DUNNING_SMTP_URL: sink.url });
    expect(result.code).toBe(0);
    expect(sink.attempts.get('ben.schaefer@example.de')).toBe(2);
    expect(sink.attempts.get('clara.weiss@example.de')).toBe(2);
    for (const address of ['anna.mueller@example.de', 'ben.schaefer@example.de', 'clara.weiss@example.de']) expect(messagesTo(address)).toHaveLength(1);
    expect(world.query<MessageRow>('SELECT state FROM messages').map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('records a message whose answer was lost after its data as unknown, never sends it twice, and sends it again only with --retry-unknown', async () => {
    smtpWorld();
    await importMorning();
    const env = { DUNNING_SMTP_URL: sink.url };
    sink.faults.set('clara.weiss@example.de', { kind: 'drop', at: 'data', times: 1 });
    const result = await world.run(['send'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ended after the message was handed over and before the server confirmed it/);
    expect(messagesTo('clara.weiss@example.de')).toHaveLength(1);
    expect(world.query<MessageRow>("SELECT state FROM messages WHERE recipient = 'clara.weiss@example.de'")).toEqual([{ state: 'unknown' }]);
    expect(world.query<MessageRow>("SELECT state FROM messages WHERE recipient <> 'clara.weiss@example.de'").map((r) => r.state)).toEqual(['sent', 'sent']);

    const again = await world.run(['send'], env);
    expect(again.stdout).toContain('1 waiting on a message in state unknown');
    expect(messagesTo('clara.weiss@example.de')).toHaveLength(1);
    // The merchant checked and found nothing arrived: only then is it sent again.
    const retried = await world.run(['send', '--retry-unknown'], env);
    expect(retried.code).toBe(0);
    expect(messagesTo('clara.weiss@example.de')).toHaveLength(2);
    expect(sink.attempts.get('clara.weiss@example.de')).toBe(2);
  });

  it('records a permanent refusal (550) while the Bcc copy goes through, sends the others, exits 1, and does not retry the address', async () => {
    smtpWorld({ sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', bcc: 'books@yoga-sonne.de' } });
    await importMorning();
    sink.faults.set('clara.weiss@example.de', { kind: 'reply', code: 550, message: 'No such user here' });
    const env = { DUNNING_SMTP_URL: sink.url };
    const result = await world.run(['send'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('3 messages planned: 2 sent, 1 failed.');
    expect(result.stderr).toMatch(/refused: clara\.weiss@example\.de \(reminder, order 4713\): 550 .*No such user here/);
    // The server took the message for the accountant alone: a partial acceptance, a failure for the customer.
    expect(sink.received.filter((m) => m.parsed.headers.get('x-dunning-stage') === 'reminder' && toOf(m)[0]?.address === 'clara.weiss@example.de').map((m) => m.envelopeTo)).toEqual([
      ['books@yoga-sonne.de'],
    ]);
    const clara = world.query<MessageRow>("SELECT state, permanent, error FROM messages WHERE recipient = 'clara.weiss@example.de'");
    expect(clara).toEqual([{ state: 'failed', permanent: 1, error: expect.stringContaining('550') as unknown }]);

    const next = await world.run(['send'], env);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('1 last message refused by the server');
    expect(sink.attempts.get('clara.weiss@example.de')).toBe(1);
  });

  it('stops after limits.maxErrors failures in a row when the server keeps dropping connections, and the next run catches up', async () => {
    // One message a batch, so that the run can stop between messages.
    smtpWorld({ limits: { maxErrors: 2 }, smtp: { pool: false } });
    await importMorning();
    for (const address of ['anna.mueller@example.de', 'ben.schaefer@example.de', 'clara.weiss@example.de']) sink.faults.set(address, { kind: 'drop' });
    const env = { DUNNING_SMTP_URL: sink.url };
    const result = await world.run(['send'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The run stopped: 2 messages failed in a row (limits.maxErrors is 2)');
    // Anna's message (two cases) was not attempted.
    expect(result.stdout).toContain('2 not attempted: the run stopped');
    expect(sink.received).toHaveLength(0);
    expect(world.query<MessageRow>('SELECT state FROM messages').map((r) => r.state)).toEqual(['failed', 'failed']);

    sink.faults.clear();
    const next = await world.run(['send'], env);
    expect(next.code).toBe(0);
    expect(sink.received).toHaveLength(3);
    expect(new Set(sink.received.map((m) => m.envelopeTo[0])).size).toBe(3);
  });

  it('stops with a clear message when the server cannot be reached', async () => {
    smtpWorld({ limits: { maxErrors: 2 } });
    await importMorning();
    const port = await unusedPort();
    const result = await world.run(['send'], { DUNNING_SMTP_URL: `smtp://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The run stopped: \d messages failed in a row \(limits\.maxErrors is 2\)/);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expect(world.query<MessageRow>("SELECT state FROM messages WHERE state != 'failed'")).toEqual([]);
  });

  it('refuses channel smtp without DUNNING_SMTP_URL before anything is claimed (exit 2)', async () => {
    smtpWorld();
    await importMorning();
    const result = await world.run(['send']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DUNNING_SMTP_URL');
    expect(world.query('SELECT id FROM messages')).toEqual([]);
  });

  it('stops on a refused login without printing the password, and sends once the password is right', async () => {
    await sink.close();
    sink = await startSmtpSink({ auth: { user: 'shop', pass: 'right-one' } });
    smtpWorld();
    await importMorning();
    const wrong = sink.url.replace('right-one', 's3cret-wrong');
    const result = await world.run(['send'], { DUNNING_SMTP_URL: wrong });
    // Refused before any message was claimed: nothing attempted, a configuration error.
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the SMTP server 127\.0\.0\.1:\d+ refused the login: .*: nothing was sent/);
    expect(world.query('SELECT id FROM messages')).toEqual([]);
    expect(result.stderr).toContain('check the user name and password in DUNNING_SMTP_URL');
    expect(result.stdout + result.stderr).not.toContain('s3cret-wrong');
    expect(world.query<{ args: string }>("SELECT args FROM runs WHERE command = 'send'")[0]?.args).not.toContain('s3cret-wrong');
    const next = await world.run(['send'], { DUNNING_SMTP_URL: sink.url });
    expect(next.code).toBe(0);
    expect(sink.received).toHaveLength(3);
  });

  it('after a run killed mid-send: the message becomes unknown, is reported, and is not sent again until --retry-unknown', async () => {
    smtpWorld({ smtp: { pool: false } });
    await importMorning();
    const env = { DUNNING_SMTP_URL: sink.url };
    sink.faults.set('clara.weiss@example.de', { kind: 'hang' });
    const killed = world.start(['send'], env);
    await waitUntil(() => sink.hanging.length === 1, 'the message to hang at the server');
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    sink.faults.clear();

    const rerun = await world.run(['send'], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/took over the lock of run \d+ \(pid \d+, since .*\), which is no longer running/);
    expect(rerun.stderr).toContain('1 message was left "sending" by a run that died');
    expect(rerun.stderr).toContain('1 message in state unknown');
    expect(messagesTo('clara.weiss@example.de')).toHaveLength(0);
    expect(messagesTo('ben.schaefer@example.de')).toHaveLength(1);
    const status = await world.run(['status']);
    expect(status.stdout).toContain('1 message in state unknown');
    expect(status.stdout).toMatch(/clara\.weiss@example\.de\s+reminder\s+4713/);
    expect(status.stdout).toMatch(/Clara Weiß <clara\.weiss@example\.de>.*–\s+"reminder" may or may not have been sent \(state unknown\)/);

    const again = await world.run(['send'], env);
    expect(again.stdout).toContain('1 waiting on a message in state unknown');
    expect(messagesTo('clara.weiss@example.de')).toHaveLength(0);
    const retried = await world.run(['send', '--retry-unknown'], env);
    expect(retried.code).toBe(0);
    expect(messagesTo('clara.weiss@example.de')).toHaveLength(1);
    expect(sink.received).toHaveLength(3);
  });

  it('lets only one send run at a time: the second exits 3 at once, naming the holder', async () => {
    smtpWorld({ smtp: { pool: false } });
    await importMorning();
    const env = { DUNNING_SMTP_URL: sink.url };
    sink.faults.set('clara.weiss@example.de', { kind: 'hang' });
    const first = world.start(['send'], env);
    await waitUntil(() => sink.hanging.length === 1, 'the first run to be sending');
    const second = await world.run(['send'], env);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/another send is running: held by run \d+ \(pid \d+ on .+\) since 2026-11-23T08:00:00\.000Z/);
    first.child.kill('SIGKILL');
    await first.done;
  });
});
