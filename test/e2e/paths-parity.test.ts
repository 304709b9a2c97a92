import { readFileSync, statSync } from 'node:fs';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { isObject, type RecordedRequest } from '../support/http-emulator.js';
import { MailchimpEmulator } from '../support/mailchimp-emulator.js';
import { MailjetEmulator } from '../support/mailjet-emulator.js';
import { csvRow, elopageCsv, type OrderRow } from '../support/exports.js';
import { createWorld, type Workspace } from '../support/workspace.js';

// Issue 21: Mailchimp, Mailjet and the export carry every order's own link and the merchant's own
// columns, as a rendered message does. Both providers are their documented APIs on 127.0.0.1.

const MC_KEY = '0123456789abcdef0123456789abcdef-us21';
const LIST = 'aud4711';
const MJ_KEY = 'pub-key-1234';
const MJ_SECRET = 'very-secret-private-key';
const LONG = 90_000;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const TWO_ORDERS: OrderRow[] = [
  { email: 'anna@example.de', first: 'Anna', order: '100201', product: 'Yoga-Kurs', open: '49,00', due: '20.11.2026' },
  { email: 'anna@example.de', first: 'Anna', order: '100203', product: 'E-Book', open: '19,90', due: '21.11.2026' },
];
const SIX_ORDERS: OrderRow[] = Array.from({ length: 6 }, (_, i) => ({ email: 'ben@example.de', first: 'Ben', order: String(200301 + i), open: '10,00', due: '20.11.2026' }));

/** A merchant's folder whose export carries the columns Kundennummer and Firma beside elopage's. */
async function merchant(config: Record<string, unknown>, rows: readonly OrderRow[]): Promise<Workspace> {
  const world = createWorld(config);
  stops.push(() => Promise.resolve(world.cleanup()));
  const extra = { Kundennummer: rows.map((r) => (r.email.startsWith('anna') ? 'K-1001' : 'K-2002')), 'Firma / Verein': rows.map(() => 'Sonne e.V.') };
  const file = world.write('export.csv', elopageCsv(rows.map(csvRow), { extra }));
  expect((await world.run(['import', file])).code).toBe(0);
  return world;
}

const link = (order: string): string => `https://pay.yoga-sonne.de/payment/tk_${order.padStart(16, '0')}/manage`;

describe('Mailchimp: every order\'s link and the merchant\'s fields as merge fields', () => {
  it('creates every field, pushes MANAGELINK, MANAGELNK2, ORDERLIST and KDNR, and refuses a member with more orders than fit', async () => {
    const mc = new MailchimpEmulator({ apiKey: MC_KEY, listIds: [LIST] });
    await mc.start();
    stops.push(async () => {
      await mc.stop();
      expect(mc.violations).toEqual([]);
    });
    const env = { MAILCHIMP_API_KEY: MC_KEY, DUNNING_MAILCHIMP_BASE_URL: mc.baseUrl };
    const world = await merchant({ channel: 'mailchimp', mailchimp: { listId: LIST, extraFields: { KDNR: 'Kundennummer' } } }, [...TWO_ORDERS, ...SIX_ORDERS]);
    expect((await world.run(['mailchimp', 'setup'], env)).code).toBe(0);
    expect(mc.mergeTags(LIST)).toEqual(expect.arrayContaining(['COMPANY', 'MANAGELINK', 'MANAGELNK2', 'MANAGELNK5', 'ORDERLIST', 'PROMOBEFOR', 'PROMOAFTER', 'PROMOHOURS', 'KDNR']));
    mc.requests.length = 0;

    const result = await world.run(['send'], env);
    expect(result.code).toBe(1);
    const batch = mc.requests.find((r: RecordedRequest) => r.method === 'POST' && r.path === `/3.0/lists/${LIST}`);
    const members: unknown[] = isObject(batch?.body) && Array.isArray(batch.body.members) ? batch.body.members : [];
    expect(members).toHaveLength(1);
    const anna = members[0] as { email_address: string; merge_fields: Record<string, unknown> };
    expect(anna.email_address).toBe('anna@example.de');
    expect(anna.merge_fields).toMatchObject({
      MANAGELINK: link('100201'), MANAGELNK2: link('100203'), MANAGELNK3: '', KDNR: 'K-1001', COMPANY: 'Yoga Sonne GmbH',
      ORDERLIST: '100201 Yoga-Kurs (49,00\u00a0€); 100203 E-Book (19,90\u00a0€)',
    });
    expect(Object.values(anna.merge_fields).every((v) => String(v).length <= 255)).toBe(true);
    const ben = world.query<{ state: string; permanent: number; error: string }>("SELECT state, permanent, error FROM messages WHERE recipient = 'ben@example.de'");
    expect(ben).toEqual([{ state: 'failed', permanent: 1, error: expect.stringContaining('6 open orders, but a Mailchimp member carries at most 5 links') as unknown }]);
    expect(result.stderr).toContain('6 open orders');
  }, LONG);
});

