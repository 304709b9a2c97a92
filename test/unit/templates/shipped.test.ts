import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { LoadedConfig } from '../../../src/config/load.js';
import { checkTemplates } from '../../../src/templates/check.js';
import { TemplateSet } from '../../../src/templates/render.js';

/** The templates of a loaded configuration. */
function loadSet(loaded: LoadedConfig): TemplateSet {
  return TemplateSet.load(loaded.config, loaded.baseDir);
}
import type { MessageCase, RenderRequest as MessageRequest } from '../../../src/app/message.js';

const config = ConfigSchema.parse({
  manageLink: 'https://elopage.com/s/yoga/payment/{token}/manage',
  sender: { name: 'Yoga-Akademie', email: 'billing@yoga.example', company: 'Yoga-Akademie GmbH', address: 'Lindenstraße 12', contact: 'hilfe@yoga.example' },
});
const loaded: LoadedConfig = { config: { ...config, timeZone: 'Europe/Berlin' }, path: null, baseDir: '/' };
const set = loadSet(loaded);

function order(id: number, over: Partial<MessageCase> = {}): MessageCase {
  return {
    id, source: 'elopage', orderId: `47${id}`, dueDate: '2026-11-20', product: 'Kurs "Yoga & Klang"', openMinor: 123456, paidMinor: 0,
    currency: 'EUR', token: `tk_${id}abc`, extra: {}, daysOverdue: 3, ...over,
  };
}

function request(template: string, locale: string, over: Partial<MessageRequest> = {}): MessageRequest {
  return {
    customer: { email: 'anna@example.de', emailKey: 'anna@example.de', firstName: 'Anna', lastName: 'Müller', localeHint: locale },
    cases: [order(1)],
    stage: { name: template, number: 1, template },
    today: '2026-11-23',
    now: new Date('2026-11-23T08:00:00Z'),
    ...over,
  };
}

const AMOUNT = { de: '1.234,56 €', en: '€1,234.56' } as const;

