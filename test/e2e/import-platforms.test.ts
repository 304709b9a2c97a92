import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { caseOf, query } from '../support/db.js';
import { TEST_CONFIG } from '../support/exports.js';
import { DUNNING, lines, NOW, ROOT } from '../support/run-cli.js';
import { createWorld, workspace, type Workspace } from '../support/workspace.js';

// Issue 18: every platform's export imports with no mapping, and only the open orders become cases.

function withExample(name: string, config: Record<string, unknown> = TEST_CONFIG): Workspace {
  const ws = workspace(config);
  ws.write(name, readFileSync(join(ROOT, 'examples', name)));
  return ws;
}

function openCases(ws: Workspace): unknown[] {
  return query(ws.db, "SELECT order_id, product, open_minor, currency, due_date, due_at FROM cases WHERE status = 'open' ORDER BY id");
}

describe('import: the shipped example of each platform, no mapping', () => {
  it('Shopify: pending and partially paid orders are open, line items join their order, a missing e-mail is rejected', async () => {
    const ws = withExample('shopify-orders.csv');
    const result = await ws.dunning('import', 'shopify-orders.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toEqual([
      'shopify-orders.csv: preset shopify (from the header row), utf8, delimiter ",", partial of source "shopify"',
      'shopify-orders.csv: 6 rows read: 2 new, 0 updated, 0 closed as paid, 0 unchanged, 1 rejected',
      '  3 not open (authorized 1, paid 1, refunded 1)',
    ]);
    expect(lines(result.stderr)).toEqual(['shopify-orders.csv:8: column "Email": is empty; every row needs an e-mail address', '  bad rows written to shopify-orders.rejects.csv']);
    expect(openCases(ws)).toEqual([
      // Net 15 from the order date is what the export's own "Next Payment Due At" says too.
      { order_id: '#1102', product: 'Retreat Allgäu (Doppelzimmer), Meditationskissen', open_minor: 129900, currency: 'EUR', due_date: '2026-11-18', due_at: '2026-11-18T13:03:10.000Z' },
      // partially_paid: the outstanding balance, due 30 days after the order (Net 30, no due date in the row).
      { order_id: '#1104', product: 'Ausbildung Teil 1', open_minor: 30000, currency: 'EUR', due_date: '2026-12-05', due_at: '2026-12-05T09:40:00.000Z' },
    ]);
    expect(caseOf(ws.db, '#1102')).toMatchObject({ first_name: 'Jonas', last_name: 'Vogel', email: 'jonas.vogel@example.de' });
    expect(JSON.parse(String(caseOf(ws.db, '#1102')?.extra))).toMatchObject({ Id: '5810001102' });
  });

  it('WooCommerce: pending, on hold and failed orders are open; refunded, cancelled, completed and unknown statuses are not', async () => {
    const ws = withExample('woocommerce-orders.csv');
    const result = await ws.dunning('import', 'woocommerce-orders.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(1)).toEqual([
      'woocommerce-orders.csv: 8 rows read: 3 new, 0 updated, 0 closed as paid, 0 unchanged, 0 rejected',
      '  5 not open (cancelled 1, checkout draft 1, completed 1, processing 1, refunded 1)',
    ]);
    expect(openCases(ws)).toEqual([
      { order_id: '2001', product: 'Online-Kurs Pilates', open_minor: 9900, currency: 'EUR', due_date: '2026-11-10', due_at: '2026-11-10T08:12:44.000Z' },
      { order_id: '2003', product: 'Jahresabo Studio', open_minor: 120000, currency: 'EUR', due_date: '2026-11-11', due_at: '2026-11-11T14:45:10.000Z' },
      { order_id: '2005', product: 'Retreat Anzahlung', open_minor: 29700, currency: 'CHF', due_date: '2026-11-13', due_at: '2026-11-13T18:20:31.000Z' },
    ]);
    // The refunded 99 EUR order of the issue is not a case.
    expect(caseOf(ws.db, '2002')).toBeUndefined();
  });

  it('Stripe invoices: open ones with an amount remaining; paid, void, draft and uncollectible are not open; dates in UTC', async () => {
    const ws = withExample('stripe-invoices.csv');
    const result = await ws.dunning('import', 'stripe-invoices.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[2]).toBe('  4 not open (draft 1, paid 1, uncollectible 1, void 1)');
    expect(openCases(ws)).toEqual([
      { order_id: '6F3A1B2C-0001', product: 'Consulting package', open_minor: 129900, currency: 'EUR', due_date: '2026-11-15', due_at: '2026-11-15T09:00:00.000Z' },
      { order_id: '6F3A1B2C-0006', product: 'Pro plan', open_minor: 2990, currency: 'EUR', due_date: '2026-11-05', due_at: '2026-11-05T13:03:10.000Z' },
    ]);
    expect(caseOf(ws.db, '6F3A1B2C-0001')).toMatchObject({ first_name: 'Olivia', last_name: 'Martin' });
    expect(JSON.parse(String(caseOf(ws.db, '6F3A1B2C-0001')?.extra))).toMatchObject({ id: 'in_1QaA2bC3dE4fG5h6' });
  });

  it('Digistore24: unpaid and reminding are open; paying, completed and aborted are not', async () => {
    const ws = withExample('digistore24-orders.csv');
    const result = await ws.dunning('import', 'digistore24-orders.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[2]).toBe('  3 not open (aborted 1, completed 1, paying 1)');
    expect(openCases(ws)).toEqual([
      { order_id: 'DS24ABCD1', product: 'Masterclass Atmung', open_minor: 29700, currency: 'EUR', due_date: '2026-11-15', due_at: '2026-11-15T09:00:00.000Z' },
      { order_id: 'DS24ABCD4', product: 'Ausbildung Atemtrainer', open_minor: 120000, currency: 'EUR', due_date: '2026-11-04', due_at: '2026-11-04T12:00:00.000Z' },
    ]);
  });

  it('elopage: as before', async () => {
    const ws = withExample('elopage-export.csv');
    const result = await ws.dunning('import', 'elopage-export.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toContain('preset elopage (from the header row)');
  });
});

describe('import: a status that changes closes the case', () => {
  const HEADER = 'Order Number,Order Status,Order Date,First Name (Billing),Last Name (Billing),Email (Billing),Order Currency,Order Total Amount';
  it('a pending order later completed closes as paid, one later refunded or cancelled closes as cancelled', async () => {
    const ws = workspace();
    ws.write('day1.csv', `${HEADER}\n3001,Pending payment,2026-11-10 09:00:00,Mia,Schulz,mia@example.de,EUR,99.00\n3002,On hold,2026-11-10 09:00:00,Paul,Weber,paul@example.de,EUR,49.00\n3003,Failed,2026-11-10 09:00:00,Ida,Roth,ida@example.de,EUR,19.00\n`);
    expect((await ws.dunning('import', 'day1.csv')).code).toBe(0);
    ws.write('day2.csv', `${HEADER}\n3001,Completed,2026-11-10 09:00:00,Mia,Schulz,mia@example.de,EUR,99.00\n3002,Refunded,2026-11-10 09:00:00,Paul,Weber,paul@example.de,EUR,49.00\n3003,Failed,2026-11-10 09:00:00,Ida,Roth,ida@example.de,EUR,19.00\n`);
    const result = await ws.dunning('import', 'day2.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout).slice(1)).toEqual([
      'day2.csv: 3 rows read: 0 new, 0 updated, 1 closed as paid, 1 unchanged, 0 rejected',
      '  1 case closed as cancelled (refunded, cancelled or voided), 2 not open (completed 1, refunded 1)',
    ]);
    expect(query(ws.db, 'SELECT order_id, status, closed_reason FROM cases ORDER BY id')).toEqual([
      { order_id: '3001', status: 'paid', closed_reason: 'paid_in_full' },
      { order_id: '3002', status: 'cancelled', closed_reason: 'cancelled' },
      { order_id: '3003', status: 'open', closed_reason: null },
    ]);
    expect(query(ws.db, 'SELECT amount_minor, kind FROM payments')).toEqual([{ amount_minor: 9900, kind: 'in_full' }]);
  });
});

