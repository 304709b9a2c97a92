/** The header row of an elopage "Zahlung ausstehend" export, as the examples have it. */
export const ELOPAGE_HEADER = ['E-Mail', 'Vorname', 'Nachname', 'Bestell-ID', 'Produktname', 'Offener Betrag', 'Bezahlter Betrag', 'Fälligkeitsdatum', 'Token'];

/** One row of such an export, cell by cell. */
export interface ExportRow {
  email: string;
  first: string;
  last: string;
  order: string;
  product: string;
  open: string;
  paid: string;
  due: string;
  token: string;
}

/** A good row for order 1000+n, due some days before the e2e clock's today (2026-11-23). */
export function row(n: number, change: Partial<ExportRow> = {}): ExportRow {
  return {
    email: `kunde${n}@example.de`,
    first: 'Anna',
    last: 'Müller',
    order: String(1000 + n),
    product: 'Online-Kurs',
    open: '49,00',
    paid: '0,00',
    due: '20.11.2026',
    token: `tk_${String(n).padStart(16, '0')}`,
    ...change,
  };
}

/** Quotes a cell when it must be (RFC 4180). */
function quote(cell: string, delimiter: string): string {
  return cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** An elopage-style export: header and rows joined with `;` and LF, plus optional extra columns. */
export function elopageCsv(rows: readonly ExportRow[], options: { delimiter?: string; extra?: Record<string, readonly string[]> } = {}): string {
  const delimiter = options.delimiter ?? ';';
  const extraHeaders = Object.keys(options.extra ?? {});
  const header = [...ELOPAGE_HEADER, ...extraHeaders];
  const body = rows.map((r, i) => [
    r.email, r.first, r.last, r.order, r.product, r.open, r.paid, r.due, r.token,
    ...extraHeaders.map((h) => options.extra?.[h]?.[i] ?? ''),
  ]);
  return [header, ...body].map((cells) => cells.map((c) => quote(c, delimiter)).join(delimiter)).join('\n') + '\n';
}

/** Rows 1..n. */
export function rows(count: number, from = 1): ExportRow[] {
  return Array.from({ length: count }, (_, i) => row(from + i));
}

/** The config the e2e tests use: Berlin time, so due dates and "today" are fixed. */
export const TEST_CONFIG = { timeZone: 'Europe/Berlin', locale: 'de', currency: 'EUR', manageLink: 'https://elopage.com/s/test/payment/{token}/manage' };