describe.each(['reminder', 'second', 'final'])('shipped template %s', (template) => {
  it.each(['de', 'en'] as const)('in %s puts the amount and the link up front, and lists the order', (locale) => {
    const m = set.render(request(template, locale));
    const link = 'https://elopage.com/s/yoga/payment/tk_1abc/manage';
    expect(m.locale).toBe(locale);
    expect(m.text.replace(/\u00a0/g, ' ')).toContain(AMOUNT[locale]);
    expect(m.text.indexOf(link)).toBeLessThan(m.text.indexOf('471'));
    expect(m.text).toContain('471');
    expect(m.text).toContain('Kurs "Yoga & Klang"');
    expect(m.text).not.toMatch(/<[a-z]|&amp;|undefined|\[object/);
    expect(m.html).toContain(`<a href="${link}"`);
    expect(m.html).toContain('Kurs &quot;Yoga &amp; Klang&quot;');
    expect(m.html).not.toMatch(/undefined|\[object/);
    expect(m.html).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1">/);
    expect(m.subject).not.toMatch(/\n|undefined/);
  });

  it.each(['de', 'en'] as const)('in %s with two orders links each order, not one link for the whole amount', (locale) => {
    const m = set.render(request(template, locale, { cases: [order(1, { openMinor: 1990 }), order(2, { openMinor: 4900, paidMinor: 9800 })] }));
    expect(m.text).toContain('https://elopage.com/s/yoga/payment/tk_1abc/manage');
    expect(m.text).toContain('https://elopage.com/s/yoga/payment/tk_2abc/manage');
    expect(m.text.replace(/\u00a0/g, ' ')).toContain(locale === 'de' ? '68,90 €' : '€68.90');
    expect(m.text.replace(/\u00a0/g, ' ')).toContain(locale === 'de' ? 'bereits bezahlt: 98,00 €' : 'already paid: €98.00');
    expect(m.html).not.toContain('>Jetzt bezahlen<');
    expect(m.html).not.toContain('>Pay now<');
  });

  it.each([['de', 'Guten Tag,'], ['en', 'Hello,']])('in %s greets politely without a name', (locale, greeting) => {
    const m = set.render(request(template, locale, { customer: { email: 'k@example.de', emailKey: 'k@example.de', firstName: '', lastName: '', localeHint: locale } }));
    expect(m.text.startsWith(`${greeting}\n\n`)).toBe(true);
  });
});

describe('the final notice with a promo code', () => {
  const promo = { code: 'DANKE10', discount: { percentOff: 10 }, expiresAt: '2026-11-26T08:00:00.000Z' };

  it('gives the code, the discount, the price before and after, and until when it holds (de)', () => {
    const m = set.render(request('final', 'de', { promo }));
    const text = m.text.replace(/\u00a0/g, ' ');
    expect(text).toContain('mit dem Code DANKE10 10 % Nachlass: Statt 1.234,56 € zahlen Sie nur 1.111,10 €. Der Code gilt bis 26.11.2026, 09:00 Uhr');
    expect(m.subject.replace(/\u00a0/g, ' ')).toBe('Letzte Erinnerung zu Ihrer Bestellung bei Yoga-Akademie GmbH: 10 % Nachlass bis 26.11.2026, 09:00');
    expect(m.html).toContain('DANKE10</strong>');
  });

  it('states an amount discount in English', () => {
    const m = set.render(request('final', 'en', { promo: { ...promo, discount: { amountOff: { minor: 5000, currency: 'EUR' } } } }));
    expect(m.text).toContain('the code DANKE10 gives you €50.00 off: instead of €1,234.56 you pay only €1,184.56. The code is valid until 26 Nov 2026, 09:00');
  });

  it('leaves the promo paragraph out when the stage has none', () => {
    const m = set.render(request('final', 'de'));
    expect(m.text).not.toContain('Code');
  });
});

describe('templates check', () => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));
  const stages = config.sequence.stages.map((s, i) => ({ template: s.template, number: i + 1 }));

  it('passes for the shipped templates in every locale', () => {
    const report = checkTemplates(set, stages, '2026-11-23', new Date('2026-11-23T08:00:00Z'), ['Rate']);
    expect(report.problems).toEqual([]);
    expect(report.checked.map((c) => `${c.template}/${c.locale}:${c.renders}`).sort()).toEqual(
      ['final/de:2', 'final/en:2', 'reminder/de:2', 'reminder/en:2', 'second/de:2', 'second/en:2'],
    );
  });

  it('finds unknown helpers and partials, missing variables and missing locales, with file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dunning-check-'));
    folders.push(dir);
    const files: Record<string, string> = {
      'reminder/de/subject.hbs': 'Hallo {{shout customer.firstName}}',
      'reminder/de/text.hbs': 'Hallo\n{{> signature}}\n{{orders.[0].extra.Rate}}',
      'reminder/de/html.hbs': '<p>{{customer.nickname}}</p>',
    };
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    const own = loadSet({ ...loaded, config: { ...loaded.config, templates: { dir } } });
    const report = checkTemplates(own, stages, '2026-11-23', new Date('2026-11-23T08:00:00Z'), []);
    const lines = report.problems.map((p) => `${p.template}/${p.locale} ${p.where.replace(dir, 'DIR')}: ${p.message.replace(dir, 'DIR')}`);
    expect(lines).toContain('reminder/de DIR/reminder/de/subject.hbs:1:7: unknown helper "shout"');
    expect(lines).toContain('reminder/de DIR/reminder/de/text.hbs:2:1: unknown partial "signature"');
    expect(lines.some((l) => l.startsWith('reminder/de example data: ') && l.includes('subject.hbs'))).toBe(true);
    expect(lines.some((l) => l.startsWith('reminder/de an order with every optional field empty: '))).toBe(true);
    expect(report.problems.length).toBeGreaterThanOrEqual(4);
  });
});
