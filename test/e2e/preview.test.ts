import { describe, expect, it } from 'vitest';
import { elopageCsv, row } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace } from '../support/workspace.js';

/** A folder with three customers imported: two overdue (one with two orders), one not yet due, one without a token. */
async function imported() {
  const ws = workspace();
  const csv = elopageCsv([
    row(1, { email: 'anna@example.de', first: 'Anna', due: '20.11.2026', open: '1.234,56', token: 'tk/a+b&c?d' }),
    row(2, { email: 'ANNA@example.de', first: 'Anna', due: '22.11.2026', open: '19,90', token: 'tk_second' }),
    row(3, { email: 'ben@example.de', first: 'Ben', last: '<b>Schäfer</b>', due: '10.11.2026', open: '79,00', product: 'Kurs "Yoga & Klang"' }),
    row(4, { email: 'carl@example.de', first: 'Carl', due: '30.11.2026' }),
    row(5, { email: 'dora@example.de', first: 'Dora', due: '15.11.2026', token: '' }),
  ]);
  const file = ws.write('export.csv', csv);
  expect((await ws.dunning('import', file)).code).toBe(0);
  return ws;
}

describe('dunning preview', () => {
  it('renders the message of the most overdue customer by default', async () => {
    const ws = await imported();
    const result = await ws.dunning('preview', '--template', 'reminder');
    expect(result.code).toBe(0);
    const out = result.stdout.replace(/\u00a0/g, ' ');
    expect(lines(out).slice(0, 3)).toEqual(['To: Ben <b>Schäfer</b> <ben@example.de>', 'Subject: Kleine Erinnerung: 79,00 € für Ihre Bestellung bei Your Company', 'Template: reminder (de)']);
    expect(out).toContain('https://elopage.com/s/test/payment/tk_0000000000000003/manage');
    expect(out).toContain('Kurs "Yoga & Klang"');
  });

  it('lists every overdue order of the customer, each with the link from its own token, URL-encoded', async () => {
    const ws = await imported();
    const result = await ws.dunning('preview', '--template', 'second', '--order', '1001');
    expect(result.code).toBe(0);
    const out = result.stdout.replace(/\u00a0/g, ' ');
    expect(out).toContain('Subject: Zweite Erinnerung: 1.254,46 € noch offen');
    expect(out).toContain('https://elopage.com/s/test/payment/tk%2Fa%2Bb%26c%3Fd/manage');
    expect(out).toContain('https://elopage.com/s/test/payment/tk_second/manage');
  });

  it('renders HTML with escaped data and real links, and in another locale', async () => {
    const ws = await imported();
    const result = await ws.dunning('preview', '--template', 'final', '--email', 'ben@example.de', '--format', 'html', '--locale', 'en');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('<html lang="en">');
    expect(result.stdout).toContain('<a href="https://elopage.com/s/test/payment/tk_0000000000000003/manage"');
    expect(result.stdout).toContain('Kurs &quot;Yoga &amp; Klang&quot;');
    expect(result.stdout).not.toContain('<b>Schäfer</b>');
  });

  it('prints one JSON document with --json', async () => {
    const ws = await imported();
    const result = await ws.dunning('--json', 'preview', '--template', 'reminder', '--email', 'ben@example.de');
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { to: { address: string }; subject: string; locale: string };
    expect(doc.to.address).toBe('ben@example.de');
    expect(doc.locale).toBe('de');
  });

  it('says why a customer without a usable token gets no message', async () => {
    const ws = await imported();
    const result = await ws.dunning('preview', '--template', 'reminder', '--email', 'dora@example.de');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'order 1005: no link and no message: no token in the export',
      "error: none of this customer's cases can get a message (see above)",
      'hint: fix the token in the export and import it again',
    ]);
  });

  it('starts from the plan send makes: a stopped or snoozed customer is not the default pick, and is told why', async () => {
    const ws = await imported();
    // Ben is the most overdue customer; stopped, then Anna (Dora has no usable token) is the one send would mail first.
    expect((await ws.dunning('customer', 'ben@example.de', '--stop', '--reason', 'disputed')).code).toBe(0);
    const pick = await ws.dunning('preview', '--template', 'reminder');
    expect(pick.code).toBe(0);
    expect(lines(pick.stdout)[0]).toBe('To: Anna Müller <ANNA@example.de>');
    const stopped = await ws.dunning('preview', '--template', 'reminder', '--email', 'ben@example.de');
    expect(stopped.code).toBe(2);
    expect(lines(stopped.stderr)).toEqual([
      'order 1003: no message now: stopped on 2026-11-23',
      "error: none of this customer's cases can get a message (see above)",
      'hint: the customer is stopped; "dunning customer EMAIL --resume" lifts it',
    ]);
    expect(stopped.stdout).toBe('');
    expect((await ws.dunning('customer', 'anna@example.de', '--snooze', '10d')).code).toBe(0);
    expect((await ws.dunning('preview', '--template', 'reminder')).code).toBe(2);
    const snoozed = await ws.dunning('preview', '--template', 'reminder', '--order', '1001');
    expect(snoozed.code).toBe(2);
    expect(lines(snoozed.stderr)[0]).toBe('order 1001: no message now: snoozed until 2026-12-03');
  });

  it('says when a customer whose cases are not yet due gets the first reminder', async () => {
    const ws = await imported();
    const result = await ws.dunning('preview', '--template', 'reminder', '--email', 'carl@example.de');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe('order 1004: no message now: reminder is due on 2026-12-01');
  });

  it.each([
    [['--template', 'nope'], 'error: no template "nope"'],
    [['--template', 'reminder', '--order', '9999'], 'error: no order "9999" in the database'],
    [['--template', 'reminder', '--email', 'nobody@example.de'], 'error: no open case for nobody@example.de'],
    [['--template', 'reminder', '--email', 'not-an-address'], 'error: --email: "not-an-address" is not an e-mail address'],
    [['--order', '1001'], "error: required option '--template <name>' not specified"],
  ])('refuses %j with exit 2', async (args, message) => {
    const ws = await imported();
    const result = await ws.dunning('preview', ...args);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(message);
    expect(result.stdout).toBe('');
  });
});

