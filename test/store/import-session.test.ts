import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportSession, NewCase } from '../../src/app/ports.js';
import { describeEachAdapter } from '../support/pg.js';
import { openTestStore, type TestStore } from '../support/store.js';

// New cases are written in groups; a group the store cannot write whole must never lose a row
// without a word: a repeat of an order and due date comes back as undefined, any other reason stops.

const NOW = '2026-11-23T08:00:00.000Z';
const GROUP = 120;
describeEachAdapter('import sessions', (adapter) => {
  let store: TestStore;
  let session: ImportSession;
  let importId: number;

  beforeEach(async () => {
    store = await openTestStore({}, adapter);
    session = await store.store.imports.begin({ bulk: false });
    importId = await session.startImport(await store.newRun('import', new Date(NOW)), 'elopage', 'a.csv', 'snapshot', 'x', NOW);
  });
  afterEach(async () => {
    await session.rollback();
    await store.close();
  });

  function newCase(n: number, change: Partial<NewCase['order']> = {}): NewCase {
    const email = `kunde${n}@example.de`;
    const order = { email, emailKey: email, firstName: 'Anna', lastName: 'Müller', orderId: String(1000 + n), product: 'Kurs', openMinor: 4900, paidMinor: 0, currency: 'EUR', dueDate: '2026-11-20', dueAt: null, token: `tk${n}`, localeHint: null };
    return { order: { ...order, ...change }, extraJson: '{}' };
  }

  function group(change: (n: number) => Partial<NewCase['order']> = () => ({})): NewCase[] {
    return Array.from({ length: GROUP }, (_, i) => newCase(i + 1, change(i + 1)));
  }

  async function committed<T>(read: () => Promise<T>): Promise<T> {
    await session.commit();
    return read();
  }

  describe('ImportSession.addCases', () => {
    it('writes many cases as one at a time would, and returns ids in the order given', async () => {
      const [single] = await session.addCases('elopage', [{ ...newCase(0), extraJson: '{"a":"1"}' }], importId, NOW);
      const ids = await session.addCases('elopage', group(), importId, NOW);
      expect(ids).toEqual(Array.from({ length: GROUP }, (_, i) => (single ?? 0) + 1 + i));
      const rows = await committed(() => store.all<Record<string, unknown>>("SELECT * FROM cases WHERE order_id IN ('1000', '1001', '1120') ORDER BY id"));
      const same = (row: Record<string, unknown>): Record<string, unknown> => {
        const { id: _a, order_id: _b, email: _c, email_key: _d, token: _e, extra: _f, ...rest } = row;
        return rest;
      };
      expect(same(rows[1]!)).toEqual(same(rows[0]!));
      expect(same(rows[2]!)).toEqual(same(rows[0]!));
      expect(rows[1]).toMatchObject({ order_id: '1001', email: 'kunde1@example.de', email_key: 'kunde1@example.de', token: 'tk1', extra: '{}', status: 'open', first_open_minor: 4900 });
    });

    it("keeps each row's own currency when a group mixes them", async () => {
      await session.addCases('elopage', [newCase(0, { currency: 'GBP' })], importId, NOW);
      await session.addCases('elopage', group((n) => (n === 1 ? { currency: 'CHF' } : n % 10 === 0 ? { currency: 'USD' } : {})), importId, NOW);
      const currencies = await committed(() => store.all<{ currency: string }>('SELECT currency FROM cases ORDER BY id'));
      expect(currencies.map((c) => c.currency)).toEqual(['GBP', 'CHF', ...Array.from({ length: GROUP - 1 }, (_, i) => ((i + 2) % 10 === 0 ? 'USD' : 'EUR'))]);
    });

    it('returns undefined for a repeat within the group and of an earlier case, keeping the first listing', async () => {
      const [earlier] = await session.addCases('elopage', [newCase(7)], importId, NOW);
      const cases = group();
      cases[20] = newCase(3, { email: 'later@example.de' });
      cases[GROUP - 1] = newCase(5, { email: 'last@example.de' });
      const ids = await session.addCases('elopage', cases, importId, NOW);
      expect([ids[6], ids[20], ids[GROUP - 1]]).toEqual([undefined, undefined, undefined]);
      const written = ids.filter((id) => id !== undefined);
      // PostgreSQL spends a number of its identity on a row ON CONFLICT skips: ids keep their order, not every number.
      if (adapter === 'sqlite') expect(written).toEqual(Array.from({ length: GROUP - 3 }, (_, i) => (earlier ?? 0) + 1 + i));
      else expect(written).toEqual([...new Set(written)].sort((a, b) => a - b).filter((id) => id > (earlier ?? 0)));
      expect(written).toHaveLength(GROUP - 3);
      expect(await committed(() => store.all("SELECT email FROM cases WHERE order_id IN ('1003', '1005') ORDER BY id"))).toEqual([{ email: 'kunde3@example.de' }, { email: 'kunde5@example.de' }]);
    });

    it('writes the same values for a source with no cases as for one with some: escapes kept, ids in order', async () => {
      // "other" has a case already; "elopage" has none, so a store may write its new cases another way (COPY).
      await session.addCases('other', [newCase(999)], importId, NOW);
      await session.commit();
      session = await store.store.imports.begin({ bulk: false });
      const awkward = { product: 'Kurs\tA\\B\nZeile 2\r', firstName: 'An\\na' };
      const first = group((n) => (n % 7 === 0 ? awkward : {})).map((c) => ({ ...c, extraJson: '{"Notiz":"a\\tb"}' }));
      const ids = await session.addCases('elopage', first, importId, NOW);
      const others = group((n) => (n % 7 === 0 ? awkward : {})).map((c) => ({ ...c, extraJson: '{"Notiz":"a\\tb"}' }));
      await session.addCases('other', others, importId, NOW);
      expect(ids).toEqual(Array.from({ length: GROUP }, (_, i) => (ids[0] ?? 0) + i));
      const rows = await committed(() => store.all<Record<string, unknown>>('SELECT * FROM cases ORDER BY source, id'));
      const values = (source: string): unknown[] => rows.filter((r) => r.source === source && r.order_id !== '1999').map(({ id: _id, source: _source, ...rest }) => rest);
      expect(values('elopage')).toEqual(values('other'));
      expect(rows.find((r) => r.order_id === '1007' && r.source === 'elopage')).toMatchObject({ product: 'Kurs\tA\\B\nZeile 2\r', first_name: 'An\\na', extra: '{"Notiz":"a\\tb"}' });
      expect(rows.filter((r) => r.source === 'elopage').map((r) => r.id)).toEqual(ids);
      expect(values('elopage')).toHaveLength(GROUP);
    });

    it('returns undefined for a repeat of a case written by an earlier group of the same import, and goes on writing', async () => {
      const [earlier] = await session.addCases('elopage', [newCase(900)], importId, NOW);
      const cases = group();
      cases[30] = newCase(4, { email: 'again@example.de' });
      cases[31] = newCase(900, { email: 'again@example.de' });
      const ids = await session.addCases('elopage', cases, importId, NOW);
      expect([ids[30], ids[31]]).toEqual([undefined, undefined]);
      expect(ids.filter((id) => id === undefined)).toHaveLength(2);
      const later = await session.addCases('elopage', [newCase(901), newCase(5)], importId, NOW);
      expect(later[0]).toBeGreaterThan(Math.max(...ids.filter((id) => id !== undefined)));
      expect(later[1]).toBeUndefined();
      const rows = await committed(() => store.all<{ id: number; order_id: string; email: string }>('SELECT id, order_id, email FROM cases ORDER BY id'));
      expect(rows).toHaveLength(GROUP - 2 + 2);
      expect(rows.filter((r) => r.email === 'again@example.de')).toEqual([]);
      expect(rows.map((r) => r.id)).toEqual([earlier, ...ids.filter((id) => id !== undefined), later[0]]);
    });

    it('returns undefined for a case an earlier import wrote', async () => {
      await session.addCases('elopage', [newCase(1)], importId, NOW);
      await session.commit();
      session = await store.store.imports.begin({ bulk: false });
      const ids = await session.addCases('elopage', [newCase(2), newCase(1, { email: 'other@example.de' })], importId, NOW);
      expect(ids[0]).toBeDefined();
      expect(ids[1]).toBeUndefined();
      expect(await committed(() => store.all("SELECT email FROM cases WHERE order_id = '1001'"))).toEqual([{ email: 'kunde1@example.de' }]);
    });

    it('fails the import, naming the order, when a case cannot be written, at the latest at commit; nothing is kept', async () => {
      const cases = group((n) => (n === 9 ? { currency: null as unknown as string } : {}));
      const writeAndCommit = async (): Promise<void> => {
        await session.addCases('elopage', cases, importId, NOW);
        await session.commit();
      };
      await expect(writeAndCommit()).rejects.toThrow(/order "1009"/);
      expect(await store.all('SELECT count(*) AS n FROM cases')).toEqual([{ n: 0 }]);
    });

    it('finds the cases of given keys in order, and only within the source', async () => {
      await session.addCases('elopage', [newCase(1), newCase(2)], importId, NOW);
      const found = await session.findCases('elopage', [{ orderId: '1002', dueDate: '2026-11-20' }, { orderId: '1001', dueDate: '2026-11-21' }, { orderId: '1001', dueDate: '2026-11-20' }]);
      expect(found.map((c) => c?.email)).toEqual(['kunde2@example.de', undefined, 'kunde1@example.de']);
      expect(await session.findCases('other', [{ orderId: '1001', dueDate: '2026-11-20' }])).toEqual([undefined]);
    });

    it('leaves nothing behind when rolled back', async () => {
      await session.addCases('elopage', group(), importId, NOW);
      await session.rollback();
      expect(await store.all('SELECT count(*) AS n FROM cases')).toEqual([{ n: 0 }]);
      session = await store.store.imports.begin({ bulk: false });
    });
  });
});
