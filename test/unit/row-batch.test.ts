import { describe, expect, it } from 'vitest';
import type { ReadRow } from '../../src/import/read-rows.js';
import { readBatch, RowBatchWriter } from '../../src/import/row-batch.js';

const good = (line: number, changes: Partial<Extract<ReadRow, { ok: true }>['order']> = {}, extraJson = '{}'): Extract<ReadRow, { ok: true }> => ({
  line,
  ok: true,
  order: {
    email: `kunde${line}@example.com`,
    emailKey: `kunde${line}@example.com`,
    firstName: 'Lea',
    lastName: 'Meyer',
    orderId: String(100_000 + line),
    product: 'Mitgliedschaft Premium',
    openMinor: 134_946,
    paidMinor: 0,
    currency: 'EUR',
    dueDate: '2026-11-02',
    token: `tok${line}`,
    localeHint: null,
    ...changes,
  },
  extraJson,
  cells: ['a', 'b'],
});

/** Packs rows as the parsing thread does, clones them with their buffers transferred as postMessage does, and unpacks them. */
function roundTrip(rows: readonly ReadRow[], mayRepeat: (row: ReadRow) => boolean = () => false): ReadRow[] {
  const writer = new RowBatchWriter(rows.length);
  for (const row of rows) writer.add(row, mayRepeat(row));
  const { batch, transfer } = writer.take();
  return readBatch(structuredClone(batch, { transfer }));
}

describe('rows between the threads', () => {
  it('arrive as they left: text of any script, nulls, empty cells, amounts beyond 32 bits', () => {
    const rows: ReadRow[] = [
      good(2),
      good(3, { email: 'Jörg.Ünal@Example.com', emailKey: 'jörg.ünal@example.com', firstName: 'Jörg 😀', lastName: '', localeHint: 'de-AT' }),
      good(4, { firstName: '李', lastName: 'Ωμέγα', product: 'Kurs „Δ“ 🎓', token: null, openMinor: 9_007_199_254_740_991, paidMinor: 12 }, '{"Zahlungsart":"Überweisung \\"sofort\\""}'),
      good(5, { token: '', currency: 'CHF' }),
    ];
    const back = roundTrip(rows);
    expect(back).toEqual(rows.map((row) => ({ ...row, cells: null })));
  });

  it('bring a bad row with its cells and problems, in file order among the good ones', () => {
    const bad: ReadRow = { line: 7, ok: false, cells: ['x;y', '"q"', 'ü'], problems: [{ column: 'E-Mail', message: '"x;y" holds more than one address' }, { column: null, message: 'row' }] };
    const rows = [good(6), bad, good(8)];
    expect(roundTrip(rows)).toEqual([{ ...good(6), cells: null }, bad, { ...good(8), cells: null }]);
  });

  it('bring a good row\'s cells only when its key may have been read before', () => {
    const rows = [good(2), good(3), good(4)];
    const back = roundTrip(rows, (row) => row.line === 3);
    expect(back.map((row) => row.cells)).toEqual([null, JSON.stringify(['a', 'b']), null]);
  });

  it('start a new batch after each take', () => {
    const writer = new RowBatchWriter(2);
    expect(writer.isEmpty).toBe(true);
    writer.add(good(2), false);
    writer.add(good(3), false);
    expect(writer.isEmpty).toBe(false);
    const first = writer.take();
    expect(writer.isEmpty).toBe(true);
    writer.add(good(4, { firstName: 'Ida' }), false);
    const second = writer.take();
    expect(readBatch(first.batch).map((row) => row.line)).toEqual([2, 3]);
    expect(readBatch(second.batch)).toEqual([{ ...good(4, { firstName: 'Ida' }), cells: null }]);
  });
});
