import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, parseAmount, plainCents, toDecimalString, type NumberFormat } from '../../src/core/money.js';

type Expected = { minor: number; currency?: string } | null | { error: RegExp };

function check(text: string, format: NumberFormat, expected: Expected, fallback = 'EUR'): void {
  const parsed = parseAmount(text, format, fallback);
  if (expected !== null && 'error' in expected) {
    expect(parsed.ok, `${JSON.stringify(text)} should be refused`).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(expected.error);
    return;
  }
  expect(parsed, JSON.stringify(text)).toEqual({ ok: true, value: expected === null ? null : { minor: expected.minor, currency: expected.currency } });
}

describe('parseAmount: what any format reads the same way', () => {
  const table: [string, Expected][] = [
    ['1.234,56', { minor: 123456 }],
    ['1234,56', { minor: 123456 }],
    ['1,234.56', { minor: 123456 }],
    ['1234.56', { minor: 123456 }],
    ['1200', { minor: 120000 }],
    ['0,5', { minor: 50 }],
    ['12,5', { minor: 1250 }],
    ['1.23', { minor: 123 }],
    ['00,50', { minor: 50 }],
    ['1.000,5', { minor: 100050 }],
    ['1.000.000,00', { minor: 100000000 }],
    // Two separators of one kind can only be thousands.
    ['1.234.567', { minor: 123456700 }],
    ['1,234,567', { minor: 123456700 }],
    ["1'234.50", { minor: 123450 }],
    // Currency symbols and codes, before and after, with or without a space.
    ['€ 12,00', { minor: 1200, currency: 'EUR' }],
    ['12,00 €', { minor: 1200, currency: 'EUR' }],
    ['12,00€', { minor: 1200, currency: 'EUR' }],
    ['12,00 EUR', { minor: 1200, currency: 'EUR' }],
    ['EUR 12,00', { minor: 1200, currency: 'EUR' }],
    ['$1,234.56', { minor: 123456, currency: 'USD' }],
    ['£9.99', { minor: 999, currency: 'GBP' }],
    ["CHF 1'234.50", { minor: 123450, currency: 'CHF' }],
    ['Fr. 10.00', { minor: 1000, currency: 'CHF' }],
    ['1.234,56 USD', { minor: 123456, currency: 'USD' }],
    // Thousands separated by (narrow) no-break spaces, as French and Excel exports write them.
    ['1 234,56', { minor: 123456 }],
    ['1\u00a0234,56', { minor: 123456 }],
    ['1\u202f234,56', { minor: 123456 }],
    ['1\u00a0234,56\u00a0€', { minor: 123456, currency: 'EUR' }],
    // Negative forms: never silently positive (bad-inputs A2, F2).
    ['-5,00', { minor: -500 }],
    ['- 5,00', { minor: -500 }],
    ['\u221249,90', { minor: -4990 }],
    ['(49.90)', { minor: -4990 }],
    ['(5,00 €)', { minor: -500, currency: 'EUR' }],
    ['49,90-', { minor: -4990 }],
    ['€ -5,00', { minor: -500, currency: 'EUR' }],
    ['-€5,00', { minor: -500, currency: 'EUR' }],
    // Empty cells and "no value" markers (F6).
    ['', null],
    ['   ', null],
    ['-', null],
    ['–', null],
    ['—', null],
  ];
  for (const format of ['auto', 'de', 'en'] as const) {
    it.each(table)(`${format}: %j`, (text, expected) => check(text, format, expected));
  }
});

describe('plainCents: the fast path, against the regular expression it replaced', () => {
  // Unambiguous: thousands groups with one separator kind and exactly two decimals after the other.
  const PLAIN_AMOUNT = /^(?:(\d{1,3}(?:\.\d{3})+|\d+),|(\d{1,3}(?:,\d{3})+|\d+)\.)(\d{2})$/;
  const byRegex = (text: string): number | undefined => {
    const plain = PLAIN_AMOUNT.exec(text);
    if (plain === null) return undefined;
    const minor = Number((plain[1] ?? plain[2] ?? '').replace(/[.,]/g, '')) * 100 + Number(plain[3]);
    return Number.isSafeInteger(minor) ? minor : undefined;
  };

  it('agrees on 200,000 seeded strings of digits, separators and a few other characters', () => {
    let seed = 7;
    const random = (): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const alphabet = '0123456789012345678901234567890123456789..,,,. -€a٣';
    const disagreed: string[] = [];
    let amounts = 0;
    for (let i = 0; i < 200_000; i++) {
      let text = '';
      const length = 1 + Math.floor(random() * 14);
      for (let c = 0; c < length; c++) text += alphabet[Math.floor(random() * alphabet.length)];
      const expected = byRegex(text);
      if (plainCents(text) !== expected) disagreed.push(text);
      if (expected !== undefined) amounts++;
    }
    expect(disagreed).toEqual([]);
    // Enough of them are amounts for the comparison to mean something.
    expect(amounts).toBeGreaterThan(3_000);
  });

  it.each(['0,00', '1.234,56', '1,234.56', '1234,56', '12.345.678,90', '999,99', '9.007.199.254.740,99', '90071992547409,91', '1.23,45', '1.2345,67', ',12', '1,2', '12,3a', '1.234.56', '00,01'])('%s', (text) => {
    expect(plainCents(text)).toBe(byRegex(text));
  });
});

