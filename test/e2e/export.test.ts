import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace } from '../support/workspace.js';

async function imported() {
  const ws = workspace({
    timeZone: 'Europe/Berlin',
    locale: 'de',
    manageLink: 'https://pay.yoga-sonne.de/{token}/manage',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
  });
  const csv = elopageCsv([
    row(1, { email: 'anna@example.de', first: '=HYPERLINK("http://evil.test","x")', due: '20.11.2026', open: '1.234,56', token: 'tk_a+b' }),
    row(2, { email: 'anna@example.de', first: '=HYPERLINK("http://evil.test","x")', due: '21.11.2026', open: '19,90', product: '+49 170 1234567' }),
    row(3, { email: 'ben@example.de', first: 'Ben', last: 'Schäfer', due: '22.11.2026' }),
    row(4, { email: 'carl@example.de', first: 'Carl', due: '30.11.2026' }),
  ]);
  expect((await ws.dunning('import', ws.write('export.csv', csv))).code).toBe(0);
  return ws;
}

function parse(csv: string): Record<string, string>[] {
  expect(csv.startsWith('\ufeff')).toBe(true);
  return Papa.parse<Record<string, string>>(csv.slice(1).trim(), { header: true }).data;
}

describe('dunning export', () => {
  it('writes one row per customer due now with every merge field and each order\'s link, and records nothing', async () => {
    const ws = await imported();
    const result = await ws.dunning('export');
    expect(result.code).toBe(0);
    const rows = parse(result.stdout);
    expect(rows.map((r) => r.email)).toEqual(['anna@example.de', 'ben@example.de']);
    const anna = rows[0]!;
    expect(anna.first_name).toBe('\'=HYPERLINK("http://evil.test","x")');
    expect(anna.products).toBe('Online-Kurs, +49 170 1234567');
    expect(anna.open_amount?.replace(/\u00a0/g, ' ')).toBe('1.254,46 €');
    expect(anna.open_amount_minor).toBe('125446');
    expect(anna.order_ids).toBe('1001, 1002');
    expect(anna.stage).toBe('reminder');
    expect(anna.manage_link).toBe('https://pay.yoga-sonne.de/tk_a%2Bb/manage');
    expect(anna.manage_links).toBe('https://pay.yoga-sonne.de/tk_a%2Bb/manage https://pay.yoga-sonne.de/tk_0000000000000002/manage');
    expect(query(ws.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
  });

  it('prints on stdout byte for byte the file --out writes', async () => {
    const ws = await imported();
    const printed = (await ws.dunning('export', '--all')).stdout;
    expect((await ws.dunning('export', '--all', '--out', 'all.csv')).code).toBe(0);
    expect(printed).toBe(readFileSync(ws.file('all.csv'), 'utf8'));
    expect(printed.split('\n').filter((line) => line !== '')).toHaveLength(1 + 3);
    expect(printed.endsWith('\n')).toBe(true);
  });

  it('neutralises a cell that starts with a formula character even after spaces', async () => {
    const ws = await imported();
    const rows = parse((await ws.dunning('export')).stdout);
    expect(rows.every((r) => Object.values(r).every((cell) => !/^\s*[=+\-@]/.test(cell)))).toBe(true);
  });

  it('lists every customer with open cases with --all, those not due without a stage', async () => {
    const ws = await imported();
    const out = ws.file('all.csv');
    const result = await ws.dunning('export', '--all', '--out', out);
    expect(result.code).toBe(0);
    expect(lines(result.stderr)).toEqual([`Wrote 3 customers to ${out}; nothing was recorded as sent (use --mark-sent STAGE once you have mailed them).`]);
    const rows = parse(readFileSync(out, 'utf8'));
    expect(rows.map((r) => [r.email, r.stage])).toEqual([['anna@example.de', 'reminder'], ['ben@example.de', 'reminder'], ['carl@example.de', '']]);
  });

  it('records the exported customers as sent with --mark-sent, so the sequence moves on', async () => {
    const ws = await imported();
    const result = await ws.dunning('export', '--mark-sent', 'reminder', '--out', 'due.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stderr)).toEqual(['Recorded 2 customers as sent "reminder".']);
    expect(query(ws.db, 'SELECT email_key, stage, channel, state FROM messages ORDER BY email_key')).toEqual([
      { email_key: 'anna@example.de', stage: 'reminder', channel: 'export', state: 'sent' },
      { email_key: 'ben@example.de', stage: 'reminder', channel: 'export', state: 'sent' },
    ]);
    const again = await ws.dunning('export');
    expect(parse(again.stdout)).toEqual([]);
  });

  it.each([
    [['--mark-sent', 'nope'], 'error: --mark-sent nope: no such stage'],
    [['--mark-sent', 'reminder', '--all'], 'error: --mark-sent goes with the customers due now, not with --all'],
    [['--merge-syntax', 'notatool'], 'error: --merge-syntax: "notatool" is neither a tool dunning knows (mailchimp, mailjet, activecampaign, brevo, getresponse) nor a pattern with NAME in it, such as "%NAME%" or "((NAME))"'],
  ])('refuses %j with exit 2 and records nothing', async (args, message) => {
    const ws = await imported();
    const result = await ws.dunning('export', ...args);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(message);
    // Refused before anything is written: no CSV, no message, no promo code drawn.
    expect(result.stdout).toBe('');
    expect(query(ws.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
    expect(query(ws.db, 'SELECT count(*) AS n FROM promo_codes')).toEqual([{ n: 0 }]);
  });

  it.each([
    ['mailchimp', 'Guten Tag *|FNAME|* *|LNAME|*,', '*|MANAGELINK|*'],
    ['mailjet', 'Guten Tag {{var:first_name:""}} {{var:last_name:""}},', '{{var:manage_link:""}}'],
    ['activecampaign', 'Guten Tag %FIRSTNAME% %LASTNAME%,', '%MANAGE_LINK%'],
    ['%NAME%', 'Guten Tag %FIRST_NAME% %LAST_NAME%,', '%MANAGE_LINK%'],
    ['((NAME))', 'Guten Tag ((FIRST_NAME)) ((LAST_NAME)),', '((MANAGE_LINK))'],
  ])('prints a reminder snippet in %s placeholders', async (tool, greeting, link) => {
    const ws = workspace();
    const result = await ws.dunning('export', '--merge-syntax', tool);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(greeting);
    expect(result.stdout).toContain(link);
  });
});
