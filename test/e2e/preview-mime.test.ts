import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row } from '../support/exports.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { NOW, runCli, type CliResult } from '../support/run-cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

const CONFIG = {
  timeZone: 'Europe/Berlin',
  locale: 'de',
  manageLink: 'https://elopage.com/s/yoga/payment/{token}/manage',
  sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', replyTo: 'help@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
};

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

async function imported(config: Record<string, unknown> = CONFIG) {
  const ws = workspace(config);
  const csv = elopageCsv([
    row(1, { email: 'anna@example.de', first: 'Anna', last: 'Müller', due: '20.11.2026', open: '1.234,56', token: 'tk_a+b/c' }),
    row(2, { email: 'anna@example.de', first: 'Anna', last: 'Müller', due: '21.11.2026', open: '19,90', token: 'tk_second' }),
  ]);
  expect((await ws.dunning('import', ws.write('export.csv', csv))).code).toBe(0);
  return ws;
}

describe('dunning preview --format eml', () => {
  it('prints the whole MIME message as send builds it; parsed back, subject, both parts, links and amounts are right', async () => {
    const ws = await imported();
    const result = await ws.dunning('preview', '--template', 'reminder', '--format', 'eml');
    expect(result.code).toBe(0);
    const mail = await simpleParser(result.stdout);
    expect(mail.subject).toBe('Kleine Erinnerung: 1.254,46 € für Ihre Bestellung bei Yoga Sonne GmbH');
    expect(mail.from?.value).toEqual([{ name: 'Yoga Sonne', address: 'billing@yoga-sonne.de' }]);
    expect(mail.replyTo?.value).toEqual([{ name: 'Yoga Sonne', address: 'help@yoga-sonne.de' }]);
    const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
    expect(to?.value).toEqual([{ name: 'Anna Müller', address: 'anna@example.de' }]);
    expect(mail.messageId).toMatch(/^<dunning\.reminder\.[0-9a-f]{24}@yoga-sonne\.de>$/);
    expect(mail.date?.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(mail.headers.get('x-dunning-case')).toMatch(/^\d+, \d+$/);
    const text = (mail.text ?? '').replace(/\u00a0/g, ' ');
    expect(text).toContain('https://elopage.com/s/yoga/payment/tk_a%2Bb%2Fc/manage');
    expect(text).toContain('https://elopage.com/s/yoga/payment/tk_second/manage');
    expect(text).toContain('1.234,56 €');
    expect(text).toContain('19,90 €');
    const html = typeof mail.html === 'string' ? mail.html : '';
    expect(html).toContain('<a href="https://elopage.com/s/yoga/payment/tk_a%2Bb%2Fc/manage"');
    expect(html).toContain('<a href="https://elopage.com/s/yoga/payment/tk_second/manage"');
    expect(html.replace(/\u00a0/g, ' ')).toContain('<strong>1.254,46 €</strong>');
  });
});

describe('dunning preview --to', () => {
  it('sends the rendered message to one address over SMTP and changes no case', async () => {
    sink = await startSmtpSink();
    const ws = await imported({ ...CONFIG, channel: 'smtp' });
    const before = ws.store();
    const result = await runWith(ws, sink.url, ['preview', '--template', 'final', '--to', 'me@merchant.example']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Test message sent to me@merchant\.example \(250 .*\); no case was changed\.\n$/);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]?.envelopeTo).toEqual(['me@merchant.example']);
    expect(sink.received[0]?.parsed.headers.get('x-dunning-original-to')).toBe('anna@example.de');
    expect(sink.received[0]?.parsed.subject).toBe('Letzte Erinnerung zu Ihrer Bestellung bei Yoga Sonne GmbH');
    expect(ws.store()).toEqual(before);
    expect(query(ws.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
  });

  it('says so and exits 1 when the server refuses the address', async () => {
    sink = await startSmtpSink();
    sink.faults.set('me@merchant.example', { kind: 'reply', code: 550, message: 'no such user' });
    const ws = await imported({ ...CONFIG, channel: 'smtp' });
    const result = await runWith(ws, sink.url, ['preview', '--template', 'reminder', '--to', 'me@merchant.example']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Test message to me@merchant\.example failed: .*550/);
  });

  it('needs an SMTP URL for the smtp channel (exit 2)', async () => {
    const ws = await imported({ ...CONFIG, channel: 'smtp' });
    const result = await ws.dunning('preview', '--template', 'reminder', '--to', 'me@merchant.example');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DUNNING_SMTP_URL');
  });
});

function runWith(ws: Workspace, url: string, args: string[]): Promise<CliResult> {
  return runCli(['--now', NOW, ...args], { cwd: ws.path, env: { DUNNING_SMTP_URL: url } });
}
