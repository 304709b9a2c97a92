import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseOf, query } from '../support/db.js';
import { ELOPAGE_HEADER, elopageCsv, row, rows } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace } from '../support/workspace.js';

// Bad rows: reported as FILE:LINE: column "Header": reason, written to a rejects CSV, good rows imported.

const BAD = [
  row(1),
  row(2, { email: 'not-an-address' }),
  row(3, { email: 'eve@example.com, mallory@example.net' }), // H4
  row(4, { open: '1.200' }),
  row(5, { due: '31.02.2026' }),
  row(6, { order: '' }),
  row(7, { open: '-49,00' }),
  row(1), // the same order and due date again
  row(9, { email: 'eve@example.com\r\nBcc: victim@example.net' }), // H3, spans two lines
  row(10, { due: '46345', open: 'viel' }),
  row(11),
];

const MESSAGES = [
  'orders.csv:3: column "E-Mail": "not-an-address" is not an e-mail address',
  'orders.csv:4: column "E-Mail": "eve@example.com, mallory@example.net" holds more than one address; one address per row',
  'orders.csv:5: column "Offener Betrag": "1.200" reads two ways (1,200 or 1200); set "import.numberFormat" to "de" or "en" in dunning.config.json',
  'orders.csv:6: column "Fälligkeitsdatum": "31.02.2026" is not a date in the calendar',
  'orders.csv:7: column "Bestell-ID": is empty; every row needs an order ID',
  'orders.csv:8: column "Offener Betrag": is negative (-49,00); a credit is not an open payment',
  'orders.csv:9: column "Bestell-ID": order "1001" with due date 2026-11-20 is listed twice; each order and due date once',
  'orders.csv:10: column "E-Mail": "eve@example.com\\r\\nBcc: victim@example.net" contains a line break; an address cell must hold one address',
  'orders.csv:12: column "Offener Betrag": "viel" is not an amount',
  'orders.csv:12: column "Fälligkeitsdatum": "46345" looks like a spreadsheet serial number, not a date; export the column as a date (DD.MM.YYYY or YYYY-MM-DD)',
];

