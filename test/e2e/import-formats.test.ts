import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { caseOf, query } from '../support/db.js';
import { TEST_CONFIG, elopageCsv, row } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace } from '../support/workspace.js';

// Encodings, delimiters and layouts: what German Excel and other tools save.

const UMLAUTS = [row(1, { first: 'Jürgen', last: 'Groß', product: 'Kurs „Gesund leben“ – 10 €' }), row(2, { first: 'Özlem', last: 'Yılmaz' })];

describe('import: encodings', () => {
  it('reads a Windows-1252 file with umlauts, euro sign and typographic quotes', async () => {
    const ws = workspace();
    const csv = elopageCsv([UMLAUTS[0]!]);
    ws.write('excel.csv', iconv.encode(csv, 'windows-1252'));
    const result = await ws.dunning('import', 'excel.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('excel.csv: preset elopage (from the header row), windows-1252, delimiter ";", snapshot of source "elopage"');
    expect(caseOf(ws.db, '1001')).toMatchObject({ first_name: 'Jürgen', last_name: 'Groß', product: 'Kurs „Gesund leben“ – 10 €' });
  });

  it('reads UTF-16LE with a BOM, tab-delimited (Excel\'s "Unicode text")', async () => {
    const ws = workspace();
    const csv = elopageCsv(UMLAUTS, { delimiter: '\t' });
    ws.write('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]));
    const result = await ws.dunning('import', 'unicode.txt');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('unicode.txt: preset elopage (from the header row), utf16le, delimiter tab, snapshot of source "elopage"');
    expect(query(ws.db, 'SELECT first_name, last_name FROM cases ORDER BY id')).toEqual([
      { first_name: 'Jürgen', last_name: 'Groß' },
      { first_name: 'Özlem', last_name: 'Yılmaz' },
    ]);
  });

  it('reads UTF-8 with a BOM and CRLF line ends', async () => {
    const ws = workspace();
    ws.write('bom.csv', `\ufeff${elopageCsv(UMLAUTS).replace(/\n/g, '\r\n')}`);
    const result = await ws.dunning('import', 'bom.csv');
    expect(result.code).toBe(0);
    expect(caseOf(ws.db, '1002')).toMatchObject({ first_name: 'Özlem', token: 'tk_0000000000000002' });
  });

  it('a late umlaut decides the encoding when the first 64 KiB are plain ASCII', async () => {
    const ws = workspace();
    const ascii = Array.from({ length: 1500 }, (_, i) => `k${i}@example.de;Ben;Berg;${5000 + i};20.11.2026;49,00;tk_${i}`);
    const text = ['Email;First name;Last name;Order ID;Due date;Open amount;Token', ...ascii, 'k@example.de;J\xfcrgen;Gro\xdf;9999;20.11.2026;49,00;tk_x', ''].join('\n');
    ws.write('late.csv', Buffer.from(text, 'latin1'));
    const result = await ws.dunning('import', 'late.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toContain(', windows-1252, ');
    expect(caseOf(ws.db, '9999')).toMatchObject({ first_name: 'Jürgen', last_name: 'Groß' });
  });

  it('a UTF-8 file with one Windows-1252 row: that row is refused with its byte and column, the others import', async () => {
    const ws = workspace();
    const header = 'Email;First name;Last name;Order ID;Due date;Open amount;Token';
    const good = ['anna@example.de;Jürgen;Müller;4001;20.11.2026;49,00;tk_a', 'bo@example.de;Zoë;Weiß;4002;20.11.2026;19,00;tk_b'];
    const stray = Buffer.from('cy@example.de;J\xfcrgen;Gro;4003;20.11.2026;9,00;tk_c\n', 'latin1');
    ws.write('mixed.csv', Buffer.concat([Buffer.from([header, ...good, ''].join('\n'), 'utf8'), stray]));
    const result = await ws.dunning('import', 'mixed.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stdout)[0]).toContain(', utf8, ');
    expect(lines(result.stderr)).toEqual([
      'mixed.csv:4: not UTF-8 (a byte 0xFC at column 16): re-export as UTF-8 or pass --encoding windows-1252',
      '  bad rows written to mixed.rejects.csv',
    ]);
    expect(caseOf(ws.db, '4001')).toMatchObject({ first_name: 'Jürgen', last_name: 'Müller' });
    expect(caseOf(ws.db, '4002')).toMatchObject({ first_name: 'Zoë', last_name: 'Weiß' });
    expect(caseOf(ws.db, '4003')).toBeUndefined();
  });

  it('--encoding overrides what was detected', async () => {
    const ws = workspace();
    const text = ['Email;First name;Last name;Order ID;Due date;Open amount;Token', 'k@example.de;Ã¼ber;Gro;9999;20.11.2026;49,00;tk_x', ''].join('\n');
    ws.write('forced.csv', Buffer.from(text, 'utf8'));
    const forced = await ws.dunning('import', '--encoding', 'windows-1252', 'forced.csv');
    expect(forced.code).toBe(0);
    expect(lines(forced.stdout)[0]).toContain(', windows-1252, ');
    expect(caseOf(ws.db, '9999')).toMatchObject({ first_name: 'ÃƒÂ¼ber' });
  });
});

describe('import: delimiters', () => {
  it.each([
    [',', 'delimiter ","'],
    ['\t', 'delimiter tab'],
    [';', 'delimiter ";"'],
  ])('detects %j', async (delimiter, said) => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv([row(1, { product: 'Coaching; 6 Monate, online' })], { delimiter }));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toContain(said);
    expect(caseOf(ws.db, '1001')?.product).toBe('Coaching; 6 Monate, online');
  });

  it('--delimiter overrides what was detected', async () => {
    const ws = workspace();
    // A header with more commas than semicolons: detection picks ",", the file means ";".
    const header = 'E-Mail;Vorname, Rufname;Nachname;Bestell-ID;Produktname, kurz;Offener Betrag;Bezahlter Betrag, brutto;Fälligkeitsdatum;Token, geheim, neu';
    const body = elopageCsv([row(1)]).split('\n').slice(1).join('\n');
    ws.write('orders.csv', `${header}\n${body}`);
    const detected = await ws.dunning('import', 'orders.csv');
    expect(detected.code).toBe(2);
    const forced = await ws.dunning('import', '--delimiter', 'semicolon', '--preset', 'elopage', 'orders.csv');
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('missing column "Token" (token)');
    ws.write('orders2.csv', `${header.replace('Token, geheim, neu', 'Token')}\n${body}`);
    const ok = await ws.dunning('import', '--delimiter', ';', 'orders2.csv');
    expect(ok.code).toBe(0);
    expect(lines(ok.stdout)[0]).toContain('delimiter ";"');
  });
});

describe('import: the config\'s "columns" mapping', () => {
  it('imports an export no preset knows, keeping unmapped columns in cases.extra', async () => {
    const ws = workspace({
      ...TEST_CONFIG,
      import: {
        columns: { email: 'Kunden-Mail', name: 'Kunde', order_id: 'Rechnung', open_amount: 'Offen', due_date: 'Fällig', token: 'Link-Code', currency: 'Whg' },
        numberFormat: 'de',
      },
    });
    ws.write('shop.csv', 'Rechnung,Kunde,Kunden-Mail,Offen,Whg,Fällig,Link-Code,Kundennummer,Notiz,Notiz\nR-1,Anna Maria Müller,anna@example.de,"1.200",EUR,2026-11-20,abc,K-77,"=""00123""",zweite\n');
    const result = await ws.dunning('import', 'shop.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('shop.csv: columns from dunning.config.json, utf8, delimiter ",", partial of source "custom"');
    const stored = caseOf(ws.db, 'R-1');
    expect(stored).toMatchObject({ source: 'custom', email: 'anna@example.de', first_name: 'Anna', last_name: 'Maria Müller', open_minor: 120000, currency: 'EUR', token: 'abc' });
    expect(JSON.parse(String(stored?.extra))).toEqual({ Kundennummer: 'K-77', Notiz: '="00123"', 'Notiz (2)': 'zweite' });
  });

  it('names a mapped column the file lacks, and the headers it has', async () => {
    const ws = workspace({ ...TEST_CONFIG, import: { columns: { email: 'Kunden-Mail', order_id: 'Rechnung', open_amount: 'Offen', due_date: 'Fällig', token: 'Link-Code' } } });
    ws.write('shop.csv', 'Rechnung,Mail,Offen,Fällig,Link-Code\nR-1,anna@example.de,12.00,2026-11-20,abc\n');
    const result = await ws.dunning('import', 'shop.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr).slice(0, 2)).toEqual([
      'error: shop.csv: not an export dunning can read: missing column "Kunden-Mail" (email, from the config)',
      '  headers found: "Rechnung", "Mail", "Offen", "Fällig", "Link-Code"',
    ]);
    expect(ws.store()?.cases).toEqual([]);
  });
});
