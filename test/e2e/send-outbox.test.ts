import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, NOW, type Workspace } from '../support/workspace.js';
import { MORNING } from '../support/exports.js';

let world: Workspace;

afterEach(() => world.cleanup());

async function importMorning(at = NOW): Promise<void> {
  const result = await world.run(['--now', at, 'import', world.writeExport(MORNING)]);
  expect(result.code).toBe(0);
}

function outboxFiles(runId: number): string[] {
  const dir = join(world.dir, 'outbox', String(runId));
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function sendRunIds(): number[] {
  return world.query<{ id: number }>("SELECT id FROM runs WHERE command = 'send' ORDER BY id").map((r) => r.id);
}

describe('dunning send (outbox)', () => {
  it('writes one .eml per customer under outbox/<run-id>/ that a mail client can open', async () => {
    world = createWorld();
    await importMorning();
    const result = await world.run(['send']);
    expect(result.code).toBe(0);
    const [runId = 0] = sendRunIds();
    expect(result.stdout).toContain(`The .eml files are in ${join(world.dir, 'outbox', String(runId))}`);
    const files = outboxFiles(runId);
    expect(files).toEqual(['00001-reminder-clara.weiss@example.de.eml', '00002-reminder-ben.schaefer@example.de.eml', '00003-reminder-anna.mueller@example.de.eml']);
    const mail = await simpleParser(readFileSync(join(world.dir, 'outbox', String(runId), files[2] ?? '')));
    expect(mail.subject).toMatch(/68,90\s€/);
    expect(mail.headers.get('x-dunning-stage')).toBe('reminder');
    expect(mail.text).toContain('https://pay.yoga-sonne.de/payment/tk_0000000000004711/manage');
    const rows = world.query<{ state: string; provider_id: string }>('SELECT state, provider_id FROM messages ORDER BY id');
    expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(rows[0]?.provider_id).toBe(join('outbox', String(runId), files[0] ?? ''));
  });

  it('names the outbox folder when a stage of its own goes there and the rest would go by SMTP', async () => {
    const stages = [
      { name: 'reminder', afterDays: 1, template: 'reminder', channel: 'outbox' },
      { name: 'second', afterDays: 3, template: 'second' },
      { name: 'final', afterDays: 7, template: 'final' },
    ];
    world = createWorld({ channel: 'smtp', sequence: { stages } });
    await importMorning();
    const result = await world.run(['send']);
    expect(result.code).toBe(0);
    const [runId = 0] = sendRunIds();
    expect(outboxFiles(runId)).toHaveLength(3);
    expect(result.stdout).toContain(`The .eml files are in ${join(world.dir, 'outbox', String(runId))}`);
  });

  it('finishes the run and records every message when its reader closes the output early (dunning send | head)', async () => {
    world = createWorld();
    await importMorning();
    const { child, done } = world.start(['send']);
    // The reading end is gone before the CLI has printed a line: every write to stdout fails (EPIPE).
    child.stdout?.destroy();
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(world.query<{ state: string }>('SELECT state FROM messages').map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
    expect(outboxFiles(sendRunIds()[0] ?? 0)).toHaveLength(3);
  });

  it('--dry-run asks to check an address whose domain mixes Latin and Cyrillic letters (a lookalike)', async () => {
    world = createWorld();
    const rows = [...MORNING, { email: 'lena@exаmple.de', first: 'Lena', last: 'Kurz', order: '4730', open: '15,00', due: '20.11.2026' }];
    expect((await world.run(['--now', NOW, 'import', world.writeExport(rows)])).code).toBe(0);
    const result = await world.run(['send', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('check: lena@xn--exmple-4nf.de (order 4730): the domain "exаmple.de" mixes Latin with Cyrillic or Greek letters');
    // Only that one: international domains in one script are nothing to check.
    expect(result.stderr.match(/^check: /gm)).toHaveLength(1);
  });

  it('--dry-run prints what would go where with tokens masked, and writes no message state and no file', async () => {
    world = createWorld();
    await importMorning();
    const result = await world.run(['send', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/clara\.weiss@example\.de\s+reminder\s+outbox\s+4713\s+299\.00 EUR/);
    expect(result.stdout).toContain('https://pay.yoga-sonne.de/payment/tk_…13/manage');
    expect(result.stdout).not.toContain('tk_0000000000004713');
    expect(result.stdout).toContain('Dry run: 3 messages would be sent; nothing was sent or recorded.');
    expect(result.stdout).toContain('Cases without a message: 1 not yet due.');
    expect(world.query('SELECT id FROM messages')).toEqual([]);
    expect(existsSync(join(world.dir, 'outbox'))).toBe(false);

    const json = await world.run(['--json', 'send', '--dry-run']);
    const report = JSON.parse(json.stdout) as { planned: number; messages: { to: string; links: string[]; messageId: string; fate: string }[] };
    expect(report.planned).toBe(3);
    expect(report.messages.map((m) => m.fate)).toEqual(['planned', 'planned', 'planned']);
    expect(JSON.stringify(report)).not.toContain('tk_0000000000004711');
    // The dry run's Message-IDs are the ones the real send uses.
    await world.run(['send']);
    const sent = world.query<{ message_id: string }>('SELECT message_id FROM messages ORDER BY id').map((r) => r.message_id);
    expect(sent).toEqual(report.messages.map((m) => m.messageId));
  });

  it('--to rehearses: every message goes to one address, nothing is recorded as sent', async () => {
    world = createWorld({ sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', bcc: 'books@yoga-sonne.de' } });
    await importMorning();
    const result = await world.run(['send', '--to', 'me@yoga-sonne.de']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Rehearsal: every message went to me@yoga-sonne.de; nothing was recorded as sent.');
    expect(world.query('SELECT id FROM messages')).toEqual([]);
    const [runId = 0] = sendRunIds();
    const files = outboxFiles(runId);
    expect(files).toHaveLength(3);
    for (const file of files) {
      const mail = await simpleParser(readFileSync(join(world.dir, 'outbox', String(runId), file)));
      const to = Array.isArray(mail.to) ? mail.to : [mail.to];
      expect(to.flatMap((a) => a?.value.map((v) => v.address) ?? [])).toEqual(['me@yoga-sonne.de']);
      expect(mail.headers.get('x-dunning-original-to')).toMatch(/@example\.de$/);
    }
    // The real send afterwards still has every message to send.
    const real = await world.run(['send']);
    expect(real.stdout).toContain('3 messages planned: 3 sent, 0 failed.');
  });

  it('skips a customer whose template fails, with the reason, and sends the others (exit 1)', async () => {
    // A merchant's template written for customers with two instalments: strict rendering fails for one order.
    const templates = join('my-templates', 'reminder', 'de');
    world = createWorld({ templates: { dir: 'my-templates' } });
    mkdirSync(join(world.dir, templates), { recursive: true });
    writeFileSync(join(world.dir, templates, 'subject.hbs'), 'Raten {{orders.[0].orderId}} und {{orders.[1].orderId}}');
    writeFileSync(join(world.dir, templates, 'text.hbs'), 'Offen: {{orders.[1].orderId}} {{manageLink}}');
    writeFileSync(join(world.dir, templates, 'html.hbs'), '<p>{{orders.[1].orderId}} <a href="{{manageLink}}">Link</a></p>');
    const rows = [...MORNING.slice(0, 3), { ...MORNING[2]!, order: '4799', due: '19.11.2026' }, MORNING[3]!];
    expect((await world.run(['import', world.writeExport(rows)])).code).toBe(0);
    const result = await world.run(['send']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/skipped: clara\.weiss@example\.de \(reminder, order 4713\): cannot render "reminder": .*reminder\/de\/subject\.hbs:1:\d+: "orderId" is not defined/);
    expect(result.stdout).toContain('3 messages planned: 2 sent, 0 failed.');
    expect(result.stdout).toContain('1 template failed');
    expect(world.query<{ recipient: string }>('SELECT recipient FROM messages ORDER BY id').map((r) => r.recipient.toLowerCase())).toEqual([
      'ben.schaefer@example.de',
      'anna.mueller@example.de',
    ]);
  });

  it('holds back what limits.perRun does not allow and sends it first next time', async () => {
    world = createWorld({ limits: { perRun: 2 } });
    await importMorning();
    const first = await world.run(['send']);
    expect(first.stdout).toContain('2 messages planned: 2 sent, 0 failed.');
    expect(first.stdout).toContain('2 held back by a limit (they go first next time)');
    expect(world.query<{ recipient: string }>('SELECT recipient FROM messages ORDER BY id').map((r) => r.recipient)).toEqual([
      'clara.weiss@example.de',
      'ben.schaefer@example.de',
    ]);
    const second = await world.run(['send']);
    expect(second.stdout).toContain('1 message planned: 1 sent, 0 failed.');
    expect(world.query<{ recipient: string }>('SELECT recipient FROM messages ORDER BY id DESC LIMIT 1')[0]?.recipient).toBe('Anna.Mueller@example.de');
  });

  it('narrows a run with --email, --stage and --limit', async () => {
    world = createWorld();
    await importMorning();
    const byEmail = await world.run(['send', '--dry-run', '--email', 'BEN.schaefer@example.de']);
    expect(byEmail.stdout).toContain('Dry run: 1 message would be sent');
    expect(byEmail.stdout).toContain('ben.schaefer@example.de');
    const byStage = await world.run(['send', '--dry-run', '--stage', 'second']);
    expect(byStage.stdout).toContain('Dry run: 0 messages would be sent');
    const limited = await world.run(['send', '--limit', '1']);
    expect(limited.stdout).toContain('1 message planned: 1 sent');
    const unknownStage = await world.run(['send', '--stage', 'fourth']);
    expect(unknownStage.code).toBe(2);
    expect(unknownStage.stderr).toContain('the stages are reminder, second, final');
  });

  it('outside the send window sends nothing, exits 0 and says when the window opens', async () => {
    world = createWorld({ sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '18:00' } });
    await importMorning('2026-11-21T09:00:00+01:00');
    const saturday = await world.run(['--now', '2026-11-21T10:00:00+01:00', 'send']);
    expect(saturday.code).toBe(0);
    expect(saturday.stdout).toContain('Outside the send window: nothing was sent. The window opens Mon 2026-11-23 08:00 (Europe/Berlin).');
    expect(world.query('SELECT id FROM messages')).toEqual([]);
  });

  it('a dry run outside the send window says it is closed, when it opens, and what would go then', async () => {
    world = createWorld({ sendWindow: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', until: '18:00' } });
    await importMorning('2026-11-21T09:00:00+01:00');
    const saturday = await world.run(['--now', '2026-11-21T10:00:00+01:00', 'send', '--dry-run']);
    const monday = await world.run(['--now', '2026-11-23T08:00:00+01:00', 'send', '--dry-run', '--allow-stale']);
    const count = /Dry run: (\d+) messages? would be sent/.exec(monday.stdout)?.[1];
    expect(Number(count)).toBeGreaterThan(0);
    expect(saturday.code).toBe(0);
    expect(saturday.stdout).toContain('The send window is closed now; it opens Mon 2026-11-23 08:00 (Europe/Berlin). What would go then:');
    expect(saturday.stdout).toContain(`Dry run: ${count} messages would be sent when the send window opens (Mon 2026-11-23 08:00 (Europe/Berlin)); nothing was sent or recorded.`);
    expect(saturday.stdout).toContain('To send them: dunning send, from Mon 2026-11-23 08:00 (Europe/Berlin) on (before that it sends nothing)');
    expect(saturday.stdout).not.toContain('To send them: dunning send\n');
  });

  it('refuses to send from stale data (exit 2) unless --allow-stale, and an identical re-import counts as fresh', async () => {
    world = createWorld();
    await importMorning('2026-11-21T19:00:00+01:00');
    const stale = await world.run(['send']);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain('the data is too old to send reminders: maxImportAgeHours is 36');
    expect(stale.stderr).toMatch(/source "elopage": newest import 2026-11-21T18:00:00\.000Z, 38 hours ago/);
    expect(stale.stderr).toContain('--allow-stale');
    expect(world.query('SELECT id FROM messages')).toEqual([]);

    const rehearsal = await world.run(['send', '--dry-run', '--allow-stale']);
    expect(rehearsal.code).toBe(0);
    const reimport = await world.run(['import', join(world.dir, 'export.csv')]);
    expect(reimport.stdout).toContain('identical to import');
    const fresh = await world.run(['send']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('3 messages planned: 3 sent');
  });

  it('status shows each case\'s next stage and when it is due', async () => {
    world = createWorld();
    await importMorning();
    const before = await world.run(['status']);
    expect(before.stdout).toMatch(/Clara Weiß <clara\.weiss@example\.de>.*reminder today/);
    expect(before.stdout).toMatch(/Noah Fischer <noah\.fischer@example\.de>.*reminder 2026-11-24/);
    await world.run(['send']);
    const after = await world.run(['status']);
    // Clara (16.11.) had the reminder today: second is due (afterDays 3) but waits minGapDays 2.
    expect(after.stdout).toMatch(/Clara Weiß <clara\.weiss@example\.de>.*second 2026-11-25/);
    const json = JSON.parse((await world.run(['--json', 'status'])).stdout) as { cases: { orderId: string; next: unknown; skip: { reason: string } | null }[] };
    expect(json.cases.find((c) => c.orderId === '4713')).toMatchObject({ next: { stage: 'second', on: '2026-11-25' }, skip: { reason: 'gap_not_reached' } });
  });
});
