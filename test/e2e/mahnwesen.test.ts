import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { lines as splitLines } from '../support/run-cli.js';
import { createWorld, type Workspace } from '../support/workspace.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';

// Issue 24: the claim (principal, default interest by the day, fees) in formal notices.

// Each test runs the CLI several times (the hand-over test fourteen): room for a busy machine.
const SEVERAL_RUNS = 180_000;
let world: Workspace;

const statSyncMode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Output lines with Intl's no-break spaces ("1.000,00\u00a0€") as plain ones. */
const lines = (text: string): string[] => splitLines(text.replace(/[\u00a0\u202f]/g, ' '));
afterEach(() => world.cleanup());

const STAGES = [
  { name: 'erinnerung', after: '7d', template: 'reminder' },
  { name: 'mahnung', after: '21d', template: 'mahnung', payWithin: '10d', fee: '2,50' },
  { name: 'letzte', after: '35d', template: 'letzte-mahnung', payWithin: '7d', fee: '2,50' },
];

function merchant(lateCharges: Record<string, unknown> = {}): Workspace {
  return createWorld({
    sender: { name: 'Buchhaltung', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH', address: 'Lindenstraße 12, 10115 Berlin' },
    lateCharges: { customerType: 'b2c', ...lateCharges },
    sequence: { stages: STAGES },
  });
}

/** Imports one 1,000.00 EUR order of anna@example.de due on `due` (DD.MM.YYYY), at `now`. */
async function importOrder(due: string, now: string, open = '1.000,00', paid = '0,00'): Promise<void> {
  const csv = `E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token\nanna@example.de;Anna;Berg;4711;Jahreskurs;${open};${paid};${due};tk_0000000000004711\n`;
  writeFileSync(join(world.dir, 'export.csv'), csv);
  const result = await world.run(['--now', now, 'import', 'export.csv', '--force']);
  expect(result.code).toBe(0);
}

/** The Zahlungserinnerung 7 days after the due date of 15.01.2025, then the Mahnung 21 days after it, each after that day's import. */
async function sendStages(): Promise<void> {
  for (const [day, stage] of [['2025-01-22', 'erinnerung'], ['2025-02-05', 'mahnung']] as const) {
    await importOrder('15.01.2025', `${day}T09:00:00+01:00`);
    const sent = await world.run(['--now', `${day}T09:00:00+01:00`, '--json', 'send']);
    expect([stage, sent.code]).toEqual([stage, 0]);
    expect(sent.stdout).toContain(`"stage": "${stage}"`);
  }
}

describe('the claim in a Mahnung', { timeout: SEVERAL_RUNS }, () => {
  it('states principal, default interest at the statutory rate of each day, and the fee, in text and HTML', async () => {
    world = merchant();
    // Due 2025-01-15, calculated on 2025-03-17: 61 days at 2.27 + 5 = 7.27 % on 1,000.00 = 12.15.
    await importOrder('15.01.2025', '2025-03-17T09:00:00+01:00');
    const preview = await world.run(['--now', '2025-03-17T09:00:00+01:00', 'preview', '--template', 'mahnung']);
    expect(preview.code).toBe(0);
    expect(lines(preview.stdout)).toContain('Subject: Mahnung: 1.014,65 € offen für Bestellung 4711 bei Yoga Sonne GmbH');
    expect(lines(preview.stdout)).toEqual(expect.arrayContaining([
      '  Hauptforderung: 1.000,00 €',
      '  Verzugszinsen: 12,15 € (7,27 % jährlich seit 16.01.2025, 61 Tage)',
      '  Mahngebühren: 2,50 €',
      '  Gesamtbetrag: 1.014,65 €',
      'Bitte zahlen Sie den Gesamtbetrag bis zum 27.03.2025. Hier können Sie bezahlen:',
    ]));
    const html = await world.run(['--now', '2025-03-17T09:00:00+01:00', 'preview', '--template', 'mahnung', '--format', 'html']);
    for (const cell of ['Hauptforderung', '1.000,00&nbsp;€', '12,15&nbsp;€', '2,50&nbsp;€', '1.014,65&nbsp;€', '7,27&nbsp;%']) {
      expect(html.stdout.replace(/\u00a0/g, '&nbsp;')).toContain(cell);
    }
  });

  it('charges a business 9 points over the base rate and the 40 EUR flat fee once', async () => {
    world = merchant({ customerType: 'b2b', flatFeeB2B: true });
    await importOrder('15.01.2025', '2025-03-17T09:00:00+01:00');
    const preview = await world.run(['--now', '2025-03-17T09:00:00+01:00', 'preview', '--template', 'letzte-mahnung', '--locale', 'en']);
    expect(lines(preview.stdout)).toEqual(expect.arrayContaining([
      '  Default interest: €18.83 (11.27% a year since 16 Jan 2025, 61 days)',
      '  Flat-rate compensation (§ 288(5) BGB): €40.00',
      '  Total due: €1,061.33',
    ]));
  });

  it('lowers the interest from the day an import saw a partial payment, and counts each sent notice\'s fee once', async () => {
    world = merchant();
    await sendStages();
    // 400.00 paid, seen on 2025-02-15.
    await importOrder('15.01.2025', '2025-02-15T09:00:00+01:00', '600,00', '400,00');
    const preview = await world.run(['--now', '2025-03-17T09:00:00+01:00', 'preview', '--template', 'letzte-mahnung']);
    // 30 days on 1,000.00 and 31 days on 600.00 at 7.27 %: 5.98 + 3.70 = 9.68; fees: the Mahnung's and this one's.
    expect(lines(preview.stdout)).toEqual(expect.arrayContaining([
      '  Hauptforderung: 600,00 €',
      '  Verzugszinsen: 9,68 € (7,27 % jährlich seit 16.01.2025, 61 Tage)',
      '  Mahngebühren: 5,00 €',
      '  Gesamtbetrag: 614,68 €',
    ]));
  });

  it('sends the notice with the claim when its stage is due', async () => {
    world = merchant();
    await sendStages();
    const dir = join(world.dir, 'outbox');
    const runs = readdirSync(dir).sort((a, b) => Number(a) - Number(b));
    const mahnung = join(dir, runs[1] ?? '');
    const mail = await simpleParser(readFileSync(join(mahnung, readdirSync(mahnung)[0] ?? '')));
    // 21 days at 7.27 % on 1,000.00: 4.18; the Mahnung's fee 2.50.
    expect(mail.subject?.replace(/\u00a0/g, ' ')).toBe('Mahnung: 1.006,68 € offen für Bestellung 4711 bei Yoga Sonne GmbH');
    expect(lines(mail.text ?? '')).toContain('  Verzugszinsen: 4,18 € (7,27 % jährlich seit 16.01.2025, 21 Tage)');
  });
});

describe('late charges that cannot be computed are refused before anything is sent', { timeout: SEVERAL_RUNS }, () => {
  it('names the first day no base-rate period covers, and takes one from lateCharges.baseRates', async () => {
    world = merchant();
    await importOrder('15.10.2026', '2026-12-05T09:00:00+01:00');
    const send = await world.run(['--now', '2026-12-05T09:00:00+01:00', 'send']);
    expect(send.code).toBe(2);
    expect(lines(send.stderr)).toEqual([
      'error: lateCharges: no base rate is known for 2026-07-01; the base rates known run from 2002-01-01 to 2026-06-30',
      'hint: add the period to "lateCharges.baseRates" in the config, e.g. {"from": "2026-07-01", "rate": 1.27}, with the rate the Deutsche Bundesbank published (Basiszinssatz)',
    ]);
    expect(world.query('SELECT * FROM messages')).toEqual([]);
    world.write('dunning.config.json', JSON.stringify({
      ...JSON.parse(readFileSync(world.configPath, 'utf8')) as Record<string, unknown>,
      lateCharges: { customerType: 'b2c', baseRates: [{ from: '2026-07-01', rate: 1.27 }] },
    }));
    const preview = await world.run(['--now', '2026-12-05T09:00:00+01:00', 'preview', '--template', 'mahnung']);
    expect(preview.code).toBe(0);
    expect(lines(preview.stdout)).toContain('  Verzugszinsen: 8,76 € (6,27 % jährlich seit 16.10.2026, 51 Tage)');
  });

  it('lists an unreadable fee and a base-rate period that is no date with their key paths (exit 2)', async () => {
    world = createWorld({
      lateCharges: { baseRates: [{ from: '2026-02-30', rate: 1.27 }] },
      sequence: { stages: [{ name: 'mahnung', after: '21d', template: 'mahnung', fee: 'zwei Euro' }] },
    });
    const result = await world.run(['status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sequence.stages.0.fee: "zwei Euro"');
    expect(result.stderr).toContain('lateCharges.baseRates.0.from: "2026-02-30" is not a calendar date');
  });
});

describe('the hand-over to collections', { timeout: SEVERAL_RUNS }, () => {
  it("charges each notice's fee and the flat fee once for a customer whose notices covered two orders", async () => {
    world = merchant({ customerType: 'b2b', flatFeeB2B: true });
    const header = 'E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token';
    const rows = ['anna@example.de;Anna;Berg;4711;Jahreskurs;1.000,00;0,00;15.01.2025;tk_0000000000004711', 'anna@example.de;Anna;Berg;4712;Workshop;500,00;0,00;15.01.2025;tk_0000000000004712'];
    writeFileSync(join(world.dir, 'export.csv'), `${[header, ...rows].join('\n')}\n`);
    for (const day of ['2025-01-22', '2025-02-05', '2025-02-19']) {
      expect((await world.run(['--now', `${day}T09:00:00+01:00`, 'import', 'export.csv', '--force'])).code).toBe(0);
      expect((await world.run(['--now', `${day}T09:00:00+01:00`, 'send'])).code).toBe(0);
    }
    expect(world.query('SELECT count(*) AS n FROM messages')).toEqual([{ n: 3 }]);
    const due = await world.run(['--now', '2025-03-05T09:00:00+01:00', 'export', '--handover', '--out', 'inkasso.csv']);
    expect(due.stderr).toContain('2 cases to hand over');
    const table = readFileSync(join(world.dir, 'inkasso.csv'), 'utf8').replace(/^\ufeff/, '').trim().split('\n').slice(1).map((line) => line.split(','));
    const column = (i: number): number[] => table.map((cells) => Number(cells[i]));
    // Two notices with a fee of 2.50 each and one 40.00 flat fee, for the claim of both orders.
    expect(column(12).reduce((a, b) => a + b, 0)).toBeCloseTo(45, 2);
    expect(column(12).sort()).toEqual([0, 45]);
    table.forEach((cells) => expect(Number(cells[13])).toBeCloseTo(Number(cells[10]) + Number(cells[11]) + Number(cells[12]), 2));
    const json = await world.run(['--now', '2025-03-05T09:00:00+01:00', '--json', 'export', '--handover']);
    const document = JSON.parse(json.stdout) as { cases: { orderId: string; feesMinor: number; fees: string; reminders: { stage: string }[] }[]; marked: number };
    expect(document.cases.map((c) => [c.orderId, c.feesMinor, c.reminders.map((r) => r.stage)])).toEqual([
      ['4711', 4500, ['erinnerung', 'mahnung', 'letzte']],
      ['4712', 0, ['erinnerung', 'mahnung', 'letzte']],
    ]);
    expect(document.marked).toBe(0);
  });

  it('lists the cases still open 14 days after the last notice, with the claim and the proof of each reminder, and marks them', async () => {
    world = merchant({ customerType: 'b2b', flatFeeB2B: true });
    await sendStages();
    await importOrder('15.01.2025', '2025-02-19T09:00:00+01:00');
    expect((await world.run(['--now', '2025-02-19T09:00:00+01:00', 'send'])).code).toBe(0);
    // 13 days after the letzte Mahnung: not yet.
    const early = await world.run(['--now', '2025-03-04T09:00:00+01:00', 'export', '--handover']);
    expect(early.code).toBe(0);
    expect(lines(early.stdout)).toHaveLength(1);
    expect(early.stderr).toContain('0 cases to hand over; nothing was recorded');

    const due = await world.run(['--now', '2025-03-05T09:00:00+01:00', 'export', '--handover', '--out', 'inkasso.csv', '--mark-handed-over']);
    expect(due.code).toBe(0);
    expect(due.stderr).toContain('1 case to hand over written to');
    const [header, row] = readFileSync(join(world.dir, 'inkasso.csv'), 'utf8').replace(/^\ufeff/, '').trim().split('\n');
    expect(header).toBe('email,first_name,last_name,customer_type,source,order_id,product,due_date,first_seen,currency,principal,interest,fees,total,reminders');
    // 49 days at 2.27 + 9 = 11.27 % on 1,000.00 = 15.13; fees: 2.50 + 2.50 and the 40.00 flat fee.
    expect(row).toMatch(/^anna@example\.de,Anna,Berg,b2b,elopage,4711,Jahreskurs,2025-01-15,2025-01-22,EUR,1000\.00,15\.13,45\.00,1060\.13,/);
    const proof = (row ?? '').split(',').slice(14).join(',');
    expect(proof.match(/<[^>]+>/g)).toHaveLength(3);
    expect(proof).toMatch(/erinnerung .*mahnung .*letzte /);
    expect((statSyncMode(join(world.dir, 'inkasso.csv')))).toBe('600');

    // Handed over: no more messages, shown as stopped, reopened by --resume.
    const after = await world.run(['--now', '2025-03-20T09:00:00+01:00', '--json', 'send', '--allow-stale']);
    expect(after.stdout).not.toContain('"stage"');
    expect((await world.run(['--now', '2025-03-20T09:00:00+01:00', 'status'])).stdout).toContain('stopped');
    expect((await world.run(['--now', '2025-03-20T09:00:00+01:00', 'export', '--handover'])).stderr).toContain('0 cases to hand over');
    const customer = await world.run(['--now', '2025-03-20T09:00:00+01:00', 'customer', 'anna@example.de']);
    expect(customer.stdout).toContain('handed over to collections');
    expect((await world.run(['--now', '2025-03-20T09:00:00+01:00', 'customer', 'anna@example.de', '--resume'])).code).toBe(0);
    expect((await world.run(['--now', '2025-03-20T09:00:00+01:00', 'export', '--handover'])).stderr).toContain('1 case to hand over');
  });
});
