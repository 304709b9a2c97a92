import { describe, expect, it } from 'vitest';
import { readRow, type RowLayout } from '../../src/import/read-rows.js';
import { mapColumns } from '../../src/import/presets/index.js';

const FIELDS = ['E-Mail', 'Vorname', 'Nachname', 'Bestell-ID', 'Produktname', 'Offener Betrag', 'Bezahlter Betrag', 'Fälligkeitsdatum', 'Token'];
const VALUES = ['lea@example.com', 'Lea', 'Meyer', '100', 'Kurs', '12,00', '0,00', '02.11.2026', 'tok'];

function layoutWith(extraHeaders: readonly string[]): RowLayout {
  const headers = [...FIELDS, ...extraHeaders];
  return {
    path: 'orders.csv',
    encoding: 'utf8',
    delimiter: ';',
    headers,
    mapping: mapColumns('orders.csv', headers, 'elopage', {}),
    rules: { numberFormat: 'de', dateOrder: 'DMY', timeZone: 'Europe/Berlin', currency: 'EUR' },
  };
}

/** The extra columns' JSON of one good row, and what JSON.stringify makes of the same columns as an object. */
function extraOf(extraHeaders: readonly string[], extraValues: readonly string[]): { json: string; expected: string } {
  const layout = layoutWith(extraHeaders);
  const cells = [...VALUES, ...extraValues];
  const row = readRow({ line: 2, endLine: 2, cells, malformed: false, undecodable: null }, layout);
  if (!row.ok) throw new Error(JSON.stringify(row.problems));
  const extra: Record<string, string> = {};
  for (const column of layout.mapping.extra) extra[column.header] = cells[column.index] ?? '';
  return { json: row.extraJson, expected: JSON.stringify(extra) };
}

describe('readRow: the extra columns as JSON, as JSON.stringify writes the object', () => {
  it.each([
    ['no extra column', [], []],
    ['one', ['Zahlungsart'], ['PayPal']],
    ['quotes, backslashes, umlauts and emoji', ['Notiz "intern"', 'Pfad\\Teil', 'Größe 😀'], ['sagt "ja"', 'C:\\temp', 'XL – 😀']],
    ['an empty value', ['Zahlungsart', 'Kommentar'], ['PayPal', '']],
    ['headers an object reorders: array indexes come first', ['Zahlungsart', '2024', '7'], ['PayPal', 'a', 'b']],
    ['a header repeated (the mapping names the second "Notiz (2)")', ['Notiz', 'Zahlungsart', 'Notiz'], ['eins', 'PayPal', 'zwei']],
    ['a header named __proto__ is dropped', ['__proto__', 'Zahlungsart'], ['x', 'PayPal']],
    ['not an array index: leading zero, too large', ['01', '4294967295', 'Zahlungsart'], ['a', 'b', 'PayPal']],
  ])('%s', (_name, headers, values) => {
    const { json, expected } = extraOf(headers, values);
    expect(json).toBe(expected);
  });

  it('spells out the common case', () => {
    expect(extraOf(['Zahlungsart', 'Notiz', 'Notiz'], ['PayPal', 'a "b"', 'c']).json).toBe('{"Zahlungsart":"PayPal","Notiz":"a \\"b\\"","Notiz (2)":"c"}');
    expect(extraOf(['9', 'Zahlungsart'], ['x', 'PayPal']).json).toBe('{"9":"x","Zahlungsart":"PayPal"}');
    expect(extraOf(['Zahlungsart', '9'], ['PayPal', 'x']).json).toBe('{"9":"x","Zahlungsart":"PayPal"}');
  });
});
