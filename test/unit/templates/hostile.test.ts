import { parseDocument } from 'htmlparser2';
import type { ChildNode } from 'domhandler';
import { describe, expect, it } from 'vitest';
import type { MessageCase, RenderRequest } from '../../../src/app/message.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { TemplateSet } from '../../../src/templates/render.js';

// Issue 20: every value from an export is escaped in every HTML part, partials included. Each
// shipped template is rendered twice, with plain values and with markup in every field; the parsed
// HTML must have the same elements and attributes both times: nothing in it came from the data.

const config = ConfigSchema.parse({
  manageLink: 'https://pay.example.de/payment/{token}/manage',
  sender: { name: 'Yoga-Akademie', email: 'billing@yoga.example', company: 'Yoga-Akademie GmbH', address: 'Lindenstraße 12', contact: 'hilfe@yoga.example' },
});
const set = TemplateSet.load({ ...config, timeZone: 'Europe/Berlin' }, '/');

const HOSTILE = {
  first: '<a href="https://evil.test/pay">Klicken Sie hier</a>',
  last: '<script>alert(1)</script>',
  product: '<img src=x onerror=alert(1)>"\'',
  orderId: '"><svg onload=alert(1)>',
  extra: '<iframe src="https://evil.test"></iframe>\' onmouseover=\'alert(1)',
  token: 'tk_"><b>x</b>',
};
const PLAIN = { first: 'Anna', last: 'Müller', product: 'Kurs', orderId: '4711', extra: 'Wert', token: 'tk_1234567890abcdef' };

function request(template: string, locale: string, v: typeof PLAIN, withPromo: boolean): RenderRequest {
  const order = (n: number): MessageCase => ({
    id: n, source: 'elopage', orderId: `${v.orderId}${n}`, dueDate: '2026-11-20', product: v.product, openMinor: 4900, paidMinor: 100, currency: 'EUR',
    token: `${v.token}${n}`, extra: { Kundennummer: v.extra, [v.extra]: v.extra }, daysOverdue: 3,
  });
  return {
    customer: { email: 'anna@example.de', emailKey: 'anna@example.de', firstName: v.first, lastName: v.last, localeHint: locale },
    cases: [order(1), order(2)],
    stage: { name: template, number: 2, template, payWithin: { days: 7, minutes: 0 } },
    today: '2026-11-23',
    now: new Date('2026-11-23T08:00:00Z'),
    promo: withPromo ? { code: 'DANKE10', discount: { percentOff: 10 }, expiresAt: '2026-11-26T08:00:00.000Z', validHours: 72 } : undefined,
  };
}

/** The elements and attribute names of a document, in order: what the data must not change. */
function shape(html: string): string[] {
  const out: string[] = [];
  const walk = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      if ('attribs' in node) {
        out.push(`<${node.name} ${Object.keys(node.attribs).sort().join(' ')}>`);
        walk(node.children);
      }
    }
  };
  walk(parseDocument(html).children);
  return out;
}

/** Every attribute value of the document. */
function attributeValues(html: string): string[] {
  const out: string[] = [];
  const walk = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      if ('attribs' in node) {
        out.push(...Object.values(node.attribs));
        walk(node.children);
      }
    }
  };
  walk(parseDocument(html).children);
  return out;
}

const variants = [...set.templates].flatMap(([template, locales]) => [...locales.keys()].map((locale) => [template, locale] as const));

describe('markup from an export never reaches the HTML part as markup', () => {
  it('covers every shipped template and language', () => {
    expect(variants.length).toBeGreaterThanOrEqual(8);
  });

  it.each(variants)('%s/%s', (template, locale) => {
    for (const withPromo of [false, true]) {
      const plain = set.render(request(template, locale, PLAIN, withPromo)).html;
      const hostile = set.render(request(template, locale, HOSTILE, withPromo)).html;
      expect(shape(hostile)).toEqual(shape(plain));
      expect(attributeValues(hostile).filter((value) => value.includes('evil.test') || value.includes('alert('))).toEqual([]);
      // The name is there, as text.
      expect(hostile).toContain('Klicken Sie hier&lt;/a&gt;');
    }
  });

  it('the text part keeps the values as they are (it is no HTML)', () => {
    const text = set.render(request('reminder', 'de', HOSTILE, false)).text;
    expect(text).toContain('<a href="https://evil.test/pay">Klicken Sie hier</a>');
  });
});
