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
  const promo = { code: 'DANKE10', discount: { percentOff: 10 }, expiresAt: '2026-11-26T08:00:00.000Z', validHours: 72 };

  it('gives the code, the discount, the price before and after, and until when it holds (de)', () => {
    const m = set.render(request('final', 'de', { promo }));
    const text = m.text.replace(/\u00a0/g, ' ');
    expect(text).toContain('mit dem Code DANKE10 10 % Nachlass: Statt 1.234,56 € zahlen Sie nur 1.111,10 €. Der Code gilt 3 Tage lang, bis 26.11.2026, 09:00 Uhr');
    expect(m.subject.replace(/\u00a0/g, ' ')).toBe('Letzte Erinnerung zu Ihrer Bestellung bei Yoga-Akademie GmbH: 10 % Nachlass bis 26.11.2026, 09:00');
    expect(m.html).toContain('DANKE10</strong>');
  });

  it('states an amount discount in English', () => {
    const m = set.render(request('final', 'en', { promo: { ...promo, discount: { amountOff: { minor: 5000, currency: 'EUR' } } } }));
    expect(m.text).toContain('the code DANKE10 gives you €50.00 off: instead of €1,234.56 you pay only €1,184.56. The code is valid for 3 days, until 26 Nov 2026, 09:00');
  });

  it('leaves the promo paragraph out when the stage has none', () => {
    const m = set.render(request('final', 'de'));
    expect(m.text).not.toContain('Code');
  });
});

