import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/spreadsheet.js';
import type { Delimiter } from './sniff.js';

// The columns a rejects file adds: how an old one is told from a file of the merchant's own.
const LINE_COLUMN = 'dunning: line';
const PROBLEM_COLUMN = 'dunning: problem';

/**
 * Writes bad rows to a CSV beside the input, with the line and the reason in two extra columns,
 * so the merchant can fix them and import that file. Opened on the first bad row only.
 */
export class RejectsWriter {
  private fd: number | undefined;
  count = 0;

  constructor(
    readonly path: string,
    private readonly headers: readonly string[],
    private readonly delimiter: Delimiter,
  ) {}

  /** Appends one bad row. */
  add(line: number, cells: readonly string[], reason: string): void {
    if (this.fd === undefined) {
      this.fd = openSync(this.path, 'w', 0o600);
      // A BOM makes Excel read the file as UTF-8 (umlauts intact).
      writeSync(this.fd, '\ufeff' + this.row([...this.headers, LINE_COLUMN, PROBLEM_COLUMN]));
    }
    writeSync(this.fd, this.row([...cells, String(line), reason]));
    this.count++;
  }

  /** Closes the file if one was written. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private row(cells: readonly string[]): string {
    // A cell with a bare CR or LF is quoted too (csv-stringify quotes only the record delimiter, CRLF): else spreadsheets split the row.
    return stringify([cells.map(neutraliseFormula)], { delimiter: this.delimiter, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  }
}

/**
 * Removes a rejects file an earlier import left at `path` when its header row shows dunning wrote
 * it: after an import with no bad rows it lists rows that are fixed now. True when one was removed.
 */
export function removeOldRejects(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  const head = Buffer.alloc(64 * 1024);
  let firstLine: string;
  try {
    firstLine = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8').split('\n', 1)[0] ?? '';
  } finally {
    closeSync(fd);
  }
  if (!firstLine.includes(LINE_COLUMN) || !firstLine.includes(PROBLEM_COLUMN)) return false;
  rmSync(path, { force: true });
  return true;
}

/** `orders.csv` -> `orders.rejects.csv`, beside the input. */
export function rejectsPathFor(file: string): string {
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}.rejects${ext === '' ? '.csv' : ext}`);
}
