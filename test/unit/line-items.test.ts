import { describe, expect, it } from 'vitest';
import type { CsvRecord } from '../../src/import/csv-reader.js';
import { LineItemJoiner } from '../../src/import/line-items.js';
import { mapColumns } from '../../src/import/presets/index.js';
import type { RowLayout } from '../../src/import/read-rows.js';

// Shopify writes one row per line item (issue 18): the rows after an order's first join it.

const HEADERS = ['Name', 'Email', 'Financial Status', 'Outstanding Balance', 'Lineitem name'];
const layout: RowLayout = {
  path: 'orders.csv', encoding: 'utf8', delimiter: ',', headers: HEADERS,
  mapping: mapColumns('orders.csv', HEADERS, 'auto', {}),
  rules: { numberFormat: 'auto', dateOrder: 'auto', timeZone: 'UTC', currency: 'EUR' },
};

function join(rows: string[][]): { line: number; endLine: number; cells: string[] }[] {
  const out: CsvRecord[] = [];
  const joiner = new LineItemJoiner(layout, (r) => out.push(r));
  rows.forEach((cells, i) => joiner.push({ line: i + 2, endLine: i + 2, cells, malformed: false, undecodable: null }));
  joiner.end();
  return out.map(({ line, endLine, cells }) => ({ line, endLine, cells }));
}

describe('LineItemJoiner', () => {
  it('applies to the shopify preset', () => {
    expect(layout.mapping.name).toBe('shopify');
    expect(LineItemJoiner.applies(layout)).toBe(true);
  });

  it('joins continuation rows: every product named, order-level cells from the row that has them', () => {
    expect(join([
      ['#1', 'a@example.de', 'pending', '', 'Mat'],
      ['#1', '', '', '120.00', 'Block'],
      ['#1', '', '', '', 'Strap'],
      ['#2', 'b@example.de', 'paid', '0.00', 'Mat'],
    ])).toEqual([
      { line: 2, endLine: 4, cells: ['#1', 'a@example.de', 'pending', '120.00', 'Mat, Block, Strap'] },
      { line: 5, endLine: 5, cells: ['#2', 'b@example.de', 'paid', '0.00', 'Mat'] },
    ]);
  });

  it('keeps a row of the same order that names an e-mail, and a row with a cell too few, as rows of their own', () => {
    const rows = join([
      ['#1', 'a@example.de', 'pending', '10.00', 'Mat'],
      ['#1', 'a@example.de', 'pending', '10.00', 'Mat'],
      ['#1', '', '', ''],
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
  });
});
