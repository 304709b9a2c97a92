import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { query } from '../support/db.js';
import { elopageCsv, rows, TEST_CONFIG } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

// Inputs that cannot be an export, configs and databases that are refused: exit 2, nothing changed.

async function withCases(): Promise<Workspace> {
  const ws = workspace();
  ws.write('first.csv', elopageCsv(rows(3)));
  expect((await ws.dunning('import', 'first.csv')).code).toBe(0);
  return ws;
}

describe('import: files that cannot be an export', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const ZIP = Buffer.concat([Buffer.from('504b0304140006000800', 'hex'), Buffer.from('[Content_Types].xml')]);
  it.each([
    ['an empty file', Buffer.alloc(0), ['error: orders.csv: the file is empty', 'hint: export the pending payments again; the file has no header row']],
    ['a file with only a BOM and blank lines', Buffer.from('\ufeff\n\n'), ['error: orders.csv: the first line is empty; an export starts with its header row']],
    ['a PNG', PNG, ['error: orders.csv: not a CSV export: it contains NUL bytes (a spreadsheet, an archive or another binary file?)']],
    ['an .xlsx (ZIP)', ZIP, ['error: orders.csv: not a CSV export: it contains NUL bytes (a spreadsheet, an archive or another binary file?)']],
    ['a PDF', Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n', 'latin1'), ['error: orders.csv: not a CSV export: it is a PDF; export the orders as CSV']],
    [
      'missing required columns',
      Buffer.from('E-Mail;Vorname;Betrag;Datum\nanna@example.de;Anna;49,00;20.11.2026\n'),
      [
        'error: orders.csv: not an export dunning can read: missing columns "Bestell-ID" (order_id), "Offener Betrag" (open_amount), "Fälligkeitsdatum" (due_date), "Token" (token)',
        '  headers found: "E-Mail", "Vorname", "Betrag", "Datum"',
        // Issue 18: the headers that would have matched, in the file's language, and every preset by name.
        '  order_id: "Bestell-ID" or "Bestellnummer" would match (elopage)',
        '  due_date: "Fälligkeitsdatum" or "Fällig am" would match (elopage)',
        'hint: pass --preset elopage|shopify|woocommerce|stripe|digistore24|generic, or map your headers in dunning.config.json under "import.columns" (field -> header)',
      ],
    ],
    ['a duplicated mapped header', Buffer.from(`${elopageCsv(rows(1)).trimEnd().replace('\n', ';Token\n')};x\n`), ['error: orders.csv: the header "Token" appears twice (columns 9 and 10)', 'hint: rename or remove one of them, so dunning cannot read the wrong one']],
  ])('refuses %s: exit 2, database unchanged', async (_what, content, expected) => {
    const ws = await withCases();
    const before = ws.store();
    ws.write('orders.csv', content);
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual(expected);
    expect(result.stdout).toBe('');
    expect(ws.store()).toEqual(before);
    expect(existsSync(ws.file('orders.rejects.csv'))).toBe(false);
  });

  it('refuses a file that does not exist, and a folder', async () => {
    const ws = await withCases();
    const before = ws.store();
    const missing = await ws.dunning('import', 'nope.csv');
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual(['error: nope.csv: no such file', 'hint: check the path of the export']);
    ws.write('folder/x.csv', 'a');
    const folder = await ws.dunning('import', 'folder');
    expect(folder.code).toBe(2);
    expect(lines(folder.stderr)).toEqual(['error: folder: not a file']);
    expect(ws.store()).toEqual(before);
  });

  it('refuses every file when one of several is bad', async () => {
    const ws = await withCases();
    const before = ws.store();
    ws.write('good.csv', elopageCsv(rows(5)));
    ws.write('empty.csv', '');
    const result = await ws.dunning('import', 'good.csv', 'empty.csv');
    expect(result.code).toBe(2);
    expect(ws.store()).toEqual(before);
  });
});

