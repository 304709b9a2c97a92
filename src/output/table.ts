import Table from 'cli-table3';

/** Column alignment of a table. */
export type Align = 'left' | 'right';

/** Renders rows as a plain, borderless table that reads well in a terminal and in a cron mail. */
export function renderTable(head: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
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

/** A stored ISO instant as the tables show it: `2026-11-23 08:00:00Z`. */
export function utcStamp(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