describe('import: bad rows', () => {
  it('reports each bad row with file, line, column and reason, imports the good ones, and exits 1', async () => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv(BAD));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([...MESSAGES, '  bad rows written to orders.rejects.csv']);
    expect(result.stdout).toContain('orders.csv: 11 rows read: 2 new, 0 updated, 0 closed as paid, 0 unchanged, 9 rejected');
    expect(query(ws.db, 'SELECT order_id, email, open_minor, status FROM cases ORDER BY order_id')).toEqual([
      { order_id: '1001', email: 'kunde1@example.de', open_minor: 4900, status: 'open' },
      { order_id: '1011', email: 'kunde11@example.de', open_minor: 4900, status: 'open' },
    ]);
    // No recipient ever came out of the H3/H4 cells.
    expect(query(ws.db, "SELECT count(*) AS n FROM cases WHERE email LIKE '%evil%' OR email LIKE '%victim%' OR email LIKE '%mallory%'")).toEqual([{ n: 0 }]);
    expect(query(ws.db, 'SELECT rows, new, rejected FROM imports')).toEqual([{ rows: 11, new: 2, rejected: 9 }]);
  });

  it('writes every bad row to a rejects CSV beside the input, with line and reason, safe for Excel', async () => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv([...BAD, row(12, { first: '=HYPERLINK("http://evil.test","x")', email: 'bad' })]));
    await ws.dunning('import', 'orders.csv');
    const rejects = readFileSync(ws.file('orders.rejects.csv'), 'utf8');
    expect(rejects.startsWith('\ufeff')).toBe(true);
    const records = rejects.slice(1).split('\r\n').filter((l) => l !== '');
    expect(records[0]).toBe([...ELOPAGE_HEADER, 'dunning: line', 'dunning: problem'].join(';'));
    expect(records[1]).toBe('not-an-address;Anna;Müller;1002;Online-Kurs;49,00;0,00;20.11.2026;tk_0000000000000002;3;"column ""E-Mail"": ""not-an-address"" is not an e-mail address"');
    // Both problems of one row in one reason cell; a formula is neutralised (CWE-1236).
    expect(rejects).toContain(';12;"column ""Offener Betrag"": ""viel"" is not an amount; column ""Fälligkeitsdatum"": ""46345"" looks like');
    expect(rejects).toContain(`'=HYPERLINK(""http://evil.test"",""x"")`);
    expect(rejects).toContain(";'-49,00;");
    expect(rejects).toContain('"eve@example.com\r\nBcc: victim@example.net"');
    expect(records.filter((r) => /;\d+;"?column /.test(r))).toHaveLength(10);
  });

  it('writes the rejects where --rejects says, and none beside the input', async () => {
    const ws = workspace();
    ws.write('in/orders.csv', elopageCsv([row(1), row(2, { email: 'bad' })]));
    const result = await ws.dunning('import', 'in/orders.csv', '--rejects', 'out.csv');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  bad rows written to out.csv');
    expect(readFileSync(ws.file('out.csv'), 'utf8')).toContain('bad;Anna;Müller;1002;');
    expect(existsSync(ws.file('in/orders.rejects.csv'))).toBe(false);
  });

  it.each([
    ['a source with cases (each row looked up)', true],
    ['a source without cases (rows inserted directly)', false],
  ])('rejects the same order and due date twice in %s', async (_what, withCases) => {
    const ws = workspace();
    if (withCases) {
      ws.write('first.csv', elopageCsv(rows(2)));
      expect((await ws.dunning('import', 'first.csv')).code).toBe(0);
    }
    ws.write('a.csv', elopageCsv([row(1, { open: '39,00' }), row(2), row(1, { open: '29,00' })]));
    ws.write('b.csv', elopageCsv([row(2, { email: 'other@example.de' }), row(3)]));
    const result = await ws.dunning('import', 'a.csv', 'b.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'a.csv:4: column "Bestell-ID": order "1001" with due date 2026-11-20 is listed twice; each order and due date once',
      'b.csv:2: column "Bestell-ID": order "1002" with due date 2026-11-20 is listed twice; each order and due date once',
      '  bad rows written to a.rejects.csv',
      '  bad rows written to b.rejects.csv',
    ]);
    // The first listing wins; the later one goes to the rejects file as the file had it.
    expect(query(ws.db, 'SELECT order_id, email, open_minor FROM cases ORDER BY order_id')).toEqual([
      { order_id: '1001', email: 'kunde1@example.de', open_minor: 3900 },
      { order_id: '1002', email: 'kunde2@example.de', open_minor: 4900 },
      { order_id: '1003', email: 'kunde3@example.de', open_minor: 4900 },
    ]);
    expect(readFileSync(ws.file('a.rejects.csv'), 'utf8')).toContain('kunde1@example.de;Anna;Müller;1001;Online-Kurs;29,00;0,00;20.11.2026;tk_0000000000000001;4;');
  });

  it('finds repeats inside and across the groups of 50 rows a new source is written in, in file order', async () => {
    // The first 50 rows go in one INSERT, and the 30th repeats the 10th inside it. The 60th repeats
    // a row of the group before, inside the next full group; a bad row (line 107) writes the 5 rows
    // that wait before it is reported; the last 15 rows go one by one, with a repeat of the 5th.
    const file = [
      ...rows(29),
      row(10, { email: 'later@example.de' }),
      ...rows(29, 31),
      row(20, { open: '19,00' }),
      ...rows(45, 61),
      row(106, { email: 'bad' }),
      ...rows(4, 107),
      row(5, { email: 'again@example.de' }),
      ...rows(10, 111),
    ];
    const ws = workspace();
    ws.write('orders.csv', elopageCsv(file));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(1);
    const listedTwice = (line: number, n: number): string =>
      `orders.csv:${line}: column "Bestell-ID": order "${1000 + n}" with due date 2026-11-20 is listed twice; each order and due date once`;
    expect(lines(result.stderr)).toEqual([
      listedTwice(31, 10),
      listedTwice(61, 20),
      'orders.csv:107: column "E-Mail": "bad" is not an e-mail address',
      listedTwice(112, 5),
      '  bad rows written to orders.rejects.csv',
    ]);
    expect(result.stdout).toContain('orders.csv: 121 rows read: 117 new, 0 updated, 0 closed as paid, 0 unchanged, 4 rejected');
    // Every order once, from its first listing, with ids in file order.
    const cases = query(ws.db, 'SELECT id, order_id, email, open_minor FROM cases ORDER BY id');
    const firstListings = file.filter((r, i) => r.email !== 'bad' && file.findIndex((o) => o.order === r.order) === i);
    expect(cases.map((c) => c.order_id)).toEqual(firstListings.map((r) => r.order));
    expect(cases.map((c) => c.id)).toEqual(cases.map((_, i) => i + 1));
    expect(cases.filter((c) => c.email !== `kunde${Number(c.order_id) - 1000}@example.de` || c.open_minor !== 4900)).toEqual([]);
    const rejected = readFileSync(ws.file('orders.rejects.csv'), 'utf8').split('\r\n').slice(1, -1).map((r) => r.split(';')[9]);
    expect(rejected).toEqual(['31', '61', '107', '112']);
  });

  it('writes no rejects file when every row is good, and exits 0', async () => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv(rows(3)));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(existsSync(ws.file('orders.rejects.csv'))).toBe(false);
  });

  it('--strict: one bad row imports nothing, exits 2, and leaves the database as it was', async () => {
    const ws = workspace();
    ws.write('first.csv', elopageCsv(rows(2)));
    expect((await ws.dunning('import', 'first.csv')).code).toBe(0);
    const before = ws.store();
    ws.write('orders.csv', elopageCsv([row(1, { open: '39,00' }), row(3), row(4, { email: 'bad' })]));
    const result = await ws.dunning('import', '--strict', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'orders.csv:4: column "E-Mail": "bad" is not an e-mail address',
      '  bad rows written to orders.rejects.csv',
      'error: --strict: 1 bad row, so nothing was imported',
      'hint: fix the rows listed above (they are in the rejects file) and import again',
    ]);
    expect(ws.store()).toEqual(before);
    expect(existsSync(ws.file('orders.rejects.csv'))).toBe(true);
  });

  it('refuses a row whose cell count differs from the header, and a row that is not UTF-8', async () => {
    const ws = workspace();
    const text = `${elopageCsv([row(1)])}x@example.de;Ben;Berg;1002;Kurs;49,00\n`;
    ws.write('orders.csv', Buffer.concat([Buffer.from(text), Buffer.from('k3@example.de;M\xfcller;X;1003;Kurs;1,00;0,00;20.11.2026;tk\n', 'latin1')]));
    const result = await ws.dunning('import', '--encoding', 'utf8', 'orders.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stderr).slice(0, 2)).toEqual([
      'orders.csv:3: the row has 6 cells, the header has 9 (a stray ";" or quote?)',
      'orders.csv:4: not UTF-8 (a byte 0xFC at column 16): re-export as UTF-8 or pass --encoding windows-1252',
    ]);
    expect(caseOf(ws.db, '1001')).toBeDefined();
  });

  it('refuses a quoted cell that is never closed: nothing imported, exit 2', async () => {
    const ws = workspace();
    ws.write('orders.csv', `${elopageCsv([row(1)])}k2@example.de;"Ben;Berg;1002;Kurs;49,00;0,00;20.11.2026;tk2\n`);
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      'error: orders.csv:3: a quoted cell that starts in this row is never closed',
      'hint: a cell begins with " but has no closing "; fix the quote (inside a quoted cell, write "" for one ")',
    ]);
    expect(ws.store()?.cases).toEqual([]);
  });

  it('keeps a token out of every message, even of a bad row', async () => {
    const ws = workspace();
    const secret = 'tk_s3cr3t0000000042';
    ws.write('orders.csv', elopageCsv([row(1, { token: secret, email: 'bad' }), row(2, { token: secret, open: 'x' })]));
    const result = await ws.dunning('import', 'orders.csv');
    // Every row rejected: nothing imported, exit 2 (issue 18; was 1).
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(secret);
    expect(JSON.stringify(query(ws.db, 'SELECT * FROM runs'))).not.toContain(secret);
  });
});