describe('config problems: listed at once with key paths, nothing runs', () => {
  it('lists every problem with its key path, exits 2 and creates no database', async () => {
    const ws = workspace({
      timeZone: 'Europe/Bielefeld',
      currency: 'EURO',
      manageLink: 'https://example.com/pay',
      colour: 'blue',
      import: { preset: 'magento', numberFormat: 'fr' },
      sequence: { stages: [{ name: 'reminder', afterDays: 3, template: 'r' }, { name: 'reminder', afterDays: 1, template: 'r' }] },
    });
    ws.write('orders.csv', elopageCsv(rows(1)));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    const err = lines(result.stderr);
    expect(err[0]).toBe(`error: ${ws.file('dunning.config.json')}: 8 problems in the configuration`);
    // The schema's problems, then what the keys it accepted mean: all in one round.
    expect(err.slice(1, -1)).toEqual([
      '  currency: an ISO 4217 code such as EUR',
      '  import.preset: Invalid option: expected one of "auto"|"elopage"|"shopify"|"woocommerce"|"stripe"|"digistore24"|"generic"',
      '  import.numberFormat: Invalid option: expected one of "auto"|"de"|"en"',
      '  (top level): unknown key "colour"',
      '  timeZone: "Europe/Bielefeld" is not an IANA time zone such as Europe/Berlin',
      '  manageLink: must contain a placeholder such as {token}, {order_id} or {field:HEADER}',
      '  sequence.stages.1.name: "reminder" is used twice',
      "  sequence.stages.1.after: 1d must be later than the previous stage's 3d",
    ]);
    expect(err.at(-1)).toMatch(/^hint: fix these keys/);
    expect(existsSync(ws.db)).toBe(false);
  });

  it('lists the problems a schema cannot see, also all at once', async () => {
    const ws = workspace({
      timeZone: 'Europe/Bielefeld',
      currency: 'XYZ',
      manageLink: 'https://example.com/pay',
      sequence: { stages: [{ name: 'reminder', afterDays: 3, template: 'r' }, { name: 'reminder', afterDays: 1, template: 'r' }] },
    });
    const result = await ws.dunning('status');
    expect(result.code).toBe(2);
    expect(lines(result.stderr).slice(1, -1)).toEqual([
      '  timeZone: "Europe/Bielefeld" is not an IANA time zone such as Europe/Berlin',
      '  currency: "XYZ" is not an ISO 4217 currency code',
      '  manageLink: must contain a placeholder such as {token}, {order_id} or {field:HEADER}',
      '  sequence.stages.1.name: "reminder" is used twice',
      "  sequence.stages.1.after: 1d must be later than the previous stage's 3d",
    ]);
    expect(existsSync(ws.db)).toBe(false);
  });

  it('refuses a locale no template speaks before anything renders, naming the languages there are', async () => {
    const ws = await withCases();
    // fr, es, it, nl and pl ship since issue 22: Portuguese does not.
    ws.write('dunning.config.json', JSON.stringify({ ...TEST_CONFIG, locale: 'pt', sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de' } }));
    for (const args of [['send', '--dry-run'], ['templates', 'check'], ['preview', '--template', 'reminder']]) {
      const result = await ws.dunning(...args);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      expect(lines(result.stderr)).toEqual([
        'error: "locale" is "pt" in the config, but template "reminder" has no "pt" version',
        'hint: its languages are de, en, es, fr, it, nl, pl: set "locale" to one of them, or add reminder/pt/ (subject.hbs, text.hbs, html.hbs) to your own templates folder ("templates.dir")',
      ]);
    }
    expect(query(ws.db, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 0 }]);
  });

  it('says where JSON is broken, by line and column', async () => {
    const ws = workspace(null);
    ws.write('dunning.config.json', '{\n  "timeZone": "Europe/Berlin",\n  "currency": EUR\n}\n');
    const result = await ws.dunning('status');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      `error: ${ws.file('dunning.config.json')}: line 3, column 15: not valid JSON (Unexpected token 'E')`,
      'hint: fix the JSON syntax (an editor that knows the $schema helps)',
    ]);
    expect(existsSync(ws.db)).toBe(false);
  });

  it('refuses a --config file that does not exist', async () => {
    const ws = workspace(null);
    const result = await ws.dunning('--config', 'other.json', 'status');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual(['error: other.json: no such config file', 'hint: run "dunning init" to write one, or fix the --config path']);
  });
});

