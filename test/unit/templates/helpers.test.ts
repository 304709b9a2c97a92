import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { createHelpers } from '../../../src/templates/helpers.js';

function render(source: string, context: object, locale = 'de-DE'): string {
  const env = Handlebars.create();
  env.registerHelper(createHelpers({ intlLocale: locale, timeZone: 'Europe/Berlin', today: '2026-11-23' }));
  return env.compile(source, { strict: true, noEscape: true })(context);
}

describe('template helpers', () => {
  it.each([
    ['de-DE', { minor: 123456, currency: 'EUR' }, '1.234,56 €'],
    ['en-GB', { minor: 123456, currency: 'EUR' }, '€1,234.56'],
    ['en-GB', { minor: 4900, currency: 'GBP' }, '£49.00'],
    ['de-DE', { minor: 1500, currency: 'JPY' }, '1.500 ¥'],
    ['de-DE', { minor: 5, currency: 'EUR' }, '0,05 €'],
  ])('money in %s formats %j as %s', (locale, amount, expected) => {
    expect(render('{{money amount}}', { amount }, locale).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it('writes a sum over two currencies as a list, never adding them', () => {
    const amounts = [{ minor: 100, currency: 'EUR' }, { minor: 250, currency: 'USD' }];
    expect(render('{{money amounts}}', { amounts }, 'en-GB')).toBe('€1.00 + US$2.50');
  });

  it('refuses to format something that is not an amount', () => {
    expect(() => render('{{money amount}}', { amount: 12.5 })).toThrow(/money needs an amount/);
  });

  it.each([
    ['de-DE', '{{date d}}', '22.11.2026'],
    ['en-GB', '{{date d}}', '22 Nov 2026'],
    ['de-DE', '{{date d style="long"}}', '22. November 2026'],
    ['en-GB', '{{date d style="long"}}', '22 November 2026'],
  ])('date in %s with %s', (locale, source, expected) => {
    expect(render(source, { d: '2026-11-22' }, locale)).toBe(expected);
  });

  it('formats an expiry in the merchant\'s time zone, across the daylight-saving change', () => {
    expect(render('{{datetime at}}', { at: '2026-10-25T08:30:00Z' })).toBe('25.10.2026, 09:30');
    expect(render('{{datetime at}}', { at: '2026-10-24T08:30:00Z' })).toBe('24.10.2026, 10:30');
  });

  it('counts days overdue from a due date, or from the order it is used in', () => {
    expect(render('{{daysOverdue d}}', { d: '2026-11-20' })).toBe('3');
    expect(render('{{#each orders}}{{daysOverdue}} {{/each}}', { orders: [{ dueDate: '2026-11-22' }, { dueDate: '2026-11-16' }] })).toBe('1 7 ');
  });

  it('has percent, plural, default, join and comparisons for template authors', () => {
    expect(render('{{percent p}}', { p: 10 }).replace(/\u00a0/g, ' ')).toBe('10 %');
    expect(render('{{percent p}}', { p: 12.5 }, 'en-GB')).toBe('12.5%');
    expect(render('{{plural n "Tag" "Tage"}}', { n: 1 })).toBe('Tag');
    expect(render('{{plural n "Tag" "Tage"}}', { n: 3 })).toBe('Tage');
    expect(render('{{default name "Kundin"}}', { name: '' })).toBe('Kundin');
    expect(render('{{default name "Kundin"}}', { name: 'Anna' })).toBe('Anna');
    expect(render('{{join ids ", "}}', { ids: ['4711', '4720'] })).toBe('4711, 4720');
    expect(render('{{#if (gt n 1)}}many{{else}}one{{/if}}', { n: 2 })).toBe('many');
    expect(render('{{#if (and a (not b))}}yes{{/if}}', { a: true, b: false })).toBe('yes');
    expect(render('{{#if (eq s "final")}}F{{/if}}{{#if (ne s "final")}}N{{/if}}', { s: 'final' })).toBe('F');
  });
});
