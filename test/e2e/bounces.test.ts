import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MORNING } from '../support/exports.js';
import { arf, autoReply, dsn, mboxOf } from '../support/reports.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 23: bounces and complaints stop the reminders. Reports read from an mbox, a Maildir folder
// and single .eml files, matched to our messages by Message-ID (X-Dunning-Case as a fallback).

const LATER = '2026-11-26T09:00:00+01:00';

let world: Workspace;
afterEach(() => world.cleanup());

async function sendMorning(): Promise<Map<string, { messageId: string; cases: string }>> {
  world = createWorld();
  expect((await world.run(['import', world.writeExport(MORNING)])).code).toBe(0);
  expect((await world.run(['send'])).code).toBe(0);
  const rows = world.query<{ email_key: string; message_id: string; cases: string }>(
    'SELECT m.email_key, m.message_id, group_concat(mc.case_id) AS cases FROM messages m JOIN message_cases mc ON mc.message_id = m.id GROUP BY m.id',
  );
  return new Map(rows.map((r) => [r.email_key, { messageId: r.message_id, cases: r.cases }]));
}

function suppressions(): { email_key: string; reason: string; detail: string }[] {
  return world.query('SELECT email_key, reason, detail FROM suppressions ORDER BY email_key');
}

describe('dunning bounces import', () => {
  it('a hard bounce and a complaint stop those customers; the others get their next stage; status and customer say why', async () => {
    const sent = await sendMorning();
    const clara = sent.get('clara.weiss@example.de');
    const ben = sent.get('ben.schaefer@example.de');
    world.write(
      'bounces.mbox',
      mboxOf([
        dsn({ id: '<dsn-1@mx.example.net>', date: 'Tue, 24 Nov 2026 10:00:00 +0100', recipient: 'clara.weiss@example.de', status: '5.1.1', originalMessageId: clara?.messageId }),
        // Only X-Dunning-Case names the message (a feedback loop that strips the Message-ID).
        arf({ id: '<arf-1@feedback.example.net>', date: 'Tue, 24 Nov 2026 11:00:00 +0100', recipient: 'ben.schaefer@example.de', originalCase: ben?.cases }),
        dsn({ id: '<dsn-2@mx.example.net>', date: 'Tue, 24 Nov 2026 12:00:00 +0100', recipient: 'someone@example.org', status: '5.1.1', originalMessageId: '<newsletter-77@yoga-sonne.de>' }),
        autoReply({ id: '<ooo-1@example.de>', date: 'Tue, 24 Nov 2026 09:00:00 +0100' }),
      ]),
    );
    const result = await world.run(['bounces', 'import', 'bounces.mbox']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 messages read: 1 hard bounce, 0 temporary failures, 1 complaint, 1 about other mail, 1 not a report, 0 read before.');
    expect(result.stdout).toContain('clara.weiss@example.de: address bounced 2026-11-24: 5.1.1 Recipient address rejected: User unknown in virtual mailbox table (bounces.mbox, message 1)');
    expect(result.stdout).toContain('ben.schaefer@example.de: the customer reported a message as spam 2026-11-24: abuse report (bounces.mbox, message 2)');
    expect(suppressions().map((s) => [s.email_key, s.reason])).toEqual([
      ['ben.schaefer@example.de', 'complained'],
      ['clara.weiss@example.de', 'bounced'],
    ]);

    // The same file again changes nothing.
    const again = await world.run(['--json', 'bounces', 'import', 'bounces.mbox']);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 4, permanent: 0, complaints: 0, otherMail: 0, already: 3, stopped: [] });
    expect(world.query<{ n: number }>('SELECT count(*) AS n FROM delivery_reports')[0]?.n).toBe(3);

    const status = await world.run(['--now', LATER, 'status']);
    expect(status.stdout).toContain('address bounced 2026-11-24: 5.1.1 Recipient address rejected: User unknown in virtual mailbox table; follow up by hand');
    const customer = await world.run(['customer', 'clara.weiss@example.de']);
    expect(customer.stdout).toContain('address bounced 2026-11-24: 5.1.1 Recipient address rejected');

    // Three days later: Anna gets her second stage, Clara and Ben nothing.
    expect((await world.run(['--now', LATER, 'import', world.writeExport(MORNING), '--force'])).code).toBe(0);
    const later = await world.run(['--now', LATER, 'send']);
    expect(later.code).toBe(0);
    const second = world.query<{ email_key: string; stage: string }>("SELECT email_key, stage FROM messages WHERE created_at > '2026-11-25' ORDER BY email_key");
    expect(second.map((m) => m.email_key)).not.toContain('clara.weiss@example.de');
    expect(second.map((m) => m.email_key)).not.toContain('ben.schaefer@example.de');
    expect(second).toContainEqual({ email_key: 'anna.mueller@example.de', stage: 'second' });
  });

  it('counts temporary failures and stops at the third in a row; reads a Maildir folder and .eml files', async () => {
    const sent = await sendMorning();
    const anna = sent.get('anna.mueller@example.de');
    const delayed = (n: number): string =>
      dsn({ id: `<delay-${n}@mx.example.net>`, date: `Tue, 24 Nov 2026 1${n}:00:00 +0100`, recipient: 'anna.mueller@example.de', status: '4.2.2', action: 'delayed', diagnostic: '452 4.2.2 Mailbox full', originalMessageId: anna?.messageId });
    mkdirSync(world.file('Maildir/cur'), { recursive: true });
    mkdirSync(world.file('Maildir/new'), { recursive: true });
    writeFileSync(world.file('Maildir/cur/1.mx:2,S'), delayed(1));
    writeFileSync(world.file('Maildir/new/2.mx'), delayed(2));
    const first = await world.run(['bounces', 'import', 'Maildir']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2 messages read: 0 hard bounces, 2 temporary failures');
    expect(suppressions()).toEqual([]);
    world.write('delay-3.eml', delayed(3));
    const third = await world.run(['bounces', 'import', 'delay-3.eml']);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('anna.mueller@example.de: address bounced 2026-11-24: 3 temporary failures in a row, the last 4.2.2 Mailbox full');
    expect(suppressions().map((s) => s.email_key)).toEqual(['anna.mueller@example.de']);
  });

  it('refuses a missing file or a folder that is no Maildir before reading anything (exit 2)', async () => {
    const sent = await sendMorning();
    world.write('one.eml', dsn({ id: '<dsn-9@mx>', date: 'Tue, 24 Nov 2026 10:00:00 +0100', recipient: 'clara.weiss@example.de', status: '5.1.1', originalMessageId: sent.get('clara.weiss@example.de')?.messageId }));
    const missing = await world.run(['bounces', 'import', 'one.eml', 'nope.mbox']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.mbox: no such file or folder');
    mkdirSync(world.file('mails'));
    const folder = await world.run(['bounces', 'import', 'one.eml', 'mails']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('mails: a folder, but not a Maildir folder (no cur/ or new/ in it)');
    expect(world.query<{ n: number }>('SELECT count(*) AS n FROM delivery_reports')[0]?.n).toBe(0);
    expect(suppressions()).toEqual([]);
  });
});