describe('Mailjet templates: every order in a loopable list, the merchant\'s columns as variables', () => {
  it('sends Variables with orders (order_id, product, open, manage_link), the flat first order and safe extra names', async () => {
    const mj = new MailjetEmulator({ apiKey: MJ_KEY, apiSecret: MJ_SECRET, validatedSenders: ['billing@yoga-sonne.de'], templates: [4100001] });
    await mj.start();
    stops.push(async () => {
      await mj.stop();
      expect(mj.violations).toEqual([]);
    });
    const env = { MJ_APIKEY_PUBLIC: MJ_KEY, MJ_APIKEY_PRIVATE: MJ_SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl };
    const world = await merchant({ channel: 'mailjet', sequence: { stages: [{ name: 'reminder', after: '1d', template: 'reminder', mailjetTemplateId: 4100001 }] } }, TWO_ORDERS);
    const result = await world.run(['send'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const send = mj.requests.find((r) => r.path === '/v3.1/send');
    const messages: unknown[] = isObject(send?.body) && Array.isArray(send.body.Messages) ? send.body.Messages : [];
    const variables = (messages[0] as { Variables: Record<string, unknown> }).Variables;
    expect(variables.manage_link).toBe(link('100201'));
    expect(variables.orders).toEqual([
      expect.objectContaining({ order_id: '100201', product: 'Yoga-Kurs', open: '49,00\u00a0€', manage_link: link('100201') }),
      expect.objectContaining({ order_id: '100203', product: 'E-Book', open: '19,90\u00a0€', manage_link: link('100203') }),
    ]);
    expect(variables).toMatchObject({ kundennummer: 'K-1001', firma_verein: 'Sonne e.V.' });
  }, LONG);
});

describe('dunning export: every link, the merchant\'s columns, JSON, the snippet with the file', () => {
  const config = { sequence: { stages: [{ name: 'reminder', after: '1d', template: 'reminder' }, { name: 'final', after: '7d', template: 'final', promo: { code: 'DANKE10', percentOff: 10, validHours: 48 } }] } };

  it('writes one column per link and per extra header, readable by its owner only', async () => {
    const world = await merchant(config, TWO_ORDERS);
    const result = await world.run(['export', '--out', 'due.csv']);
    expect(result.code).toBe(0);
    const parsed = Papa.parse<Record<string, string>>(readFileSync(world.file('due.csv'), 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true });
    expect(parsed.data).toHaveLength(1);
    expect(parsed.data[0]).toMatchObject({ manage_link: link('100201'), manage_link_2: link('100203'), kundennummer: 'K-1001', firma_verein: 'Sonne e.V.' });
    expect(parsed.meta.fields).toContain('promo_after');
    expect(statSync(world.file('due.csv')).mode & 0o777).toBe(0o600);
  }, LONG);

  it('prints the export as one JSON document with --json before or after the command', async () => {
    const world = await merchant(config, TWO_ORDERS);
    for (const args of [['--json', 'export'], ['export', '--json']]) {
      const result = await world.run(args);
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout) as { columns: string[]; customers: Record<string, unknown>[] };
      expect(doc.columns).toContain('manage_link_2');
      expect(doc.customers).toHaveLength(1);
      expect(doc.customers[0]).toMatchObject({ email: 'anna@example.de', manage_links: [link('100201'), link('100203')], manage_link_2: link('100203'), kundennummer: 'K-1001', order_count: 2 });
    }
  }, LONG);

  it('writes the CSV with --merge-syntax and --out, and prints the snippet', async () => {
    const world = await merchant(config, TWO_ORDERS);
    const result = await world.run(['export', '--merge-syntax', 'mailchimp', '--out', 'due.csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('*|MANAGELINK|*');
    expect(result.stdout).toContain('*|COMPANY|*');
    expect(result.stdout).toContain('*|MANAGELNK2|*\n*|MANAGELNK3|*\n*|MANAGELNK4|*\n*|MANAGELNK5|*');
    const csvTool = await world.run(['export', '--merge-syntax', '%NAME%']);
    expect(csvTool.stdout).toContain('%MANAGE_LINK%\nBei mehreren Bestellungen, jede mit ihrem Link:\n%MANAGE_LINKS%');
    expect(readFileSync(world.file('due.csv'), 'utf8')).toContain(link('100203'));
  }, LONG);
});

describe('Mailjet contact list: a failed sync is loud', () => {
  async function mailjet(contactLists: number[]): Promise<{ env: Record<string, string>; mj: MailjetEmulator }> {
    const mj = new MailjetEmulator({ apiKey: MJ_KEY, apiSecret: MJ_SECRET, validatedSenders: ['billing@yoga-sonne.de'], contactLists });
    await mj.start();
    stops.push(() => mj.stop());
    return { mj, env: { MJ_APIKEY_PUBLIC: MJ_KEY, MJ_APIKEY_PRIVATE: MJ_SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl } };
  }
  const rows: OrderRow[] = [TWO_ORDERS[0]!, { email: 'ben@example.de', first: 'Ben', order: '100300', open: '10,00', due: '20.11.2026' }];

  it('puts a 404 list in the summary and exits 1, the reminders recorded sent', async () => {
    const { env } = await mailjet([]);
    const world = await merchant({ channel: 'mailjet', mailjet: { contactListId: 4711 } }, rows);
    const result = await world.run(['send'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 messages planned: 2 sent, 0 failed.');
    expect(result.stdout).toContain('Mailjet contact list: 0 customers added or updated, 2 not (the reminders went out).');
    expect(result.stderr).toContain('Mailjet contact list not updated: anna@example.de: contact list 4711 not updated');
    expect(world.query<{ state: string }>('SELECT state FROM messages')).toEqual([{ state: 'sent' }, { state: 'sent' }]);
  }, LONG);

  it('reports the sync per customer in --json', async () => {
    const { env } = await mailjet([4711]);
    const world = await merchant({ channel: 'mailjet', mailjet: { contactListId: 4711 } }, rows);
    const result = await world.run(['--json', 'send'], env);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { contactList: { synced: number; failed: number; customers: { email: string; state: string }[] } };
    expect(doc.contactList.synced).toBe(2);
    expect(doc.contactList.customers.map((c) => [c.email, c.state]).sort()).toEqual([['anna@example.de', 'synced'], ['ben@example.de', 'synced']]);
  }, LONG);
});

describe('Mailjet: a template per language', () => {
  it('sends the template of the customer\'s language, and the first one listed (said by the dry run) when there is none', async () => {
    const mj = new MailjetEmulator({ apiKey: MJ_KEY, apiSecret: MJ_SECRET, validatedSenders: ['billing@yoga-sonne.de'], templates: [4100001, 4100003] });
    await mj.start();
    stops.push(() => mj.stop());
    const env = { MJ_APIKEY_PUBLIC: MJ_KEY, MJ_APIKEY_PRIVATE: MJ_SECRET, DUNNING_MAILJET_BASE_URL: mj.baseUrl };
    const stage = (ids: Record<string, number>) => ({ channel: 'mailjet', sequence: { stages: [{ name: 'reminder', after: '1d', template: 'reminder', mailjetTemplateId: ids }] } });
    const templateIds = (): unknown[] => mj.requests.filter((r) => r.path === '/v3.1/send').flatMap((r) => (isObject(r.body) && Array.isArray(r.body.Messages) ? r.body.Messages.map((m: { TemplateID: number }) => m.TemplateID) : []));

    const own = await merchant(stage({ en: 4100003, de: 4100001 }), [TWO_ORDERS[0]!]);
    expect((await own.run(['send'], env)).code).toBe(0);
    expect(templateIds()).toEqual([4100001]);

    mj.requests.length = 0;
    const other = await merchant(stage({ en: 4100003 }), [TWO_ORDERS[0]!]);
    const dry = await other.run(['send', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('note: anna@example.de (reminder): no Mailjet template for "de": template 4100003, the first one listed');
    expect((await other.run(['send'], env)).code).toBe(0);
    expect(templateIds()).toEqual([4100003]);
  }, LONG);

  it('refuses a mailjetTemplateId that names no language (exit 2)', async () => {
    const world = createWorld({ channel: 'mailjet', sequence: { stages: [{ name: 'reminder', after: '1d', template: 'reminder', mailjetTemplateId: {} }] } });
    stops.push(() => Promise.resolve(world.cleanup()));
    const result = await world.run(['status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give at least one language');
  }, LONG);
});
