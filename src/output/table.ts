import stringWidth from 'string-width';

/** Column alignment of a table. */
export type Align = 'left' | 'right';

// Drawn here rather than by cli-table3: its layout takes time that grows with the square of the
// rows and compiles a regular expression per cell, so `status --all` over 200,000 cases took hours.
// The output is the same as cli-table3's borderless table (test/unit/table.test.ts compares them):
// widths as string-width measures text without colour codes, a cell's lines stacked, empty lines dropped.
const COLUMN_GAP = '  ';
const COLOUR_CODE = /\u001b\[(?:\d*;){0,5}\d*m/g;

/** Renders rows as a plain, borderless table that reads well in a terminal and in a cron mail. */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = head.map(cellWidth);
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cellWidth(cell))));
  const out: string[] = [];
  const drawLine = (cells: readonly string[]): void => {
    const line = cells.map((cell, i) => pad(cell, widths[i] ?? 0, align[i] ?? 'left')).join(COLUMN_GAP);
    if (line !== '') out.push(line);
  };
  const drawRow = (row: readonly string[]): void => {
    // Nearly every row is one line: no splitting for it.
    if (!row.some((cell) => cell.includes('\n'))) return drawLine(row);
    const cells = row.map((cell) => cell.split('\n'));
    const height = Math.max(...cells.map((lines) => lines.length));
    for (let n = 0; n < height; n++) drawLine(cells.map((lines) => lines[n] ?? ''));
  };
  drawRow(head);
  for (const row of rows) drawRow(row);
  return out.join('\n');
}

/** Width of a cell on screen: its widest line. */
function cellWidth(cell: string): number {
  return cell.includes('\n') ? Math.max(...cell.split('\n').map(textWidth)) : textWidth(cell);
}

const PLAIN = /^[\x20-\x7e]*$/;

function textWidth(text: string): number {
  // Most cells are plain ASCII, one column per character; string-width is for the rest.
  return PLAIN.test(text) ? text.length : stringWidth(text.replace(COLOUR_CODE, ''));
}

function pad(text: string, width: number, align: Align): string {
  const room = ' '.repeat(Math.max(0, width - textWidth(text)));
  return align === 'right' ? room + text : text + room;
}

/** A stored ISO instant as the tables show it: `2026-11-23 08:00:00Z`. */
export function utcStamp(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
