import { describe, expect, it } from 'vitest';
import { parseOrderLine, type RawOrderLine, type ReadingRules } from '../../src/core/order-line.js';

const rules: ReadingRules = { numberFormat: 'auto', dateOrder: 'auto', timeZone: 'Europe/Berlin', currency: 'EUR' };
const good: RawOrderLine = {
  email: 'anna.mueller@example.de',
  first_name: 'Anna',
  last_name: 'Müller',
  order_id: '4711',
  product: 'Online-Kurs "Yoga"',
  open_amount: '1.234,56',
  paid_amount: '98,00',
  due_date: '22.11.2026',
  token: 'tk_9f8e7d6c5b4a3921',
};

function problems(raw: RawOrderLine, reading: ReadingRules = rules): [string, string][] {
  const result = parseOrderLine(raw, {}, reading);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => [p.field, p.message]);
}

describe('parseOrderLine', () => {
  it('reads a good row into an order line', () => {
    const result = parseOrderLine(good, { Rate: '3 von 6' }, rules);
    expect(result).toEqual({
      ok: true,
      line: {
        email: 'anna.mueller@example.de', emailKey: 'anna.mueller@example.de', firstName: 'Anna', lastName: 'Müller', orderId: '4711',
        product: 'Online-Kurs "Yoga"', openMinor: 123456, paidMinor: 9800, currency: 'EUR', dueDate: '2026-11-22', dueAt: null,
        token: 'tk_9f8e7d6c5b4a3921', localeHint: null, payLink: null, customerType: null, extra: { Rate: '3 von 6' },
      },
    });
  });

  it('splits a single name column into first and family name', () => {
    const result = parseOrderLine({ ...good, first_name: '', last_name: '', name: 'Anna Maria Müller' }, {}, rules);
    expect(result.ok && [result.line.firstName, result.line.lastName]).toEqual(['Anna', 'Maria Müller']);
    const single = parseOrderLine({ ...good, first_name: undefined, last_name: undefined, name: 'Cher' }, {}, rules);
    expect(single.ok && [single.line.firstName, single.line.lastName]).toEqual(['Cher', '']);
  });

  it.each([
    ['Müller, Anna', '', 'Müller, Anna'],
    ['Dr. Anna Schmidt', '', 'Dr. Anna Schmidt'],
    ['Frau Anna Schmidt', '', 'Frau Anna Schmidt'],
    ['Yoga Sonne GmbH', '', 'Yoga Sonne GmbH'],
    ['Jonas Vogel', 'Jonas', 'Vogel'],
  ])('keeps a whole name "%s" whole, and splits off a first name only where that is safe (issue 18)', (name, first, last) => {
    const result = parseOrderLine({ ...good, first_name: undefined, last_name: undefined, name }, {}, rules);
    expect(result.ok && [result.line.firstName, result.line.lastName]).toEqual([first, last]);
    expect(result.ok && `${result.line.firstName} ${result.line.lastName}`.trim()).toBe(name);
  });

  it('takes optional cells as empty: no paid amount, no token, no names', () => {
    const result = parseOrderLine({ email: 'a@example.de', order_id: '1', open_amount: '5,00', due_date: '2026-11-22' }, {}, rules);
    expect(result.ok && result.line).toMatchObject({ paidMinor: 0, token: null, firstName: '', lastName: '', product: '', localeHint: null });
  });

  it('unwraps Excel\'s ="…" text in any cell (F4)', () => {
    const result = parseOrderLine({ ...good, order_id: '="00123"' }, {}, rules);
    expect(result.ok && result.line.orderId).toBe('00123');
  });

  it('cleans names and products (H1) and keeps a 0 open amount for the caller to close the case', () => {
    const result = parseOrderLine({ ...good, first_name: 'Eve\r\nBcc: victim@evil.test', open_amount: '0,00' }, {}, rules);
    expect(result.ok && [result.line.firstName, result.line.openMinor]).toEqual(['Eve Bcc: victim@evil.test', 0]);
  });

  it('takes the currency from a currency column, or the amount, or the configured default', () => {
    const fromColumn = parseOrderLine({ ...good, currency: 'usd', open_amount: '1,234.56' }, {}, rules);
    expect(fromColumn.ok && [fromColumn.line.currency, fromColumn.line.openMinor]).toEqual(['USD', 123456]);
    const fromAmount = parseOrderLine({ ...good, open_amount: '12,00 CHF', paid_amount: '' }, {}, rules);
    expect(fromAmount.ok && fromAmount.line.currency).toBe('CHF');
    const euroSign = parseOrderLine({ ...good, currency: '€' }, {}, rules);
    expect(euroSign.ok && euroSign.line.currency).toBe('EUR');
    const yen = parseOrderLine({ ...good, currency: 'JPY', open_amount: '1200', paid_amount: '0' }, {}, rules);
    expect(yen.ok && [yen.line.currency, yen.line.openMinor]).toEqual(['JPY', 1200]);
  });

  it('reports every problem of a row, each with its field', () => {
    expect(
      problems({
        email: 'eve@example.com, mallory@example.net',
        first_name: 'x'.repeat(201),
        order_id: '',
        product: 'Kurs',
        open_amount: '1.200',
        paid_amount: 'viel',
        due_date: '31.02.2026',
        token: 't'.repeat(2001),
        currency: 'EURO',
      }),
    ).toEqual([
      ['email', '"eve@example.com, mallory@example.net" holds more than one address; one address per row'],
      ['first_name', 'is 201 characters long; at most 200 are allowed'],
      ['order_id', 'is empty; every row needs an order ID'],
      ['currency', '"EURO" is not an ISO currency code such as EUR'],
      ['open_amount', '"1.200" reads two ways (1,200 or 1200); set "import.numberFormat" to "de" or "en" in dunning.config.json'],
      ['paid_amount', '"viel" is not an amount'],
      ['due_date', '"31.02.2026" is not a date in the calendar'],
      ['token', 'is longer than 2000 characters'],
    ]);
  });

  it.each([
    ['no e-mail', { email: '' }, [['email', 'is empty; every row needs an e-mail address']]],
    ['no amount', { open_amount: '' }, [['open_amount', 'is empty; every row needs an amount']]],
    ['no due date', { due_date: '-' }, [['due_date', 'is empty; every row needs a due date']]],
    ['a credit', { open_amount: '-49,00' }, [['open_amount', 'is negative (-49,00); a credit is not an open payment']]],
    ['a negative paid amount', { paid_amount: '(5,00)' }, [['paid_amount', 'is negative ((5,00))']]],
    ['an order ID with a line break', { order_id: '4711\r\nBcc: x' }, [['order_id', '"4711\\r\\nBcc: x" contains a control character or line break']]],
    ['an order ID too long', { order_id: '9'.repeat(201) }, [['order_id', 'is longer than 200 characters']]],
    ['two currencies', { open_amount: '12,00 USD', paid_amount: '1,00 EUR' }, [['currency', 'the row names different currencies (USD, EUR)']]],
    ['a currency column against the amount', { currency: 'GBP', open_amount: '€ 12,00' }, [['currency', 'the row names different currencies (GBP, EUR)']]],
    ['H3 in the e-mail cell', { email: 'eve@example.com\r\nBcc: victim@evil.test' }, [['email', '"eve@example.com\\r\\nBcc: victim@evil.test" contains a line break; an address cell must hold one address']]],
  ] as [string, RawOrderLine, [string, string][]][])('refuses %s', (_what, change, expected) => {
    expect(problems({ ...good, ...change })).toEqual(expected);
  });

  it('reads slash dates and ambiguous amounts by the rules of the source', () => {
    const us: ReadingRules = { ...rules, numberFormat: 'en', dateOrder: 'MDY' };
    const result = parseOrderLine({ ...good, open_amount: '1,200', paid_amount: '', due_date: '03/04/2026' }, {}, us);
    expect(result.ok && [result.line.openMinor, result.line.dueDate]).toEqual([120000, '2026-03-04']);
    expect(problems({ ...good, due_date: '03/04/2026' })).toEqual([
      ['due_date', '"03/04/2026" reads two ways (day/month or month/day); set "import.dateOrder" to "DMY" or "MDY" in dunning.config.json'],
    ]);
  });

  it('reads a repeated cell by the rules of each source, and refuses a repeated bad cell every time', () => {
    const dmy: ReadingRules = { ...rules, numberFormat: 'de', dateOrder: 'DMY' };
    const mdy: ReadingRules = { ...rules, numberFormat: 'en', dateOrder: 'MDY', currency: 'USD' };
    const read = (reading: ReadingRules) => {
      const result = parseOrderLine({ ...good, open_amount: '5,00', paid_amount: '1,200', due_date: '03/04/2026' }, {}, reading);
      return result.ok ? [result.line.dueDate, result.line.paidMinor, result.line.currency] : result.problems;
    };
    expect([read(dmy), read(mdy), read(dmy)]).toEqual([
      [{ field: 'paid_amount', message: '"1,200" has more than 2 decimal places' }],
      ['2026-03-04', 120000, 'USD'],
      [{ field: 'paid_amount', message: '"1,200" has more than 2 decimal places' }],
    ]);
    const usPaid = parseOrderLine({ ...good, currency: 'USD', paid_amount: '1,00' }, {}, dmy);
    expect(usPaid.ok && [usPaid.line.paidMinor, usPaid.line.currency]).toEqual([100, 'USD']);
    const bad = { ...good, due_date: '31.02.2026' };
    for (let i = 0; i < 3; i++) expect(problems(bad)).toEqual([['due_date', '"31.02.2026" is not a date in the calendar']]);
  });
});
