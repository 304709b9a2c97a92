import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { parseEmail } from '../core/email.js';

/** One address of a list, with the line it was on. */
export interface ListedAddress {
  address: string;
  key: string;
  line: number;
}

/** What a list of addresses held: the addresses, and every line that is not one (file:line: reason). */
export interface AddressList {
  addresses: ListedAddress[];
  problems: string[];
  /** The column the addresses were read from, for a CSV; null for one address per line. */
  column: string | null;
}

/** Headers of an e-mail column, as shops and newsletter tools name it in their exports. */
const EMAIL_HEADER = /^(e-?mail|e-?mail[ -_]?addres+e?|email_address|mail|e-mail-adresse|emailadresse|address|adresse)$/i;

/**
 * Reads a list of addresses (issue 23, `suppress import`): one per line, or a CSV (`,`, `;` or
 * tab) with an e-mail column named in its header, e.g. the shop's unsubscribe export. UTF-8 with or
 * without BOM, else Windows-1252. Every line that holds no usable address is a problem; none is
 * skipped silently.
 */
export function readAddressList(path: string, shown: string): AddressList {
  const bytes = readFileSync(path);
  const text = decode(bytes).replace(/^\ufeff/, '');
  // The header line decides the delimiter: a plain list of addresses has none.
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', ',', '\t'].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0];
  const rows = delimiter !== undefined && delimiter.n > 1 ? Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: delimiter.d }).data : text.split(/\r?\n/).map((line) => [line]);
  const header = rows[0] ?? [];
  const columnIndex = header.length > 1 || EMAIL_HEADER.test((header[0] ?? '').trim()) ? header.findIndex((h) => EMAIL_HEADER.test(h.trim())) : -1;
  const problems: string[] = [];
  if (header.length > 1 && columnIndex < 0) {
    problems.push(`${shown}:1: no e-mail column among ${header.map((h) => `"${h.trim()}"`).join(', ')} (name it "email" or "E-Mail", or give one address per line)`);
    return { addresses: [], problems, column: null };
  }
  const addresses: ListedAddress[] = [];
  const first = columnIndex >= 0 ? 1 : 0;
  rows.slice(first).forEach((cells, i) => {
    const line = i + first + 1;
    const cell = (columnIndex >= 0 ? cells[columnIndex] : cells.length === 1 ? cells[0] : cells.join(',')) ?? '';
    if (cells.every((c) => c.trim() === '')) return;
    const email = parseEmail(cell.trim());
    if (!email.ok) problems.push(`${shown}:${line}${columnIndex >= 0 ? `: column "${(header[columnIndex] ?? '').trim()}"` : ''}: ${email.error}`);
    else if (email.value === null) problems.push(`${shown}:${line}: no address`);
    else addresses.push({ ...email.value, line });
  });
  if (addresses.length === 0 && problems.length === 0) problems.push(`${shown}: holds no address`);
  return { addresses, problems, column: columnIndex >= 0 ? (header[columnIndex] ?? '').trim() : null };
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
