import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { LoadedConfig } from '../../../src/config/load.js';
import { DunningError } from '../../../src/core/errors.js';
import { TemplateSet } from '../../../src/templates/render.js';

/** The templates of a loaded configuration. */
function loadSet(loaded: LoadedConfig): TemplateSet {
  return TemplateSet.load(loaded.config, loaded.baseDir);
}
import type { MessageCase, RenderRequest as MessageRequest } from '../../../src/app/message.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A templates folder with the given files (path -> source). */
function templatesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-templates-'));
  folders.push(dir);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  return dir;
}

function loaded(overrides: Record<string, unknown> = {}, dir?: string): LoadedConfig {
  const config = ConfigSchema.parse({
    manageLink: 'https://pay.shop.de/{token}/manage',
    sender: { name: 'Yoga-Akademie', email: 'billing@yoga.example', company: 'Yoga-Akademie GmbH', address: 'Lindenstraße 12, 10969 Berlin', contact: 'hilfe@yoga.example' },
    templates: dir === undefined ? {} : { dir },
    ...overrides,
  });
  return { config: { ...config, timeZone: 'Europe/Berlin' }, path: null, baseDir: '/' };
}

function order(id: number, over: Partial<MessageCase> = {}): MessageCase {
  return {
    id, source: 'elopage', orderId: `47${id}`, dueDate: '2026-11-20', product: 'Online-Kurs', openMinor: 123456, paidMinor: 0,
    currency: 'EUR', token: `tk_${id}abc`, extra: { Rate: '2 von 6' }, daysOverdue: 3, ...over,
  };
}

function request(over: Partial<MessageRequest> = {}): MessageRequest {
  return {
    customer: { email: 'anna@example.de', emailKey: 'anna@example.de', firstName: 'Anna', lastName: 'Müller', localeHint: null },
    cases: [order(1)],
    stage: { name: 'reminder', number: 1, template: 'reminder' },
    today: '2026-11-23',
    now: new Date('2026-11-23T08:00:00Z'),
    ...over,
  };
}

const SIMPLE = { 'mail/subject.hbs': 'Offen: {{money totalOpen}}', 'mail/text.hbs': 'Hallo {{customer.firstName}}, {{manageLink}}', 'mail/html.hbs': '<p>Hallo {{customer.firstName}}</p><a href="{{manageLink}}">x</a>' };