describe('import: values and dates as the platforms and Excel write them', () => {
  it('a WooCommerce file saved by German Excel: Windows-1252, ";", 1.200,00 and 10.01.2025 10:12', async () => {
    const ws = workspace();
    const csv = [
      'Order Number;Order Status;Order Date;First Name (Billing);Last Name (Billing);Email (Billing);Order Total Amount;Item Name',
      '4001;Pending payment;10.01.2025 10:12;Jürgen;Groß;juergen@example.de;1.200,00;Kurs „Atmen“ – 10 €',
      '4002;On hold;10.01.2025 10:12:33;Zoë;Weiß;zoe@example.de;49,9;Yoga-Gurt',
      '',
    ].join('\r\n');
    ws.write('excel.csv', iconv.encode(csv, 'windows-1252'));
    const result = await ws.dunning('import', 'excel.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('excel.csv: preset woocommerce (from the header row), windows-1252, delimiter ";", partial of source "woocommerce"');
    expect(caseOf(ws.db, '4001')).toMatchObject({ first_name: 'Jürgen', last_name: 'Groß', product: 'Kurs „Atmen“ – 10 €', open_minor: 120000, due_date: '2025-01-10', due_at: '2025-01-10T09:12:00.000Z' });
    expect(caseOf(ws.db, '4002')).toMatchObject({ first_name: 'Zoë', open_minor: 4990, due_at: '2025-01-10T09:12:33.000Z' });
  });

  it('a US file: 1/15/2025 15:03 reads by itself, 1/5/2025 with import.dateOrder MDY, lower-case currency codes', async () => {
    const ws = workspace({ ...TEST_CONFIG, timeZone: 'America/New_York', import: { dateOrder: 'MDY' } });
    const csv = [
      'order_id,status,date,billing_first_name,billing_last_name,billing_email,order_total,order_currency',
      '5001,pending,1/15/2025 15:03,Emma,Jones,emma@example.com,1299.00,usd',
      '5002,on-hold,1/5/2025,Liam,Smith,liam@example.com,297,usd',
      '',
    ].join('\n');
    ws.write('us.csv', csv);
    const result = await ws.dunning('import', 'us.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toContain('preset woocommerce (from the header row)');
    expect(caseOf(ws.db, '5001')).toMatchObject({ open_minor: 129900, currency: 'USD', due_date: '2025-01-15', due_at: '2025-01-15T20:03:00.000Z' });
    expect(caseOf(ws.db, '5002')).toMatchObject({ open_minor: 29700, due_date: '2025-01-05', due_at: null });
  });

  it('a short mapping for another export: the columns, and import.dueAfterDays for a file without due dates', async () => {
    const ws = workspace({
      ...TEST_CONFIG,
      import: { columns: { email: 'Kunde E-Mail', order_id: 'Beleg', open_amount: 'Saldo', order_date: 'Belegdatum', status: 'Zustand' }, dueAfterDays: 14 },
    });
    ws.write('other.csv', 'Beleg;Kunde E-Mail;Saldo;Belegdatum;Zustand\nR-1;a@example.de;49,00;01.11.2026;offen\nR-2;b@example.de;0,00;02.11.2026;bezahlt\nR-3;c@example.de;19,00;03.11.2026;\n');
    const result = await ws.dunning('import', 'other.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[0]).toBe('other.csv: columns from dunning.config.json, utf8, delimiter ";", partial of source "custom"');
    expect(lines(result.stdout)[2]).toBe('  1 not open (bezahlt 1)');
    expect(query(ws.db, 'SELECT order_id, open_minor, due_date, token FROM cases ORDER BY id')).toEqual([
      { order_id: 'R-1', open_minor: 4900, due_date: '2026-11-15', token: null },
      { order_id: 'R-3', open_minor: 1900, due_date: '2026-11-17', token: null },
    ]);
  });

  it('a paid row with no due date is not open, never rejected', async () => {
    const ws = workspace();
    ws.write('all.csv', 'email,order_id,open_amount,due_date\na@example.de,X-1,0.00,\nb@example.de,X-2,12.00,2026-11-20\n');
    const result = await ws.dunning('import', 'all.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)[2]).toBe('  1 not open (nothing open 1)');
    expect(caseOf(ws.db, 'X-2')).toMatchObject({ open_minor: 1200, token: null });
  });
});

describe('import: bad input', () => {
  it.each([
    [
      'a PayPal activity download',
      '"Date","Time","TimeZone","Name","Type","Status","Currency","Gross","Fee","Net","From Email Address","To Email Address","Transaction ID"\n"01/11/2026","10:00:00","CET","Anna","Payment","Completed","EUR","49.00","-1.20","47.80","anna@example.de","shop@example.de","1AB23456CD789012E"\n',
      'error: orders.csv: this is a PayPal activity download (a list of payments), not a list of open orders; nothing was imported',
    ],
    [
      'a German PayPal activity download',
      'Datum;Uhrzeit;Zeitzone;Beschreibung;Währung;Brutto;Entgelt;Netto;Guthaben;Transaktionscode;Absender E-Mail-Adresse\n01.11.2026;10:00:00;MEZ;Zahlung;EUR;49,00;-1,20;47,80;100,00;1AB23456CD789012E;anna@example.de\n',
      'error: orders.csv: this is a PayPal activity download (Aktivitäten: a list of payments), not a list of open orders; nothing was imported',
    ],
    [
      'a Stripe payments export',
      'id,Description,Seller Message,Created (UTC),Amount,Amount Refunded,Currency,Captured,Status,Customer Email\nch_1,Pro plan,Payment complete.,2026-11-01 10:00:00,49.00,0.00,eur,true,Paid,anna@example.de\n',
      'error: orders.csv: this is a Stripe payments export (charges, not invoices), not a list of open orders; nothing was imported',
    ],
  ])('refuses %s: exit 2, what it is and what to export instead', async (_what, content, message) => {
    const ws = workspace();
    ws.write('orders.csv', content);
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(message);
    expect(lines(result.stderr)[1]).toMatch(/^hint: /);
    expect(result.stdout).toBe('');
  });

  it('an English Shopify file missing a column is told about Shopify headers, not "Offener Betrag"', async () => {
    const ws = workspace();
    ws.write('orders.csv', 'Name,Email,Financial Status,Lineitem name\n#1,a@example.com,pending,Mat\n');
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe('error: orders.csv: not an export dunning can read: missing column "Outstanding Balance" (open_amount)');
    expect(result.stderr).toContain('open_amount: "Outstanding Balance" or "Total" would match (shopify)');
    expect(result.stderr).not.toContain('Offener Betrag');
  });

  it('every row rejected: exit 2, nothing imported', async () => {
    const ws = workspace();
    ws.write('bad.csv', 'Order Number,Order Status,Order Date,Email (Billing),Order Total Amount\n6001,Pending payment,2026-11-10,,49.00\n6002,Pending payment,2026-11-10,not-an-address,49.00\n');
    const result = await ws.dunning('import', 'bad.csv');
    expect(result.code).toBe(2);
    expect(lines(result.stderr).slice(0, 2)).toEqual([
      'bad.csv:2: column "Email (Billing)": is empty; every row needs an e-mail address',
      expect.stringMatching(/^bad\.csv:3: column "Email \(Billing\)": /) as string,
    ]);
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: 0 }]);
  });

  it('a WooCommerce order with a date that is not one: rejected with file, line, column and reason', async () => {
    const ws = workspace();
    ws.write('bad.csv', 'Order Number,Order Status,Order Date,Email (Billing),Order Total Amount\n7001,Pending payment,31.02.2026 10:00,a@example.de,49.00\n7002,Pending payment,2026-11-10,b@example.de,49.00\n');
    const result = await ws.dunning('import', 'bad.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)[0]).toBe('bad.csv:2: column "Order Date": "31.02.2026 10:00" is not a date in the calendar');
    expect(caseOf(ws.db, '7002')).toMatchObject({ open_minor: 4900 });
  });
});

describe('the pay link without a token', () => {
  it('WooCommerce: manageLink from {order_id} and {field:Order Key}; status and the dry run say once that it carries no secret', async () => {
    const ws = createWorld({ manageLink: 'https://shop.yoga-sonne.de/checkout/order-pay/{order_id}/?pay_for_order=true&key={field:Order Key}' });
    ws.write('woocommerce-orders.csv', readFileSync(join(ROOT, 'examples', 'woocommerce-orders.csv')));
    expect((await ws.dunning('import', 'woocommerce-orders.csv')).code).toBe(0);
    const note = 'note: the "manageLink" pattern carries no secret (no {token}): anyone who knows an order number can open that page, so it must ask the customer to log in';
    const status = await ws.dunning('status');
    expect(status.code).toBe(0);
    expect(lines(status.stderr)).toEqual([note]);
    expect(status.stdout).not.toContain('no token');
    const dry = await ws.dunning('send', '--dry-run');
    expect(dry.code).toBe(0);
    expect(lines(dry.stderr).filter((l) => l.startsWith('note:'))).toEqual([note]);
    const sent = await ws.dunning('send');
    expect(sent.code).toBe(0);
    const dir = join(ws.dir, 'outbox');
    const mails = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(dir, f), 'utf8').replace(/=\r?\n/g, ''));
    expect(mails).toHaveLength(3);
    const all = mails.join('\n');
    expect(all).toContain('https://shop.yoga-sonne.de/checkout/order-pay/2001/?pay_for_order=3Dtrue&key=3Dwc_order_a1B2c3D4e5F6g');
    expect(all).toContain('https://shop.yoga-sonne.de/checkout/order-pay/2005/?pay_for_order=3Dtrue&key=3Dwc_order_c5D6e7F8g9H0i');
    // Never another order's key: the refunded order 2002's key is in no message.
    expect(all).not.toContain('wc_order_h7I8j9K0l1M2n');
  });
});

