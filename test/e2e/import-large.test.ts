import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateExport } from '../../bench/generate-export.mjs';
import { query } from '../support/db.js';
import { lines } from '../support/run-cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

// Files from 8 MiB on are parsed in a worker thread while the main thread writes: the same
// messages, rejects and database as the small files of the other tests.

const ROWS = 90_000;

/** A generated export (> 8 MiB) with bad rows put in at known lines. */
async function largeExport(ws: Workspace, edit: (lines: string[]) => void): Promise<string> {
  await generateExport(ROWS, ws.file('big.csv'));
  const text = readFileSync(ws.file('big.csv'), 'utf8').split('\n');
  edit(text);
  ws.write('big.csv', text.join('\n'));
  expect(statSync(ws.file('big.csv')).size).toBeGreaterThan(8 << 20);
  return 'big.csv';
}

describe('import of a large file (parsed in a worker thread)', () => {
  it('reports bad rows and duplicates by line, writes the rejects, imports the rest', { timeout: 120_000 }, async () => {
    const ws = workspace();
    let duplicated = '';
    let earlyRepeat = '';
    const file = await largeExport(ws, (text) => {
      // Line 301 repeats the order and due date of line 250 with another address, in the same batch
      // between the threads: the first stays, the rows around them land.
      earlyRepeat = text[249]!.replace(/^[^;]+/, 'someone.else@example.com');
      text[300] = earlyRepeat;
      text[1000] = text[1000]!.replace(/^[^;]+/, 'not-an-address'); // line 1001
      text[50_000] = text[50_000]!.replace(/;(\d{2})\.(\d{2})\.(\d{4});/, ';31.02.$3;'); // line 50001
      duplicated = text[20]!; // line 21 again at the end
      text.splice(text.length - 1, 0, duplicated);
    });
    const result = await ws.dunning('import', file);
    expect(result.code).toBe(1);
    const orderOf = (line: string): string => line.split(';')[3]!;
    const dueOf = (order: string): string => query(ws.db, 'SELECT due_date FROM cases WHERE order_id = ?', order)[0]?.due_date as string;
    expect(lines(result.stderr)).toEqual([
      `big.csv:301: column "Bestell-ID": order "${orderOf(earlyRepeat)}" with due date ${dueOf(orderOf(earlyRepeat))} is listed twice; each order and due date once`,
      'big.csv:1001: column "E-Mail": "not-an-address" is not an e-mail address',
      expect.stringMatching(/^big\.csv:50001: column "Fälligkeitsdatum": "31\.02\.\d{4}" is not a date in the calendar$/) as string,
      `big.csv:${ROWS + 2}: column "Bestell-ID": order "${orderOf(duplicated)}" with due date ${dueOf(orderOf(duplicated))} is listed twice; each order and due date once`,
      '  bad rows written to big.rejects.csv',
    ]);
    expect(result.stdout).toContain(`big.csv: ${ROWS + 1} rows read: ${ROWS - 3} new, 0 updated, 0 closed as paid, 0 unchanged, 4 rejected`);
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: ROWS - 3 }]);
    expect(query(ws.db, 'SELECT email FROM cases WHERE order_id = ?', orderOf(earlyRepeat))).toEqual([{ email: readFileSync(ws.file('big.csv'), 'utf8').split('\n')[249]!.split(';')[0] }]);
    expect(query(ws.db, "SELECT count(*) AS n FROM cases WHERE CAST(order_id AS INTEGER) BETWEEN 100200 AND 100299")).toEqual([{ n: 99 }]);
    const rejects = readFileSync(ws.file('big.rejects.csv'), 'utf8');
    expect(rejects.split('\r\n').filter((l) => l !== '')).toHaveLength(1 + 4);
    expect(rejects).toContain(`\r\n${earlyRepeat};301;`);
    expect(rejects).toContain(`;${ROWS + 2};"column ""Bestell-ID"": order`);
    // The repeated row's own cells, as the file wrote them (the parsing thread sends them for a repeated key only).
    expect(rejects).toContain(`\r\n${duplicated};${ROWS + 2};`);
  });

  it('refuses a row of a large file that repeats a row of a small file read before it in the same run', { timeout: 120_000 }, async () => {
    const ws = workspace();
    let repeated = '';
    const file = await largeExport(ws, (text) => {
      repeated = text[5]!; // line 6 of big.csv
      ws.write('small.csv', `${text[0]!}\n${repeated}\n`);
    });
    // small.csv is read in this thread, big.csv in a worker: the key read first must reach the worker.
    const result = await ws.dunning('import', 'small.csv', file);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)[0]).toMatch(/^big\.csv:6: column "Bestell-ID": order "\d+" with due date \d{4}-\d\d-\d\d is listed twice; each order and due date once$/);
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: ROWS }]);
    const rejects = readFileSync(ws.file('big.rejects.csv'), 'utf8');
    expect(rejects).toContain(`\r\n${repeated};6;`);
  });

  it('says how far a row with a stray quote runs on, so the rows it swallowed do not vanish', { timeout: 120_000 }, async () => {
    const ws = workspace();
    let swallowedTo = 0;
    const file = await largeExport(ws, (text) => {
      text[70_000] = text[70_000]!.replace(';', ';"'); // line 70001
      // The next quote in the file closes the cell (with text after it: malformed).
      swallowedTo = text.findIndex((line, i) => i > 70_000 && line.includes('"')) + 1;
    });
    const result = await ws.dunning('import', file);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)[0]).toBe(`big.csv:70001: a quote in this row is malformed, so the row runs on to line ${swallowedTo} (inside a quoted cell, write "" for one ")`);
    expect(result.stdout).toContain(`big.csv: ${ROWS - (swallowedTo - 70_001)} rows read: ${ROWS - 1 - (swallowedTo - 70_001)} new, 0 updated, 0 closed as paid, 0 unchanged, 1 rejected`);
  });

  it('refuses a quote that is never closed: nothing imported, exit 2', { timeout: 120_000 }, async () => {
    const ws = workspace();
    const file = await largeExport(ws, (text) => {
      text[ROWS] = text[ROWS]!.replace(/;[^;"]*$/, ';"never closed'); // the last line
    });
    const result = await ws.dunning('import', file);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)[0]).toBe(`error: big.csv:${ROWS + 1}: a quoted cell that starts in this row is never closed`);
    expect(ws.store()?.cases).toEqual([]);
  });
});
