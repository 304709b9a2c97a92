import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isObject } from '../support/http-emulator.js';
import { MailjetEmulator } from '../support/mailjet-emulator.js';
import { DUNNING } from '../support/run-cli.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 24: the formal notice as a PDF letter (preview --format pdf, a stage's attachPdf), read back
// with Debian's pdftotext (poppler-utils), and the bank details of sender.bank.

// Each test runs the CLI a few times and pdftotext: room for a busy machine.
const SEVERAL_RUNS = 120_000;
const NOW = '2025-03-17T09:00:00+01:00';
const IBAN = 'DE89 3704 0044 0532 0130 00';
let world: Workspace;

afterEach(() => world.cleanup());

/** A German shop with the classic sequence; the last notice attaches its letter. */
function merchant(extra: Record<string, unknown> = {}): Workspace {
  return createWorld({
    sender: {
      name: 'Buchhaltung', email: 'billing@yoga-sonne.de', company: 'Yoga Sonne GmbH', address: 'Lindenstraße 12, 10115 Berlin',
      bank: { accountHolder: 'Yoga Sonne GmbH', iban: 'de89370400440532013000', bic: 'cobadeffxxx' },
    },
    lateCharges: { customerType: 'b2c', nextSteps: 'Danach übergeben wir die Forderung an unser Inkassobüro.' },
    sequence: {
      stages: [
        { name: 'erinnerung', after: '7d', template: 'reminder' },
        { name: 'mahnung', after: '21d', template: 'mahnung', payWithin: '10d' },
        { name: 'letzte', after: '35d', template: 'letzte-mahnung', payWithin: '7d', fee: '2,50', attachPdf: true },
      ],
    },
    ...extra,
  });
}

/** One 1,000.00 EUR order due 15.01.2025, with the customer's postal address in the export's own columns. */
async function importOrder(): Promise<void> {
  const csv = 'E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token;Straße;PLZ;Ort\n' +
    'juergen@example.de;Jürgen;Weiß;4711/A;Jahreskurs;1.000,00;0,00;15.01.2025;tk_0000000000004711;Lindenweg 3;10115;Berlin\n';
  writeFileSync(join(world.dir, 'export.csv'), csv);
  expect((await world.run(['--now', NOW, 'import', 'export.csv'])).code).toBe(0);
}

