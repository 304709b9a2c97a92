import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from '../core/spreadsheet.js';

/** A code holder as the export lists them. */
export interface PromoRow {
  email: string;
  code: string;
  stage: string;
  issuedAt: string;
  expiresAt: string;
  expiresLocal: string;
  status: 'active' | 'expired';
}

/** The code holders as CSV, cells a spreadsheet would run as formulas neutralised (CWE-1236). */
export function promoCsv(rows: readonly PromoRow[]): string {
  const header = ['email', 'code', 'stage', 'status', 'expires', 'expires_at', 'issued_at'];
  const body = rows.map((r) => [r.email, r.code, r.stage, r.status, r.expiresLocal, r.expiresAt, r.issuedAt].map(neutraliseFormula));
  return stringify([header, ...body]);
}
