import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { renderTable, type Align } from '../../src/output/table.js';

// cli-table3 drew our tables until its layout (quadratic in rows) made long ones take hours; it
// stays as the oracle for what a borderless table looks like.
function cliTable3(head: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string {
  const table = new Table({
    head: [...head],
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: head.map((_, i) => align[i] ?? 'left'),
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}

const WORDS = ['Jörg', 'Müller-Lüdenscheidt', '山田 太郎', 'Zoë 🎉', 'e\u0301', 'O\'Brien; "Ltd"', '', '1.234,56 €', 'x'.repeat(37), '\u001b[31mred\u001b[39m', 'two\nlines', 'a\nbb\nc', '–', 'tab\there'];

function seededRows(count: number, columns: number, seed: number): string[][] {
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  return Array.from({ length: count }, () => Array.from({ length: columns }, () => WORDS[next() % WORDS.length] ?? ''));
}

describe('renderTable', () => {
  it.each([1, 2, 3, 4, 5])('draws seeded tables (seed %i) exactly as cli-table3 does', (seed) => {
    const head = ['customer', 'order', 'open', 'attention'].slice(0, 1 + (seed % 4));
    const rows = seededRows(40, head.length, seed);
    const align: Align[] = ['left', 'right', 'right', 'left'];
    expect(renderTable(head, rows, align)).toBe(cliTable3(head, rows, align));
  });

  it('gives every column the width of its widest cell and right-aligns amounts', () => {
    const lines = renderTable(['a', 'open'], [['short', '1,00 €'], ['a much longer cell', '1.234,56 €']], ['left', 'right']).split('\n');
    expect(lines).toEqual(['a                         open', 'short                   1,00 €', 'a much longer cell  1.234,56 €']);
  });

  it('draws a header alone when there are no rows', () => {
    expect(renderTable(['run', 'to'], [])).toBe(cliTable3(['run', 'to'], [], []));
  });
});
