import { stringify } from 'csv-stringify/sync';
import type { PromoRow } from '../app/promo.js';
import { neutraliseFormula } from '../core/spreadsheet.js';
import type { Terminal } from './terminal.js';
import { writeTextWhole } from './write-whole.js';

/** Prints the code holders as CSV on stdout, or writes them to `file` and says so on stderr. */
export function printPromoHolders(terminal: Terminal, rows: readonly PromoRow[], file: string | undefined): void {
  const csv = promoCsv(rows);
  if (file === undefined) {
    terminal.out(csv.trimEnd());
    return;
  }
  writeTextWhole(file, csv);
  terminal.warn(`Wrote ${rows.length} code${rows.length === 1 ? '' : 's'} to ${file}`);
}

/** The code holders as CSV, cells a spreadsheet would run as formulas neutralised (CWE-1236). */
function promoCsv(rows: readonly PromoRow[]): string {
  const header = ['email', 'code', 'stage', 'status', 'expires', 'expires_at', 'issued_at'];
  const body = rows.map((r) => [r.email, r.code, r.stage, r.status, r.expiresLocal, r.expiresAt, r.issuedAt].map(neutraliseFormula));
  return stringify([header, ...body]);
}