describe('parseAmount: amounts that read two ways', () => {
  it.each([
    ['1.200', 'auto', { error: /reads two ways \(1,200 or 1200\); set "import\.numberFormat" to "de" or "en"/ }],
    ['1,200', 'auto', { error: /reads two ways \(1\.200 or 1200\); set "import\.numberFormat"/ }],
    ['€ 1.200', 'auto', { error: /numberFormat/ }],
    ['1.200', 'de', { minor: 120000 }],
    ['1,200', 'en', { minor: 120000 }],
    // In German 1,200 is one point two hundred: three decimals for a currency with two.
    ['1,200', 'de', { error: /more than 2 decimal places/ }],
    ['1.200', 'en', { error: /more than 2 decimal places/ }],
    // A leading zero cannot be a thousands group, so the separator is the decimal one.
    ['0.500', 'auto', { error: /more than 2 decimal places/ }],
  ] as [string, NumberFormat, Expected][])('%j (%s)', (text, format, expected) => check(text, format, expected));
});

describe('parseAmount: refused', () => {
  it.each([
    ['1.2345', /more than 2 decimal places/],
    ['0,999', /more than 2 decimal places/],
    ['12,345,67', /misplaced thousands separators/],
    ['1.23.456', /misplaced thousands separators/],
    ['1,2,3', /misplaced thousands separators/],
    ['12.00.00', /misplaced thousands separators/],
    ['1.2.3,00', /misplaced thousands separators/],
    ['12 34,00', /misplaced thousands separators/],
    ['abc', /is not an amount/],
    ['1e3', /is not an amount/],
    ['.50', /is not an amount/],
    [',50', /is not an amount/],
    ['12,00 XYZ', /XYZ is not a currency code/],
    ['€ 12,00 EUR', /names a currency twice/],
    ['1234567890123456789,00', /too large/],
  ])('%j', (text, error) => check(text, 'auto', { error }));
});

describe('parseAmount: currencies without or with more minor units', () => {
  it.each([
    ['¥1200', 'EUR', { minor: 1200, currency: 'JPY' }],
    ['1200 JPY', 'EUR', { minor: 1200, currency: 'JPY' }],
    ['1.200', 'JPY', { error: /reads two ways/ }],
    ['1200', 'JPY', { minor: 1200 }],
    ['12.5 JPY', 'EUR', { error: /has decimals, but its currency has no minor unit/ }],
    ['1234,56', 'JPY', { error: /has decimals, but its currency has no minor unit/ }],
    // With three minor digits 1.234 is one dinar or a thousand: ambiguous again.
    ['1.234', 'BHD', { error: /reads two ways/ }],
    ['1.234,500', 'BHD', { minor: 1234500 }],
    ['12,50', 'BHD', { minor: 12500 }],
  ] as [string, string, Expected][])('%j with fallback %s', (text, fallback, expected) => check(text, 'auto', expected, fallback));

  it('knows the minor digits of a currency', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('BHD'), minorDigits('CHF')]).toEqual([2, 0, 3, 2]);
  });
});

describe('toDecimalString and formatMoney: exact, never through a float', () => {
  it.each([
    [123456, 'EUR', '1234.56'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [-4990, 'EUR', '-49.90'],
    [-5, 'EUR', '-0.05'],
    [1200, 'JPY', '1200'],
    [-1200, 'JPY', '-1200'],
    [1234, 'BHD', '1.234'],
    // Above 2^53 cents a float would round; the string must not.
    [Number.MAX_SAFE_INTEGER, 'EUR', '90071992547409.91'],
  ])('toDecimalString(%i, %s) = %s', (minor, currency, expected) => {
    expect(toDecimalString(minor, currency)).toBe(expected);
  });

  it.each([
    [{ minor: 123456, currency: 'EUR' }, 'de', '1.234,56\u00a0€'],
    [{ minor: 123456, currency: 'EUR' }, 'en', '€1,234.56'],
    [{ minor: -4990, currency: 'EUR' }, 'de', '-49,90\u00a0€'],
    [{ minor: 1200, currency: 'JPY' }, 'de', '1.200\u00a0¥'],
    [{ minor: 1, currency: 'USD' }, 'en', '$0.01'],
    [{ minor: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, 'en', '€90,071,992,547,409.91'],
  ])('formatMoney(%j, %s)', (money, locale, expected) => {
    expect(formatMoney(money, locale)).toBe(expected);
  });

  it('formats a remembered amount again for each locale and currency, as a new formatter would', () => {
    for (let round = 0; round < 2; round++) {
      for (const currency of ['EUR', 'USD', 'JPY']) {
        for (const locale of ['de-DE', 'en-GB', 'fr-FR', 'de-CH']) {
          const fresh = new Intl.NumberFormat(locale, { style: 'currency', currency }).format(currency === 'JPY' ? 4900 : 49);
          expect(formatMoney({ minor: 4900, currency }, locale)).toBe(fresh);
        }
      }
    }
  });

  it('turns every parsed amount back into the digits it came from', () => {
    for (let cents = 0; cents < 20_000; cents += 7) {
      const text = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
      const parsed = parseAmount(text, 'de', 'EUR');
      expect(parsed.ok && parsed.value?.minor).toBe(cents);
      expect(toDecimalString(cents, 'EUR')).toBe(text.replace(',', '.'));
    }
  });
});
