import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorld, type Workspace } from '../support/workspace.js';
import { ELOPAGE_HEADER } from '../support/exports.js';

// The rows of ../shared/reference/bad-inputs.md that a merchant's export or template can bring,
// each through the built CLI as a merchant runs it: import, send to the outbox, and the .eml read
// back with mailparser, as a mail client would.

const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));
// Each test runs the CLI several times: on a busy machine that takes more than the default 30 s.
const SEVERAL_RUNS = 120_000;
let world: Workspace;
afterEach(() => world.cleanup());

/** An elopage export from rows of cells in ELOPAGE_HEADER's order, quoted where needed. */
function exportOf(rows: readonly (readonly string[])[], { bom = false } = {}): string {
  const quote = (cell: string): string => (/[;"\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const text = [ELOPAGE_HEADER, ...rows].map((cells) => cells.map(quote).join(';')).join('\r\n') + '\r\n';
  return (bom ? '\ufeff' : '') + text;
}

/** Cells of one order due 20.11.2026 (three days before the e2e clock's today). */
function order(n: number, cells: { email?: string; first?: string; last?: string; order?: string; product?: string; due?: string } = {}): string[] {
  return [cells.email ?? `kunde${n}@example.de`, cells.first ?? 'Anna', cells.last ?? 'Müller', cells.order ?? String(4700 + n), cells.product ?? 'Online-Kurs', '49,00', '0,00', cells.due ?? '20.11.2026', `tk_${String(n).padStart(16, '0')}`];
}

/** The workspace's own copy of the shipped templates, with the reminder's German parts replaced. */
function withTemplates(parts: { subject?: string; text?: string }): void {
  cpSync(SHIPPED_TEMPLATES, join(world.dir, 'templates'), { recursive: true });
  if (parts.subject !== undefined) writeFileSync(join(world.dir, 'templates/reminder/de/subject.hbs'), parts.subject);
  if (parts.text !== undefined) writeFileSync(join(world.dir, 'templates/reminder/de/text.hbs'), parts.text);
}

/** Every .eml of the first send run, parsed, with its raw head. */
async function sentMails(): Promise<{ raw: string; mail: Awaited<ReturnType<typeof simpleParser>> }[]> {
  const dir = join(world.dir, 'outbox');
  const run = readdirSync(dir)[0] ?? '';
  return Promise.all(readdirSync(join(dir, run)).sort().map(async (name) => {
    const raw = readFileSync(join(dir, run, name), 'utf8');
    return { raw, mail: await simpleParser(raw) };
  }));
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field === undefined ? [] : [field]).flatMap((a) => a.value.map((v) => v.address ?? ''));
}

describe('bad inputs from an export reach no header and add no recipient', { timeout: SEVERAL_RUNS }, () => {
  it('H2, H5, H6, H7: CR/LF, commas and angle brackets in names, order numbers and products', async () => {
    world = createWorld({ templates: { dir: 'templates' } });
    withTemplates({ subject: 'Zahlung {{#each orders}}{{orderId}} {{product}} {{/each}}{{customer.fullName}}' });
    const csv = exportOf([
      order(1, { first: '"Eve\r\nBcc: victim@evil.test" <eve@example.com>', last: 'Weiss' }),
      order(2, { first: 'Anna', last: 'Müller, Anna <boss@evil.test>' }),
      order(3, { order: '4711\r\nBcc: victim@evil.test' }),
      order(4, { product: 'Kurs\nX-Order-Id: 1\r\nCc: victim@evil.test' }),
    ]);
    writeFileSync(join(world.dir, 'export.csv'), csv);
    // An order number is an identifier: a line break in it refuses the row (line 5: row 1 spans two lines).
    const imported = await world.run(['import', 'export.csv']);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('export.csv:5: column "Bestell-ID": "4711\\r\\nBcc: victim@evil.test" contains a control character or line break');
    const result = await world.run(['send']);
    expect(result.code).toBe(0);
    const mails = await sentMails();
    expect(mails).toHaveLength(3);
    for (const { raw, mail } of mails) {
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      // One recipient, the customer's own address; no header a value could have added.
      expect(addresses(mail.to)).toHaveLength(1);
      expect(addresses(mail.to)[0]).toMatch(/^kunde\d@example\.de$/);
      expect(mail.cc).toBeUndefined();
      expect(mail.bcc).toBeUndefined();
      expect(head).not.toMatch(/^(Bcc|Cc|X-Order-Id):/im);
      expect(mail.subject ?? '').not.toMatch(/[\r\n]/);
      const dunningHeaders = head.split('\r\n').filter((line) => /^X-Dunning-/i.test(line));
      expect(dunningHeaders.length).toBeGreaterThanOrEqual(2);
      expect(dunningHeaders.join('\n')).not.toMatch(/evil/);
    }
    const subjects = mails.map((m) => m.mail.subject ?? '');
    expect(subjects).toContainEqual(expect.stringContaining('Kurs X-Order-Id: 1 Cc: victim@evil.test'));
    expect(subjects).toContainEqual(expect.stringContaining('Müller, Anna <boss@evil.test>'));
    // The name stays the customer's name, in the display name, not an address.
    const anna = mails.find((m) => addresses(m.mail.to)[0] === 'kunde2@example.de');
    expect(Array.isArray(anna?.mail.to) ? '' : anna?.mail.to?.value[0]?.name).toContain('boss@evil.test');
  });

  it('N7: a 2,000-character line without spaces is wrapped, no line of the file past 998 characters', async () => {
    world = createWorld({ templates: { dir: 'templates' } });
    withTemplates({ text: `${'x'.repeat(2000)}\n{{manageLink}}\n` });
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1)]));
    expect((await world.run(['import', 'export.csv'])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    const [sent] = await sentMails();
    expect(Math.max(...(sent?.raw ?? '').split('\r\n').map((line) => line.length))).toBeLessThanOrEqual(998);
    expect(sent?.mail.text).toContain('x'.repeat(2000));
  });
});