describe('rendering', () => {
  it('escapes HTML in the HTML part only, and never re-evaluates data as a template', () => {
    const set = loadSet(loaded({}, templatesDir(SIMPLE)));
    const message = set.render(request({
      stage: { name: 'x', number: 1, template: 'mail' },
      customer: { email: 'a@b.de', emailKey: 'a@b.de', firstName: '<b>Ben</b> & "Co" {{constructor}}', lastName: '', localeHint: null },
    }));
    expect(message.text).toBe('Hallo <b>Ben</b> & "Co" {{constructor}}, https://pay.shop.de/tk_1abc/manage\n');
    expect(message.html).toBe('<p>Hallo &lt;b&gt;Ben&lt;/b&gt; &amp; &quot;Co&quot; {{constructor}}</p><a href="https://pay.shop.de/tk_1abc/manage">x</a>');
    expect(message.subject).toBe('Offen: 1.234,56 €');
  });

  it('keeps a subject on one line whatever the data holds', () => {
    const set = loadSet(loaded({}, templatesDir({ ...SIMPLE, 'mail/subject.hbs': 'Bestellung {{orders.[0].orderId}}' })));
    const message = set.render(request({ stage: { name: 'x', number: 1, template: 'mail' }, cases: [order(1, { orderId: '4711\r\nBcc: victim@evil.test' })] }));
    expect(message.subject).toBe('Bestellung 4711 Bcc: victim@evil.test');
  });

  it('refuses a variable that does not exist, naming file, line and column', () => {
    const dir = templatesDir({ ...SIMPLE, 'mail/text.hbs': 'Hallo,\n  offen: {{openAmount}}\n' });
    const set = loadSet(loaded({}, dir));
    const render = () => set.render(request({ stage: { name: 'x', number: 1, template: 'mail' } }));
    expect(render).toThrow(DunningError);
    expect(render).toThrow(`${join(dir, 'mail/text.hbs')}:2:12: "openAmount" is not defined`);
  });

  it('refuses a promo field when the stage has no promo', () => {
    const set = loadSet(loaded({}, templatesDir({ ...SIMPLE, 'mail/text.hbs': 'Code {{promo.code}}' })));
    expect(() => set.render(request({ stage: { name: 'x', number: 1, template: 'mail' } }))).toThrow(/"code" is not defined/);
  });

  it('reports a syntax error with its file and line', () => {
    const dir = templatesDir({ ...SIMPLE, 'mail/html.hbs': '<p>\n{{#if customer.firstName}}\nHallo\n' });
    const set = loadSet(loaded({}, dir));
    expect(() => set.render(request({ stage: { name: 'x', number: 1, template: 'mail' } }))).toThrow(`${join(dir, 'mail/html.hbs')}:4: syntax error: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'`);
  });

  it('blocks prototype access from templates', () => {
    const set = loadSet(loaded({}, templatesDir({ ...SIMPLE, 'mail/text.hbs': '[{{lookup customer "constructor"}}]' })));
    expect(set.render(request({ stage: { name: 'x', number: 1, template: 'mail' } })).text).toBe('[]\n');
  });

  it('picks the customer\'s language, else the default locale, else the folder\'s own files', () => {
    const dir = templatesDir({
      'mail/de/subject.hbs': 'DE', 'mail/de/text.hbs': 'de', 'mail/de/html.hbs': 'de',
      'mail/en/subject.hbs': 'EN', 'mail/en/text.hbs': 'en', 'mail/en/html.hbs': 'en',
      'other/subject.hbs': 'ANY', 'other/text.hbs': 'any', 'other/html.hbs': 'any',
    });
    const set = loadSet(loaded({ locale: 'de' }, dir));
    const as = (template: string, localeHint: string | null, locale?: string) =>
      set.render(request({ stage: { name: 'x', number: 1, template }, locale, customer: { email: 'a@b.de', emailKey: 'a@b.de', firstName: 'A', lastName: '', localeHint } })).subject;
    expect(as('mail', 'en-GB')).toBe('EN');
    expect(as('mail', 'AT')).toBe('DE');
    expect(as('mail', 'fr')).toBe('DE');
    expect(as('mail', null, 'en')).toBe('EN');
    expect(as('other', 'en')).toBe('ANY');
  });

  it('refuses a locale with no template and no fallback', () => {
    const dir = templatesDir({ 'mail/en/subject.hbs': 'EN', 'mail/en/text.hbs': 'en', 'mail/en/html.hbs': 'en' });
    const set = loadSet(loaded({ locale: 'de' }, dir));
    expect(() => set.render(request({ stage: { name: 'x', number: 1, template: 'mail' } }))).toThrow('template "mail" has no "de" version and no fallback');
  });

  it('refuses a template folder that lacks a part', () => {
    expect(() => loadSet(loaded({}, templatesDir({ 'mail/subject.hbs': 's', 'mail/text.hbs': 't' })))).toThrow(/lacks html\.hbs/);
  });

  it('refuses a missing template by name, listing the ones there are', () => {
    const set = loadSet(loaded({}, templatesDir(SIMPLE)));
    expect(() => set.render(request({ stage: { name: 'x', number: 1, template: 'nope' } }))).toThrow('no template "nope"');
  });

  it('builds each order\'s link from its own token, and gives none for an unusable token', () => {
    const set = loadSet(loaded({}, templatesDir(SIMPLE)));
    const message = set.render(request({ stage: { name: 'x', number: 1, template: 'mail' }, cases: [order(1), order(2, { token: 'x/y z' })].slice(0, 1) }));
    expect([...message.manageLinks]).toEqual([[1, 'https://pay.shop.de/tk_1abc/manage']]);
    expect(() => set.render(request({ stage: { name: 'x', number: 1, template: 'mail' }, cases: [order(1), order(2, { token: '   ' })] }))).toThrow('order 472: no manage link: no token in the export');
  });
});