describe('databases that are refused', () => {
  it.each([['status'], ['send'], ['send', '--dry-run'], ['report'], ['runs'], ['export'], ['promo', 'export'], ['preview', '--template', 'reminder'], ['customer', 'anna@example.de']])(
    '%s in a folder without a database: exit 2, a hint, and no empty database left behind',
    async (...args) => {
      const ws = workspace();
      const result = await ws.dunning(...args);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toEqual([
        `error: ${ws.db}: no database here yet`,
        'hint: run "dunning import FILE" first, or pass --db with the right file',
      ]);
      expect(existsSync(ws.db)).toBe(false);
    },
  );

  it('refuses a database written by a newer dunning, and leaves it alone', async () => {
    const ws = await withCases();
    const db = new Database(ws.db);
    db.pragma('user_version = 99');
    db.close();
    const before = ws.store();
    ws.write('orders.csv', elopageCsv(rows(5)));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([
      `error: ${ws.db} was written by a newer version of dunning (schema 99; this version knows up to ${MIGRATIONS.length})`,
      'hint: upgrade dunning (npm install -g dunning@latest) before using this database',
    ]);
    expect(ws.store()).toEqual(before);
    expect((await ws.dunning('status')).code).toBe(2);
  });

  it('refuses an SQLite database of another program and does not migrate it', async () => {
    const ws = workspace();
    const db = new Database(ws.db);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x')");
    db.close();
    ws.write('orders.csv', elopageCsv(rows(1)));
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([`error: ${ws.db} is an SQLite database, but not one of dunning's`, 'hint: pass --db with another file name']);
    const after = new Database(ws.db, { readonly: true });
    expect(after.prepare('SELECT name FROM sqlite_schema').pluck().all()).toEqual(['contacts']);
    after.close();
  });

  it('refuses a file that is not a database at all', async () => {
    const ws = workspace();
    ws.write('dunning.db', 'E-Mail;Vorname\n');
    const result = await ws.dunning('status');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(`error: ${ws.db}: cannot open the database: file is not a database`);
  });
});

describe('usage errors', () => {
  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['import', '--frob', 'x.csv'], /unknown option '--frob'/],
    [['import'], /missing required argument 'files'/],
    [['import', '--preset', 'magento', 'x.csv'], /argument 'magento' is invalid/],
    [['import', '--snapshot', '--partial', 'x.csv'], /option '--snapshot' cannot be used with option '--partial'/],
    [['runs', '--last', '0'], /expected a whole number of at least 1/],
    // The rule of the config's import.source, which keys cases and shows in manage links.
    [['import', '--source', 'My Shop', 'x.csv'], /option '--source <name>' argument 'My Shop' is invalid\. expected lower-case letters, digits, "-" and "_"/],
    [['import', '--source', '-shop', 'x.csv'], /argument '-shop' is invalid/],
  ])('%j exits 2', async (args, message) => {
    const ws = workspace();
    const result = await ws.dunning(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(ws.db)).toBe(false);
  });

  it.each([['yesterday'], ['2026-11-23T09:00'], ['2026-13-45'], ['']])('refuses --now %j with exit 2', async (now) => {
    const ws = workspace();
    const result = await ws.dunning('--now', now, 'status');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([`error: --now "${now}" is not an ISO date or date-time with a zone`, 'hint: use e.g. --now 2026-11-23 or --now 2026-11-23T09:00:00+01:00']);
    expect(existsSync(ws.db)).toBe(false);
  });
});
