import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseWriter, NEW_CASES_PER_INSERT, type NewCase } from '../../src/store/case-writer.js';
import { openTestStore, type TestStore } from '../support/store.js';

// The group INSERT of a new source skips a row it cannot write (OR IGNORE): a repeat is fine, any
// other reason must stop the import rather than lose the row without a word.

const NOW = '2026-11-23T08:00:00.000Z';
let store: TestStore;

beforeEach(() => {
  store = openTestStore();
});
afterEach(() => store.close());

function newCase(n: number, change: Partial<NewCase['order']> = {}): NewCase {
  const email = `kunde${n}@example.de`;
  const order = { email, emailKey: email, firstName: 'Anna', lastName: 'Müller', orderId: String(1000 + n), product: 'Kurs', openMinor: 4900, paidMinor: 0, currency: 'EUR', dueDate: '2026-11-20', token: `tk${n}`, localeHint: null };
  return { order: { ...order, ...change }, extraJson: '{}' };
}

function group(change: (n: number) => Partial<NewCase['order']> = () => ({})): NewCase[] {
  return Array.from({ length: NEW_CASES_PER_INSERT }, (_, i) => newCase(i + 1, change(i + 1)));
}

describe('CaseWriter.insertUnseenMany', () => {
  it('writes a group as one row at a time would, and returns ids in the order given', () => {
    const writer = new CaseWriter(store.db);
    const importId = writer.startImport(store.newRun('import', new Date(NOW)), 'elopage', 'a.csv', 'snapshot', 'x', NOW);
    const single = writer.insert('elopage', newCase(0).order, '{"a":"1"}', importId, NOW);
    const ids = writer.insertUnseenMany('elopage', group(), importId, NOW);
    expect(ids).toEqual(Array.from({ length: NEW_CASES_PER_INSERT }, (_, i) => single + 1 + i));
    const rows = store.db.prepare('SELECT * FROM cases WHERE order_id IN (?, ?) ORDER BY id').all('1000', '1001') as Record<string, unknown>[];
    const { id: _a, order_id: _b, email: _c, email_key: _d, token: _e, extra: _f, ...restOfSingle } = rows[0]!;
    const { id: _g, order_id: _h, email: _i, email_key: _j, token: _k, extra: _l, ...restOfGrouped } = rows[1]!;
    expect(restOfGrouped).toEqual(restOfSingle);
    expect(rows[1]).toMatchObject({ order_id: '1001', email: 'kunde1@example.de', email_key: 'kunde1@example.de', token: 'tk1', extra: '{}', status: 'open', first_open_minor: 4900 });
  });

  it('keeps each row\'s own currency when a group mixes them', () => {
    const writer = new CaseWriter(store.db);
    const importId = writer.startImport(store.newRun('import', new Date(NOW)), 'elopage', 'a.csv', 'snapshot', 'x', NOW);
    writer.insert('elopage', newCase(0, { currency: 'GBP' }).order, '{}', importId, NOW);
    writer.insertUnseenMany('elopage', group((n) => (n === 1 ? { currency: 'CHF' } : n % 10 === 0 ? { currency: 'USD' } : {})), importId, NOW);
    const currencies = store.db.prepare('SELECT order_id, currency FROM cases ORDER BY id').all() as { order_id: string; currency: string }[];
    expect(currencies.map((c) => c.currency)).toEqual(['GBP', 'CHF', ...Array.from({ length: NEW_CASES_PER_INSERT - 1 }, (_, i) => ((i + 2) % 10 === 0 ? 'USD' : 'EUR'))]);
  });

  it('returns undefined for a repeat within the group and of an earlier row, keeping the first listing', () => {
    const writer = new CaseWriter(store.db);
    const importId = writer.startImport(store.newRun('import', new Date(NOW)), 'elopage', 'a.csv', 'snapshot', 'x', NOW);
    const earlier = writer.insert('elopage', newCase(7).order, '{}', importId, NOW);
    const cases = group();
    cases[20] = newCase(3, { email: 'later@example.de' });
    const ids = writer.insertUnseenMany('elopage', cases, importId, NOW);
    expect(ids[6]).toBeUndefined();
    expect(ids[20]).toBeUndefined();
    expect(ids.filter((id) => id !== undefined)).toEqual(Array.from({ length: NEW_CASES_PER_INSERT - 2 }, (_, i) => earlier + 1 + i));
    expect(store.db.prepare("SELECT email FROM cases WHERE order_id = '1003'").all()).toEqual([{ email: 'kunde3@example.de' }]);
  });

  it('throws when a row was skipped for another reason than a repeat', () => {
    const writer = new CaseWriter(store.db);
    const importId = writer.startImport(store.newRun('import', new Date(NOW)), 'elopage', 'a.csv', 'snapshot', 'x', NOW);
    const cases = group((n) => (n === 9 ? { currency: null as unknown as string } : {}));
    expect(() => writer.insertUnseenMany('elopage', cases, importId, NOW)).toThrow('the case of order "1009" due 2026-11-20 was neither written nor found');
  });
});