describe('the five languages beside de and en (issue 22)', () => {
  const promo = { code: 'DANKE10', discount: { percentOff: 20 }, expiresAt: '2026-11-26T08:00:00.000Z', validHours: 72 };
  const stage = (template: string) => ({ name: template, number: 3, template, payWithin: { days: 7, minutes: 0 } });

  // Amount, the pay-by deadline and the code's validity, each in the locale's words and formats.
  it.each([
    ['fr', '1 234,56 €', 'au plus tard le 30 novembre 2026', 'valable 3 jours, jusqu’au 26 nov. 2026, 09:00'],
    ['es', '1234,56 €', 'antes del 30 de noviembre de 2026', 'válido durante 3 días, hasta el 26 nov 2026, 9:00'],
    ['it', '1234,56 €', 'entro il 30 novembre 2026', 'valido per 3 giorni, fino al 26 nov 2026, 09:00'],
    ['nl', '€ 1.234,56', 'uiterlijk 30 november 2026', '3 dagen geldig, tot 26 nov 2026, 09:00'],
    ['pl', '1234,56 €', 'do 30 listopada 2026', 'ważny przez 3 dni, do 26 lis 2026, 09:00'],
  ])('%s: the final notice states the amount, the deadline and how long the code holds', (locale, amount, deadline, validity) => {
    const m = set.render(request('final', locale, { promo, stage: stage('final') }));
    const text = m.text.replace(/[\u00a0\u202f]/g, ' ');
    expect(m.locale).toBe(locale);
    expect(text).toContain(amount);
    expect(text).toContain(deadline);
    expect(text).toContain(validity);
    expect(text).toContain('DANKE10');
    expect(m.html.replace(/[\u00a0\u202f]/g, ' ')).toContain(deadline);
    expect(`${m.subject}${m.text}${m.html}`).not.toMatch(/undefined|\[object|\{\{/);
  });

  it('chooses Polish plural forms by the locale\'s rules', () => {
    const hours = (validHours: number): string =>
      set.render(request('final', 'pl', { promo: { ...promo, validHours, expiresAt: '2026-11-23T20:00:00.000Z' }, stage: stage('final') })).text;
    expect(hours(1)).toContain('ważny przez 1 godzinę');
    expect(hours(24)).toContain('ważny przez 24 godziny');
    expect(hours(12)).toContain('ważny przez 12 godzin');
    const two = set.render(request('reminder', 'pl', { cases: [order(1), order(2)] })).text;
    expect(two).toContain('za Państwa 2 zamówienia');
  });

  it('greets in each language, with and without a name', () => {
    const greetings = ['fr', 'es', 'it', 'nl', 'pl'].map((locale) => set.render(request('second', locale)).text.split('\n')[0]);
    expect(greetings).toEqual(['Bonjour Anna Müller,', 'Buenos días, Anna Müller:', 'Gentile Anna Müller,', 'Beste Anna Müller,', 'Dzień dobry Anna Müller,']);
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
      [
        ...['final', 'reminder', 'second', 'upcoming'].flatMap((t) => ['de', 'en', 'es', 'fr', 'it', 'nl', 'pl'].map((l) => `${t}/${l}:2`)),
        ...['letzte-mahnung', 'mahnung'].flatMap((t) => ['de', 'en'].map((l) => `${t}/${l}:2`)),
      ].sort(),
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

describe('a pay-by deadline (payWithin)', () => {
  const within = (days: number, minutes = 0): MessageRequest['stage'] => ({ name: 'second', number: 2, template: 'second', payWithin: { days, minutes } });

  it.each([
    ['second', 'de', 'Bitte begleichen Sie den Betrag bis zum 30.11.2026 hier'],
    ['second', 'en', 'Please pay the amount by 30 November 2026 here'],
    ['final', 'de', 'Bitte begleichen Sie den Betrag bis zum 30.11.2026. Dies ist unsere letzte Erinnerung'],
    ['final', 'en', 'Please pay by 30 November 2026. This is our last reminder'],
  ])('%s in %s names the day, seven days on', (template, locale, sentence) => {
    const m = set.render(request(template, locale, { stage: { ...within(7), template } }));
    expect(m.text.replace(/\u00a0/g, ' ')).toContain(sentence);
    expect(m.html.replace(/\u00a0/g, ' ')).toContain(sentence.replace(/ here$/, ''));
  });

  it('gives the time too when the stage counts hours, in the merchant\'s zone', () => {
    const de = set.render(request('second', 'de', { stage: within(0, 36 * 60) })).text.replace(/\u00a0/g, ' ');
    // 08:00 UTC is 09:00 in Berlin; 36 hours on is the 24th at 21:00.
    expect(de).toContain('bis zum 24.11.2026, 21:00 Uhr hier');
    const en = set.render(request('second', 'en', { stage: within(0, 36 * 60) })).text.replace(/\u00a0/g, ' ');
    expect(en).toContain('by 24 Nov 2026, 21:00 here');
  });

  it('says nothing about a date when the stage sets none', () => {
    const m = set.render(request('second', 'de'));
    expect(m.text).toContain('in den nächsten Tagen');
    expect(m.text).not.toContain('bis zum');
    expect(set.render(request('final', 'en')).text).not.toContain('Please pay by');
  });
});

describe('promo validity in hours', () => {
  const promo = { code: 'SOFORT', discount: { percentOff: 15 }, expiresAt: '2026-11-24T08:00:00.000Z', validHours: 24 };

  it.each([
    ['de', 'Der Code gilt 24 Stunden lang, bis 24.11.2026, 09:00 Uhr'],
    ['en', 'The code is valid for 24 hours, until 24 Nov 2026, 09:00'],
  ])('a 24-hour code says so in %s', (locale, sentence) => {
    expect(set.render(request('final', locale, { promo })).text.replace(/\u00a0/g, ' ')).toContain(sentence);
  });

  it('a single hour is singular', () => {
    const m = set.render(request('final', 'en', { promo: { ...promo, validHours: 1 } }));
    expect(m.text).toContain('valid for 1 hour,');
  });
});

describe('the upcoming notice, before the due date', () => {
  it.each([
    ['de', 'Ihre nächste Zahlung von 49,90 € für „Kurs "Yoga & Klang"“ ist am Freitag, 27. November 2026 fällig.', 'Zur Erinnerung: 49,90 € werden am Freitag, 27. November 2026 fällig'],
    ['en', 'your next payment of €49.90 for "Kurs "Yoga & Klang"" is due on Friday, 27 November 2026.', 'Coming up: €49.90 due on Friday, 27 November 2026'],
  ])('names the amount and the weekday in %s', (locale, sentence, subject) => {
    const m = set.render(request('upcoming', locale, { cases: [order(1, { openMinor: 4990, dueDate: '2026-11-27', daysOverdue: -4 })] }));
    expect(m.text.replace(/\u00a0/g, ' ')).toContain(sentence);
    expect(m.subject.replace(/\u00a0/g, ' ')).toBe(subject);
    expect(m.html).toContain('https://elopage.com/s/yoga/payment/tk_1abc/manage');
  });

  it('lists each order with its own link when there are several', () => {
    const m = set.render(request('upcoming', 'en', { cases: [order(1, { dueDate: '2026-11-27' }), order(2, { dueDate: '2026-11-28' })] }));
    expect(m.text).toContain('for your 2 orders');
    expect(m.text).toContain('https://elopage.com/s/yoga/payment/tk_1abc/manage');
    expect(m.text).toContain('https://elopage.com/s/yoga/payment/tk_2abc/manage');
  });
});