describe('bad inputs in a template or a value meant for one', { timeout: SEVERAL_RUNS }, () => {
  it('N3: a name written as a template is printed as it is, never run', async () => {
    world = createWorld();
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1, { first: '{{constructor}}', last: '{{#each this}}x{{/each}}' })]));
    expect((await world.run(['import', 'export.csv'])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    const [sent] = await sentMails();
    expect(sent?.mail.text).toContain('{{constructor}} {{#each this}}x{{/each}}');
  });

  it('N4: a template reaching for constructor or __proto__ gets nothing from them', async () => {
    world = createWorld({ templates: { dir: 'templates' } });
    // A plain path into the prototype is a variable that is not defined: refused.
    for (const reach of ['{{constructor.name}}', '{{__proto__.constructor}}']) {
      withTemplates({ text: `A[${reach}]\n{{manageLink}}\n` });
      const check = await world.run(['templates', 'check']);
      expect(check.code).toBe(2);
      expect(check.stderr).toMatch(/reminder\/de\/text\.hbs:1:\d+: "\w+" is not defined/);
    }
    // Through lookup or a block it renders nothing.
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1)]));
    expect((await world.run(['import', 'export.csv'])).code).toBe(0);
    for (const reach of ['{{lookup this "constructor"}}', '{{lookup (lookup this "constructor") "name"}}', '{{#with constructor}}{{name}}{{/with}}']) {
      withTemplates({ text: `A[${reach}]\n{{manageLink}}\n` });
      const preview = await world.run(['preview', '--template', 'reminder']);
      expect(preview.code).toBe(0);
      expect(preview.stdout).toContain('A[]');
      expect(preview.stdout).not.toMatch(/Object|function|\[native code\]/);
    }
  });

  it('N5: a template that uses a field the data does not have is refused before anything is sent', async () => {
    world = createWorld({ templates: { dir: 'templates' } });
    withTemplates({ text: 'Offen: {{openAmount}} EUR\n{{manageLink}}\n' });
    const check = await world.run(['templates', 'check']);
    expect(check.code).toBe(2);
    expect(check.stderr + check.stdout).toMatch(/openAmount/);
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1)]));
    expect((await world.run(['import', 'export.csv'])).code).toBe(0);
    const send = await world.run(['send']);
    expect(send.code).toBe(1);
    expect(send.stdout).toContain('0 sent');
    expect(send.stderr).toMatch(/reminder\/de\/text\.hbs:1:10: "openAmount" is not defined/);
    expect(world.query<{ n: number }>("SELECT count(*) AS n FROM messages WHERE state <> 'failed'")[0]?.n).toBe(0);
  });

  it('N10: a customer without a name is greeted without one, never "Hallo ,"', async () => {
    world = createWorld();
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1, { first: '', last: '' }), order(2, { first: '   ', last: '' })]));
    expect((await world.run(['import', 'export.csv'])).code).toBe(0);
    expect((await world.run(['send'])).code).toBe(0);
    for (const { mail } of await sentMails()) {
      const greeting = (mail.text ?? '').split('\n')[0] ?? '';
      expect(greeting).toMatch(/^(Guten Tag|Hallo|Liebe|Sehr geehrte)[^,]*,$/);
      expect(greeting).not.toMatch(/\s,$|\s{2}/);
    }
  });
});

describe('bad inputs in the shape of an export', { timeout: SEVERAL_RUNS }, () => {
  it('A6: a UTF-8 byte-order mark before the first header does not hide that column', async () => {
    world = createWorld();
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1), order(2)], { bom: true }));
    const result = await world.run(['import', 'export.csv']);
    expect(result.code).toBe(0);
    expect(world.query<{ email: string }>('SELECT DISTINCT email FROM cases ORDER BY email').map((r) => r.email)).toEqual(['kunde1@example.de', 'kunde2@example.de']);
  });

  it('A4: an Excel serial number in the due-date column is refused with its line and column, not read as a date', async () => {
    world = createWorld();
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1), order(2, { due: '45678' })]));
    const result = await world.run(['import', 'export.csv']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('export.csv:3: column "Fälligkeitsdatum": "45678" looks like a spreadsheet serial number, not a date');
    expect(world.query<{ order_id: string }>('SELECT order_id FROM cases').map((r) => r.order_id)).toEqual(['4701']);
  });

  it('A3: 11/03/2026 is read in the order import.dateOrder names, and its row refused as ambiguous without it', async () => {
    world = createWorld();
    writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1, { due: '11/03/2026' })]));
    const ambiguous = await world.run(['import', 'export.csv']);
    // Its only row refused: nothing imported (exit 2).
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('export.csv:2: column "Fälligkeitsdatum": "11/03/2026" reads two ways (day/month or month/day); set "import.dateOrder"');
    expect(world.query('SELECT * FROM cases')).toEqual([]);
    for (const [dateOrder, due] of [['DMY', '2026-03-11'], ['MDY', '2026-11-03']] as const) {
      world.cleanup();
      world = createWorld({ import: { dateOrder } });
      writeFileSync(join(world.dir, 'export.csv'), exportOf([order(1, { due: '11/03/2026' })]));
      expect((await world.run(['import', 'export.csv'])).code).toBe(0);
      expect(world.query<{ due_date: string }>('SELECT due_date FROM cases')[0]?.due_date).toBe(due);
    }
  });
});
