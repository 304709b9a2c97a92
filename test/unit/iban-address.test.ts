import { describe, expect, it } from 'vitest';
import { compactIban, ibanProblem, printedIban } from '../../src/core/iban.js';
import { addressLines, postalAddressOf } from '../../src/core/postal-address.js';

describe('ibanProblem', () => {
  it.each([
    'DE89 3704 0044 0532 0130 00',
    'de89370400440532013000',
    'AT61 1904 3002 3457 3201',
    'CH93 0076 2011 6238 5295 7',
    'GB29 NWBK 6016 1331 9268 19',
    'NL91 ABNA 0417 1643 00',
  ])('accepts %s', (iban) => {
    expect(ibanProblem(iban)).toBeNull();
  });

  it.each([
    ['DE89 3704 0044 0532 0130 01', 'has wrong check digits (mod 97): a character is mistyped'],
    ['DE98 3704 0044 0532 0130 00', 'has wrong check digits (mod 97): a character is mistyped'],
    ['3704 0044 0532 0130 00', 'is not an IBAN (two letters for the country, two check digits, then 11 to 30 letters and digits)'],
    ['DE89-3704-0044', 'is not an IBAN (two letters for the country, two check digits, then 11 to 30 letters and digits)'],
  ])('refuses %s', (iban, problem) => {
    expect(ibanProblem(iban)).toBe(problem);
  });

  it('prints it in groups of four, compacts it without spaces', () => {
    expect(printedIban('de89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(compactIban(' DE89 3704 0044 0532 0130 00 ')).toBe('DE89370400440532013000');
  });
});

describe('postalAddressOf', () => {
  it('reads Shopify billing columns', () => {
    const extra = { 'Billing Address1': '12 Main St', 'Billing Address2': 'Apt 4', 'Billing Zip': '10001', 'Billing City': 'New York', 'Billing Country': 'US', 'Shipping City': 'Boston' };
    expect(addressLines(postalAddressOf(extra))).toEqual(['12 Main St', 'Apt 4', '10001 New York', 'US']);
  });

  it('reads WooCommerce snake_case and German headers, skipping empty cells', () => {
    expect(addressLines(postalAddressOf({ billing_address_1: 'Hauptstr. 5', billing_postcode: '80331', billing_city: 'München', billing_country: '' }))).toEqual(['Hauptstr. 5', '80331 München']);
    expect(addressLines(postalAddressOf({ Straße: 'Lindenweg 3', PLZ: '10115', Ort: 'Berlin' }))).toEqual(['Lindenweg 3', '10115 Berlin']);
  });

  it('has no lines when the export has no address', () => {
    expect(addressLines(postalAddressOf({ Kundennummer: '42' }))).toEqual([]);
  });
});