describe('templates of the merchant', () => {
  async function withTemplates(files: Record<string, string>) {
    const ws = workspace({ timeZone: 'Europe/Berlin', locale: 'de', manageLink: 'https://elopage.com/s/test/payment/{token}/manage', templates: { dir: 'my-templates' } });
    for (const [path, source] of Object.entries(files)) ws.write(`my-templates/${path}`, source);
    expect((await ws.dunning('import', ws.write('export.csv', elopageCsv([row(1)])))).code).toBe(0);
    return ws;
  }

  it('reports a syntax error with file, line and column, and exit 2', async () => {
    const ws = await withTemplates({ 'reminder/subject.hbs': 'Hallo', 'reminder/text.hbs': 'Hallo\n{{#if customer.firstName}}\n', 'reminder/html.hbs': '<p></p>' });
    const preview = await ws.dunning('preview', '--template', 'reminder');
    expect(preview.code).toBe(2);
    expect(lines(preview.stderr)[0]).toMatch(/^error: .*my-templates\/reminder\/text\.hbs:3: syntax error: Expecting/);
    const check = await ws.dunning('templates', 'check');
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/reminder, .*my-templates\/reminder\/text\.hbs:3: syntax error/);
  });

  it('reports an unknown variable and an unknown helper with file, line and column', async () => {
    const ws = await withTemplates({ 'reminder/subject.hbs': '{{shout customer.firstName}}', 'reminder/text.hbs': 'Offen:\n {{openAmount}}', 'reminder/html.hbs': '<p></p>' });
    const preview = await ws.dunning('preview', '--template', 'reminder');
    expect(preview.code).toBe(2);
    expect(lines(preview.stderr)[0]).toMatch(/^error: .*my-templates\/reminder\/subject\.hbs: Missing helper: "shout"|"shout" is not defined/);
    const check = await ws.dunning('templates', 'check');
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/my-templates\/reminder\/subject\.hbs:1:1: unknown helper "shout"/);
    expect(check.stderr).toMatch(/my-templates\/reminder\/text\.hbs:2:4: "openAmount" is not defined/);
    expect(lines(check.stderr).at(-1)).toMatch(/^error: \d+ template problems \(listed above\); nothing is sent until they are fixed$/);
  });

  it('refuses a locale with no template and no fallback', async () => {
    const ws = await withTemplates({ 'only-en/en/subject.hbs': 'S', 'only-en/en/text.hbs': 'T', 'only-en/en/html.hbs': 'H' });
    const result = await ws.dunning('preview', '--template', 'only-en');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe('error: template "only-en" has no "de" version and no fallback');
  });

  it('passes templates check with the shipped templates', async () => {
    const ws = workspace();
    const result = await ws.dunning('templates', 'check');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('32 template variants checked, 64 renders passed, 0 problems.\n');
  });
});
