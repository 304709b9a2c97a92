import { stringify } from 'csv-stringify/sync';
import type { PromoRow } from '../app/promo.js';
import { neutraliseFormula } from '../core/spreadsheet.js';
import { PRIVATE_FILE } from './export.js';
import type { Terminal } from './terminal.js';
import { writeFileWhole } from './write-whole.js';

/** Prints the code holders as CSV on stdout, or writes them to `file` and says so on stderr. */
export async function printPromoHolders(terminal: Terminal, rows: readonly PromoRow[], file: string | undefined): Promise<void> {
  const csv = promoCsv(rows);
  if (file === undefined) {
    if (terminal.json) terminal.document({ codes: rows.map(promoJson) });
    else terminal.out(csv.trimEnd());
    return;
  }
  // It holds who got which code: readable by its owner only, like the export (issue 21).
  await writeFileWhole(file, (write) => write(csv), PRIVATE_FILE);
  if (terminal.json) terminal.document({ file, codes: rows.length });
  terminal.warn(`Wrote ${rows.length} code${rows.length === 1 ? '' : 's'} to ${file}`);
}

function promoJson(r: PromoRow): Record<string, unknown> {
  return { email: r.email, code: r.code, stage: r.stage, status: r.status, expires: r.expiresLocal, expiresAt: r.expiresAt, issuedAt: r.issuedAt, paid: r.paid };
}

/** The code holders as CSV, cells a spreadsheet would run as formulas neutralised (CWE-1236). */
function promoCsv(rows: readonly PromoRow[]): string {
  const header = ['email', 'code', 'stage', 'status', 'expires', 'expires_at', 'issued_at', 'paid'];
  const body = rows.map((r) => [r.email, r.code, r.stage, r.status, r.expiresLocal, r.expiresAt, r.issuedAt, r.paid ? 'yes' : 'no'].map(neutraliseFormula));
  return stringify([header, ...body]);
}