/** The text of a PDF file as poppler lays it out, with Intl's no-break spaces as plain ones. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
}

describe('the notice as a PDF letter', { timeout: SEVERAL_RUNS }, () => {
  it('preview --format pdf > file writes a letter with the address, the claim, the deadline and the bank details, its fonts embedded', async () => {
    world = merchant();
    await importOrder();
    // As the README writes it: the PDF goes to standard output, redirected to a file.
    const shell = spawnSync('sh', ['-c', `"${process.execPath}" "${DUNNING}" --now ${NOW} preview --template letzte-mahnung --format pdf > mahnung.pdf`], { cwd: world.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect([shell.status, shell.stderr]).toEqual([0, '']);
    const file = join(world.dir, 'mahnung.pdf');
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(file);
    for (const line of ['Jürgen Weiß', 'Lindenweg 3', '10115 Berlin', 'Yoga Sonne GmbH · Lindenstraße 12, 10115 Berlin']) expect(text).toContain(line);
    // 1,000.00 due 15.01.2025, on 17.03.2025: 61 days at 7.27 % = 12.15; the stage's fee 2.50.
    expect(text).toMatch(/Hauptforderung, Bestellung 4711\/A \(fällig am 15\.01\.2025\)\s+1\.000,00 €/);
    expect(text).toMatch(/Verzugszinsen \(7,27 % jährlich seit 16\.01\.2025, 61 Tage\)\s+12,15 €/);
    expect(text).toMatch(/Mahngebühren\s+2,50 €/);
    expect(text).toMatch(/Gesamtbetrag\s+1\.014,65 €/);
    expect(text).toContain('bis zum 24.03.2025');
    expect(text).toContain('Danach übergeben wir die Forderung an unser Inkassobüro.');
    expect(text).toMatch(new RegExp(`IBAN\\s+${IBAN}`));
    expect(text).toMatch(/BIC\s+COBADEFFXXX/);
    expect(text).toMatch(/Verwendungszweck\s+Bestellung 4711\/A/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThan(0);
    // Columns: name, type, encoding, emb, sub, uni: every font embedded, with a Unicode map (the text above is extractable).
    for (const font of fonts) expect(font.split(/\s+/).slice(-5, -2)).toEqual(['yes', 'yes', 'yes']);
  });

  it('writes an English letter for --locale en', async () => {
    world = merchant();
    await importOrder();
    const shell = spawnSync('sh', ['-c', `"${process.execPath}" "${DUNNING}" --now ${NOW} preview --template mahnung --locale en --format pdf > demand.pdf`], { cwd: world.dir, encoding: 'utf8' });
    expect(shell.status).toBe(0);
    const text = pdfText(join(world.dir, 'demand.pdf'));
    expect(text).toMatch(/Default interest \(7\.27% a year since 16 Jan 2025, 61 days\)\s+€12\.15/);
    expect(text).toMatch(/Total\s+€1,012\.15/);
    expect(text).toMatch(new RegExp(`IBAN\\s+${IBAN}`));
    expect(text).toContain('Dear Jürgen Weiß,');
  });

  it('attaches Mahnung-ORDER.pdf to the message of a stage with attachPdf, and to no other', async () => {
    world = merchant();
    await importOrder();
    for (const stage of ['mahnung', 'letzte']) {
      const sent = await world.run(['--now', NOW, 'send', '--email', 'juergen@example.de', '--stage', stage, '--now-due']);
      expect([stage, sent.code, sent.stderr]).toEqual([stage, 0, '']);
    }
    const folder = join(world.dir, 'outbox');
    const files = readdirSync(folder, { recursive: true }).map(String).filter((f) => f.endsWith('.eml')).sort();
    expect(files).toHaveLength(2);
    const [mahnung, letzte] = await Promise.all(files.map(async (f) => simpleParser(readFileSync(join(folder, f)))));
    expect(mahnung?.attachments).toEqual([]);
    expect(letzte?.attachments.map((a) => [a.filename, a.contentType])).toEqual([['Mahnung-4711_A.pdf', 'application/pdf']]);
    const pdf = join(world.dir, 'attached.pdf');
    writeFileSync(pdf, letzte?.attachments[0]?.content ?? Buffer.alloc(0));
    const text = pdfText(pdf);
    expect(text).toMatch(/Gesamtbetrag\s+1\.014,65 €/);
    expect(text).toContain('bis zum 24.03.2025');
    // The message's own text carries the bank details too.
    expect(letzte?.text).toContain(`IBAN: ${IBAN}`);
    expect(mahnung?.text).toContain('Verwendungszweck: Bestellung 4711/A');
  });

  it('gives the letter\'s file name and bytes in base64 with --json', async () => {
    world = merchant();
    await importOrder();
    const result = await world.run(['--now', NOW, '--json', 'preview', '--template', 'letzte-mahnung', '--format', 'pdf']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { fileName: string; pdfBase64: string };
    expect(doc.fileName).toBe('Mahnung-4711_A.pdf');
    expect(Buffer.from(doc.pdfBase64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('the PDF through Mailjet', { timeout: SEVERAL_RUNS }, () => {
  const KEY = 'pub-key-1234';
  const SECRET = 'very-secret-private-key';
  let mj: MailjetEmulator;
  beforeEach(async () => {
    mj = new MailjetEmulator({ apiKey: KEY, apiSecret: SECRET, validatedSenders: ['billing@yoga-sonne.de'] });
    await mj.start();
  });
  afterEach(async () => {
    await mj.stop();
    expect(mj.violations).toEqual([]);
  });

  it('carries the letter as an attachment of the Send API message', async () => {
    world = merchant({ channel: 'mailjet' });
    await importOrder();
    const env = { MJ_APIKEY_PUBLIC: KEY, MJ_APIKEY_PRIVATE: SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl };
    const sent = await world.run(['--now', NOW, 'send', '--email', 'juergen@example.de', '--stage', 'letzte', '--now-due'], env);
    expect([sent.code, sent.stderr]).toEqual([0, '']);
    const request = mj.requests.find((r) => r.path === '/v3.1/send');
    const message = isObject(request?.body) && Array.isArray(request.body.Messages) ? (request.body.Messages[0] as Record<string, unknown>) : {};
    const attachments = message.Attachments as { Filename: string; ContentType: string; Base64Content: string }[] | undefined;
    expect(attachments?.map((a) => [a.Filename, a.ContentType])).toEqual([['Mahnung-4711_A.pdf', 'application/pdf']]);
    const pdf = join(world.dir, 'mailjet.pdf');
    writeFileSync(pdf, Buffer.from(attachments?.[0]?.Base64Content ?? '', 'base64'));
    expect(pdfText(pdf)).toMatch(/Gesamtbetrag\s+1\.014,65 €/);
  });
});

describe('settings of the letter', { timeout: SEVERAL_RUNS }, () => {
  it('refuses an IBAN whose check digits are wrong, with its key path (exit 2)', async () => {
    world = createWorld({ sender: { name: 'B', email: 'billing@yoga-sonne.de', bank: { accountHolder: 'Yoga Sonne GmbH', iban: 'DE89 3704 0044 0532 0130 01' } } });
    const result = await world.run(['status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sender.bank.iban: "DE89 3704 0044 0532 0130 01" has wrong check digits (mod 97): a character is mistyped');
  });

  it('refuses attachPdf on a Mailchimp stage, and send --channel mailchimp while a stage attaches one (exit 2)', async () => {
    world = createWorld({ sequence: { stages: [{ name: 'letzte', after: '35d', template: 'letzte-mahnung', attachPdf: true, channel: 'mailchimp' }] } });
    const config = await world.run(['status']);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('sequence.stages.0.attachPdf: the mailchimp channel cannot carry a PDF');
    world.cleanup();
    world = merchant();
    await importOrder();
    const send = await world.run(['--now', NOW, 'send', '--channel', 'mailchimp'], { MAILCHIMP_API_KEY: 'abc-us1' });
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('--channel mailchimp cannot carry the PDF letter of stage letzte ("attachPdf")');
  });
});

describe('the customer type of each case', { timeout: SEVERAL_RUNS }, () => {
  it('reads b2b/b2c from the export (Firma/Privat, business/consumer …), charges each its rate, and refuses any other word with line and column', async () => {
    world = merchant({ lateCharges: { customerType: 'b2c', flatFeeB2B: true } });
    const csv = 'E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token;Kundentyp\n' +
      'firma@example.de;Eva;Kern;5001;Seminar;1.000,00;0,00;15.01.2025;tk_0000000000005001;Firma\n' +
      'privat@example.de;Max;Roth;5002;Seminar;1.000,00;0,00;15.01.2025;tk_0000000000005002;privat\n' +
      'leer@example.de;Ida;Lenz;5003;Seminar;1.000,00;0,00;15.01.2025;tk_0000000000005003;\n' +
      'amt@example.de;Udo;Amt;5004;Seminar;1.000,00;0,00;15.01.2025;tk_0000000000005004;Behörde\n';
    writeFileSync(join(world.dir, 'export.csv'), csv);
    const imported = await world.run(['--now', NOW, 'import', 'export.csv']);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('export.csv:5: column "Kundentyp": "Behörde" is not a customer type: write b2b or b2c (also business/consumer, Firma/Privat, company/private)');
    const claimOf = async (email: string): Promise<string[]> => {
      const preview = await world.run(['--now', NOW, 'preview', '--template', 'mahnung', '--email', email]);
      expect(preview.code).toBe(0);
      return preview.stdout.replace(/[\u00a0\u202f]/g, ' ').split('\n').filter((l) => /^ {2}(Verzugs|Gesamtbetrag)/.test(l));
    };
    // Business: base rate + 9 = 11.27 % for 61 days = 18.83, and the 40 EUR flat fee once.
    expect(await claimOf('firma@example.de')).toEqual([
      '  Verzugszinsen: 18,83 € (11,27 % jährlich seit 16.01.2025, 61 Tage)',
      '  Verzugspauschale (§ 288 Abs. 5 BGB): 40,00 €',
      '  Gesamtbetrag: 1.058,83 €',
    ]);
    // Consumer, and an empty cell: the config's default (b2c), base rate + 5 = 7.27 %, no flat fee.
    for (const email of ['privat@example.de', 'leer@example.de']) {
      expect(await claimOf(email)).toEqual(['  Verzugszinsen: 12,15 € (7,27 % jährlich seit 16.01.2025, 61 Tage)', '  Gesamtbetrag: 1.012,15 €']);
    }
  });
});

describe('the claim in status and the customer view', { timeout: SEVERAL_RUNS }, () => {
  it('shows principal, interest to today and the fees of the notices sent, per case', async () => {
    world = merchant();
    await importOrder();
    const status = await world.run(['--now', NOW, '--json', 'status']);
    expect(status.code).toBe(0);
    const [row] = (JSON.parse(status.stdout) as { cases: { claim: Record<string, unknown> }[] }).cases;
    expect(row?.claim).toEqual({
      currency: 'EUR', principalMinor: 100000, interestMinor: 1215, flatFeeMinor: 0, feesMinor: 0, totalMinor: 101215,
      principal: '1000.00', interest: '12.15', flatFee: '0.00', fees: '0.00', total: '1012.15', interestRate: 7.27, interestFrom: '2025-01-16', interestDays: 61,
    });
    const table = await world.run(['--now', NOW, 'status']);
    expect(table.stdout).toContain('with interest and fees');
    expect(table.stdout.replace(/[\u00a0\u202f]/g, ' ')).toContain('1.012,15 €');
    // The last notice (fee 2,50) goes out: from then on its fee is part of the claim.
    expect((await world.run(['--now', NOW, 'send', '--email', 'juergen@example.de', '--stage', 'letzte', '--now-due'])).code).toBe(0);
    const customer = await world.run(['--now', NOW, '--json', 'customer', 'juergen@example.de']);
    const [open] = (JSON.parse(customer.stdout) as { cases: { claim: Record<string, unknown> }[] }).cases;
    expect(open?.claim).toMatchObject({ interest: '12.15', fees: '2.50', total: '1014.65' });
    const view = await world.run(['--now', NOW, 'customer', 'juergen@example.de']);
    expect(view.stdout.split('\n')[2]).toMatch(/order\s+due\s+product\s+open\s+interest\s+fees\s+total/);
  });

  it('report counts the interest and fees of the open claims apart from the principal', async () => {
    world = merchant();
    await importOrder();
    expect((await world.run(['--now', NOW, 'send', '--email', 'juergen@example.de', '--stage', 'letzte', '--now-due'])).code).toBe(0);
    const json = await world.run(['--now', NOW, '--json', 'report']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { lateCharges: unknown }).lateCharges).toEqual({
      cases: 1,
      principal: [{ currency: 'EUR', minor: 100000 }],
      interest: [{ currency: 'EUR', minor: 1215 }],
      fees: [{ currency: 'EUR', minor: 250 }],
      total: [{ currency: 'EUR', minor: 101465 }],
      problem: null,
    });
    const text = (await world.run(['--now', NOW, 'report'])).stdout.replace(/[\u00a0\u202f]/g, ' ');
    // The report speaks the config's language (de).
    expect(text).toMatch(/Verzugszinsen\s+12,15 €/);
    expect(text).toMatch(/Gebühren \(Pauschale und Mahnungen\)\s+2,50 €/);
    expect(text).toMatch(/Gesamtforderung\s+1\.014,65 €/);
    expect((await world.run(['--now', NOW, 'report', '--html', 'report.html'])).code).toBe(0);
    const html = readFileSync(join(world.dir, 'report.html'), 'utf8').replace(/[\u00a0\u202f]/g, ' ');
    expect(html).toContain('<span class="muted">Offene Forderungen bis heute</span><b>1.014,65 €</b>');
    expect(html).toContain('Offene Forderungen bis heute: Hauptforderung 1.000,00 € · Verzugszinsen 12,15 € · Gebühren (Pauschale und Mahnungen) 2,50 €');
  });

  it('still shows status when no base rate covers today, and says why the interest is missing', async () => {
    world = merchant();
    await importOrder();
    const status = await world.run(['--now', '2026-12-05T09:00:00+01:00', 'status']);
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('note: interest and fees not shown: lateCharges: no base rate is known for 2026-07-01');
  });
});

describe('the claim in the export and the providers\' variables', { timeout: SEVERAL_RUNS }, () => {
  it('export carries the claim columns and the pay-by date', async () => {
    world = merchant();
    await importOrder();
    const result = await world.run(['--now', NOW, '--json', 'export']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout.replace(/[\u00a0\u202f]/g, ' ')) as { columns: string[]; customers: Record<string, unknown>[] };
    expect(doc.columns).toEqual(expect.arrayContaining(['claim_principal', 'claim_interest', 'claim_fees', 'claim_total', 'interest_rate', 'pay_by']));
    expect(doc.customers[0]).toMatchObject({ claim_principal: '1.000,00 €', claim_interest: '12,15 €', interest_rate: '7,27 %', interest_days: 61 });
    const total = doc.customers[0]?.claim_total;
    expect(['1.012,15 €', '1.014,65 €']).toContain(total);
  });

  it('gives a Mailjet template the claim as variables', async () => {
    const mj = new MailjetEmulator({ apiKey: 'k', apiSecret: 's', validatedSenders: ['billing@yoga-sonne.de'], templates: [4100001] });
    await mj.start();
    try {
      world = merchant({ channel: 'mailjet' });
      const config = JSON.parse(readFileSync(world.configPath, 'utf8')) as { sequence: { stages: Record<string, unknown>[] } };
      const last = config.sequence.stages[2];
      if (last !== undefined) Object.assign(last, { mailjetTemplateId: 4100001, attachPdf: false });
      writeFileSync(world.configPath, JSON.stringify(config));
      await importOrder();
      const env = { MJ_APIKEY_PUBLIC: 'k', MJ_APIKEY_PRIVATE: 's', DUNNING_MAILJET_BASE_URL: mj.baseUrl };
      const sent = await world.run(['--now', NOW, 'send', '--email', 'juergen@example.de', '--stage', 'letzte', '--now-due'], env);
      expect([sent.code, sent.stderr]).toEqual([0, '']);
      const request = mj.requests.find((r) => r.path === '/v3.1/send');
      const message = isObject(request?.body) && Array.isArray(request.body.Messages) ? (request.body.Messages[0] as { Variables: Record<string, unknown> }) : undefined;
      const variables = JSON.parse(JSON.stringify(message?.Variables ?? {}).replace(/\\u00a0|\u00a0|\u202f/g, ' ')) as Record<string, unknown>;
      expect(variables).toMatchObject({ claim_principal: '1.000,00 €', claim_interest: '12,15 €', claim_fees: '2,50 €', claim_total: '1.014,65 €', claim_total_minor: 101465, pay_by: '24.03.2025', pay_by_iso: '2025-03-24' });
      expect(mj.violations).toEqual([]);
    } finally {
      await mj.stop();
    }
  });
});