describe('the README\'s cron line', () => {
  // The line from README.md "cron", with the outbox instead of SMTP and without the env file.
  const LINE = '{ dunning import --snapshot exports/pending.csv; [ $? -le 1 ]; } && dunning send --channel outbox --quiet';

  function cron(ws: Workspace): Promise<number | null> {
    ws.write('bin/dunning', `#!/bin/sh\nexec "${process.execPath}" "${DUNNING}" --now "${NOW}" "$@"\n`);
    chmodSync(join(ws.dir, 'bin', 'dunning'), 0o755);
    const child = spawn('/bin/sh', ['-c', LINE], { cwd: ws.dir, env: { ...process.env, PATH: `${join(ws.dir, 'bin')}:${process.env.PATH ?? ''}`, NO_COLOR: '1' }, stdio: 'ignore' });
    return new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  function sentMessages(ws: Workspace): number {
    return query(ws.db, "SELECT count(*) AS n FROM messages WHERE state = 'sent'")[0]?.n as number;
  }

  it('sends after an import that rejected a few rows (exit 1)', async () => {
    const ws = createWorld();
    ws.write('exports/pending.csv', readFileSync(join(ROOT, 'examples', 'elopage-export.csv'), 'utf8').replace('ben.schaefer@example.de', 'not-an-address'));
    expect(await cron(ws)).toBe(0);
    expect(sentMessages(ws)).toBeGreaterThan(0);
  });

  it('does not send when the import imported nothing (exit 2)', async () => {
    const ws = createWorld();
    ws.write('exports/pending.csv', 'nothing,useful\n1,2\n');
    expect(await cron(ws)).toBe(1);
    // The refused import is in the run log; no send ran after it.
    expect(existsSync(ws.db) ? query(ws.db, 'SELECT command FROM runs') : []).toEqual([{ command: 'import' }]);
  });
});

describe('the pay link from the export', () => {
  it('Digistore24: each open order\'s order_details_url is its link, as it is, with no manageLink configured', async () => {
    const ws = createWorld({ manageLink: undefined });
    ws.write('digistore24-orders.csv', readFileSync(join(ROOT, 'examples', 'digistore24-orders.csv')));
    expect((await ws.dunning('import', 'digistore24-orders.csv')).code).toBe(0);
    expect(query(ws.db, "SELECT order_id, pay_link FROM cases WHERE status = 'open' ORDER BY id")).toEqual([
      { order_id: 'DS24ABCD1', pay_link: 'https://www.digistore24.com/order/DS24ABCD1/x9a1' },
      { order_id: 'DS24ABCD4', pay_link: 'https://www.digistore24.com/order/DS24ABCD4/x9a4' },
    ]);
    const status = await ws.dunning('status');
    expect(status.stdout).not.toContain('no token');
    const sent = await ws.dunning('send');
    expect(sent.code).toBe(0);
    const dir = join(ws.dir, 'outbox');
    const mails = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(dir, f), 'utf8').replace(/=\r?\n/g, ''));
    expect(mails).toHaveLength(2);
    const greta = mails.find((m) => m.includes('greta.lang@example.de')) ?? '';
    expect(greta).toContain('https://www.digistore24.com/order/DS24ABCD1/x9a1');
    // Never another order's link.
    expect(greta).not.toContain('DS24ABCD4');
  });

  it('a pay_link that is not an https:// URL is rejected with its line and column', async () => {
    const ws = workspace();
    ws.write('orders.csv', 'email,order_id,open_amount,due_date,pay_link\na@example.de,P-1,12.00,2026-11-20,http://pay.example.de/1\nb@example.de,P-2,12.00,2026-11-20,javascript:alert(1)\nc@example.de,P-3,12.00,2026-11-20,https://pay.shop.de/p/3\n');
    const result = await ws.dunning('import', 'orders.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stderr).slice(0, 2)).toEqual([
      'orders.csv:2: column "pay_link": "http://pay.example.de/1" is not an https:// link',
      'orders.csv:3: column "pay_link": "javascript:alert(1)" is not an https:// link',
    ]);
    expect(caseOf(ws.db, 'P-3')).toMatchObject({ pay_link: 'https://pay.shop.de/p/3' });
  });
});
