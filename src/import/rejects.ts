import { closeSync, openSync, writeSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/spreadsheet.js';
import type { Delimiter } from './sniff.js';

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
      writeSync(this.fd, '\ufeff' + this.row([...this.headers, 'dunning: line', 'dunning: problem']));
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
    return stringify([cells.map(neutraliseFormula)], { delimiter: this.delimiter, record_delimiter: 'windows' });
  }
}
