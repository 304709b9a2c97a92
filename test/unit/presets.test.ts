import { describe, expect, it } from 'vitest';
import { DunningError } from '../../src/core/errors.js';
import type { Field } from '../../src/core/order-line.js';
import { mapColumns, normaliseHeader, type ColumnMapping } from '../../src/import/presets/index.js';

const ELOPAGE = ['E-Mail', 'Vorname', 'Nachname', 'Bestell-ID', 'Produktname', 'Offener Betrag', 'Bezahlter Betrag', 'Fälligkeitsdatum', 'Token'];

function fields(mapping: ColumnMapping): Record<string, string> {
  return Object.fromEntries([...mapping.fields].map(([field, column]) => [field, `${column.index}:${column.header}`]));
}

function refusal(headers: readonly string[], preset: 'auto' | 'elopage' | 'generic' = 'auto', columns: Partial<Record<Field, string>> = {}): DunningError {
  try {
    mapColumns('orders.csv', headers, preset, columns);
  } catch (error) {
    if (error instanceof DunningError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(headers)} to be refused`);
}

describe('normaliseHeader', () => {
  it.each([
    ['E-Mail', 'e-mail'],
    ['  E-Mail  ', 'e-mail'],
    ['\ufeffE-Mail', 'e-mail'],
    ['Offener   Betrag', 'offener betrag'],
    ['Offener\tBetrag', 'offener betrag'],
    ['FÄLLIGKEITSDATUM', 'fälligkeitsdatum'],
    ['Fa\u0308lligkeitsdatum', 'fälligkeitsdatum'],
  ])('%j -> %j', (header, expected) => {
    expect(normaliseHeader(header)).toBe(expected);
  });
});

describe('mapColumns: presets from the header row', () => {
  it('reads an elopage export and keeps unknown columns as extra', () => {
    const mapping = mapColumns('orders.csv', [...ELOPAGE, 'Zahlungsart', 'Rate'], 'auto', {});
    expect(mapping.name).toBe('elopage');
    expect(mapping.chosenBy).toBe('header row');
    expect(mapping.preset?.snapshot).toBe(true);
    expect(fields(mapping)).toEqual({
      email: '0:E-Mail', first_name: '1:Vorname', last_name: '2:Nachname', order_id: '3:Bestell-ID', product: '4:Produktname',
      open_amount: '5:Offener Betrag', paid_amount: '6:Bezahlter Betrag', due_date: '7:Fälligkeitsdatum', token: '8:Token',
    });
    expect(mapping.extra).toEqual([{ index: 9, header: 'Zahlungsart' }, { index: 10, header: 'Rate' }]);
  });

  it('matches headers in any case and with surrounding or doubled spaces, and shows them as written', () => {
    const mapping = mapColumns('orders.csv', ['  e-mail ', 'BESTELL-ID', 'offener  betrag', 'fälligkeitsdatum', 'TOKEN'], 'auto', {});
    expect(mapping.name).toBe('elopage');
    expect(fields(mapping)).toEqual({ email: '0:  e-mail ', order_id: '1:BESTELL-ID', open_amount: '2:offener  betrag', due_date: '3:fälligkeitsdatum', token: '4:TOKEN' });
  });

  it('shows a header without the byte-order mark Excel puts before it', () => {
    const mapping = mapColumns('orders.csv', ['\ufeffE-Mail', 'Bestell-ID', 'Offener Betrag', 'Fälligkeitsdatum', 'Token'], 'auto', {});
    expect(mapping.fields.get('email')?.header).toBe('E-Mail');
  });

  it('reads the English twins of the elopage headers', () => {
    const mapping = mapColumns('orders.csv', ['Email', 'Order ID', 'Open amount', 'Due date', 'Token', 'Full name', 'Currency'], 'auto', {});
    expect(mapping.name).toBe('elopage');
    expect(fields(mapping)).toMatchObject({ email: '0:Email', order_id: '1:Order ID', name: '5:Full name', currency: '6:Currency' });
  });

  it('reads the generic layout, which is not a snapshot', () => {
    const mapping = mapColumns('orders.csv', ['email', 'order_id', 'open_amount', 'due_date', 'token', 'plan'], 'auto', {});
    expect(mapping.name).toBe('generic');
    expect(mapping.preset?.snapshot).toBe(false);
    expect(mapping.extra).toEqual([{ index: 5, header: 'plan' }]);
  });

  it('takes --preset over the header row, and then names the missing columns of that preset', () => {
    expect(mapColumns('orders.csv', ELOPAGE, 'elopage', {}).chosenBy).toBe('option');
    const error = refusal(ELOPAGE, 'generic');
    expect(error.message).toBe('orders.csv: not an export dunning can read: missing columns "email" (email), "order_id" (order_id), "open_amount" (open_amount), "due_date" (due_date)');
  });
});

describe('mapColumns: the config\'s "columns" mapping', () => {
  const columns = { email: 'Mail', order_id: 'Nr', open_amount: 'Betrag', due_date: 'Datum', token: 'Code' };

  it('maps headers no preset knows, matched like preset headers', () => {
    const mapping = mapColumns('orders.csv', ['mail ', 'NR', 'Betrag', 'Datum', 'Code', 'Notiz'], 'auto', columns);
    expect(mapping.name).toBe('columns');
    expect(mapping.chosenBy).toBe('config');
    expect(mapping.preset).toBeUndefined();
    expect(fields(mapping)).toEqual({ email: '0:mail ', order_id: '1:NR', open_amount: '2:Betrag', due_date: '3:Datum', token: '4:Code' });
    expect(mapping.extra).toEqual([{ index: 5, header: 'Notiz' }]);
  });

  it('lays a mapping over a preset: the mapped column wins, the preset one becomes extra', () => {
    const mapping = mapColumns('orders.csv', [...ELOPAGE, 'Rechnungs-Mail'], 'auto', { email: 'Rechnungs-Mail' });
    expect(mapping.name).toBe('elopage');
    expect(mapping.fields.get('email')).toEqual({ index: 9, header: 'Rechnungs-Mail' });
    expect(mapping.extra).toContainEqual({ index: 0, header: 'E-Mail' });
  });

  it('does not take a file mapped by the config for a preset\'s export because one header matches it', () => {
    // "Token" is an elopage header too; the file is still not an elopage snapshot.
    const mapping = mapColumns('orders.csv', ['Mail', 'Nr', 'Betrag', 'Datum', 'Token'], 'auto', { ...columns, token: 'Token' });
    expect(mapping.name).toBe('columns');
    expect(mapping.preset).toBeUndefined();
  });

  it('completes a preset\'s export whose renamed columns the config maps', () => {
    const headers = ['Mail', 'Nr', 'Betrag', 'Fälligkeitsdatum', 'Token'];
    const mapping = mapColumns('orders.csv', headers, 'auto', { email: 'Mail', order_id: 'Nr', open_amount: 'Betrag' });
    expect(mapping.name).toBe('elopage');
    expect(fields(mapping)).toEqual({ email: '0:Mail', order_id: '1:Nr', open_amount: '2:Betrag', due_date: '3:Fälligkeitsdatum', token: '4:Token' });
  });

  it('names a mapped header that is missing as coming from the config', () => {
    const error = refusal(ELOPAGE, 'auto', { email: 'Mail' });
    expect(error.message).toBe('orders.csv: not an export dunning can read: missing column "Mail" (email, from the config)');
  });
});

describe('mapColumns: refused header rows', () => {
  it('names every missing required column and lists the headers found', () => {
    const error = refusal(['Kunde', 'Betrag', 'Datum']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'orders.csv: not an export dunning can read: missing columns "E-Mail" (email), "Bestell-ID" (order_id), "Offener Betrag" (open_amount), "Fälligkeitsdatum" (due_date), "Token" (token)',
    );
    // Issue 18: the details also name every header that would have matched, in the file's language (German here).
    expect(error.details).toEqual([
      'headers found: "Kunde", "Betrag", "Datum"',
      'email: "E-Mail" or "E-Mail-Adresse" would match (elopage)',
      'order_id: "Bestell-ID" or "Bestellnummer" would match (elopage)',
      'due_date: "Fälligkeitsdatum" or "Fällig am" would match (elopage)',
    ]);
    expect(error.hint).toMatch(/--preset elopage\|shopify\|woocommerce\|stripe\|digistore24\|generic.*"import\.columns"/);
  });

  it('names only the missing ones of the closest preset', () => {
    const error = refusal(['E-Mail', 'Bestell-ID', 'Offener Betrag', 'Fälligkeitsdatum']);
    expect(error.message).toBe('orders.csv: not an export dunning can read: missing column "Token" (token)');
  });

  it('says when there are no headers at all', () => {
    expect(refusal([]).details).toEqual(['headers found: (none)']);
  });

  it.each([
    [['E-Mail', 'E-Mail', 'Bestell-ID', 'Offener Betrag', 'Fälligkeitsdatum', 'Token'], 'the header "E-Mail" appears twice (columns 1 and 2)'],
    // Equal once normalised: the same column to a reader, so just as ambiguous (A11).
    [['E-Mail', 'Bestell-ID', 'Offener Betrag', 'Fälligkeitsdatum', 'Token', ' e-mail '], 'the header "E-Mail" appears twice (columns 1 and 6)'],
    [['E-Mail', 'Bestell-ID', 'Offener Betrag', 'Fälligkeitsdatum', 'Token', 'TOKEN'], 'the header "Token" appears twice (columns 5 and 6)'],
  ])('refuses a mapped header that appears twice: %j', (headers, message) => {
    const error = refusal(headers);
    expect(error.message).toBe(`orders.csv: ${message}`);
    expect(error.hint).toMatch(/rename or remove one of them/);
  });

  it('refuses a duplicate of a header named in the config mapping', () => {
    const error = refusal(['Mail', 'Nr', 'Betrag', 'Datum', 'Code', 'Mail'], 'auto', { email: 'Mail', order_id: 'Nr', open_amount: 'Betrag', due_date: 'Datum', token: 'Code' });
    expect(error.message).toBe('orders.csv: the header "Mail" appears twice (columns 1 and 6)');
  });

  it('keeps unmapped duplicate headers as numbered extras, and drops empty headers', () => {
    const mapping = mapColumns('orders.csv', [...ELOPAGE, 'Notiz', 'Notiz', '', ' Notiz '], 'auto', {});
    expect(mapping.extra).toEqual([
      { index: 9, header: 'Notiz' },
      { index: 10, header: 'Notiz (2)' },
      { index: 12, header: 'Notiz (3)' },
    ]);
  });

  it('refuses two synonyms for one field instead of guessing, unless the config names one', () => {
    const headers = ['Email', 'E-Mail', 'Bestell-ID', 'Offener Betrag', 'Fälligkeitsdatum', 'Token'];
    expect(() => mapColumns('orders.csv', headers, 'auto', {})).toThrow('orders.csv: the columns "E-Mail" and "Email" both stand for email');
    const mapping = mapColumns('orders.csv', headers, 'auto', { email: 'Email' });
    expect(mapping.fields.get('email')).toEqual({ index: 0, header: 'Email' });
    expect(mapping.extra).toEqual([{ index: 1, header: 'E-Mail' }]);
  });
});
