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

/** One order of an elopage-style export, as a test names it; what is left out gets a plausible value. */
export interface OrderRow {
  email: string;
  first?: string;
  last?: string;
  order: string;
  product?: string;
  /** As the export writes it, e.g. "49,00". */
  open: string;
  paid?: string;
  /** DD.MM.YYYY */
  due: string;
  token?: string;
}

/** The export's cells for an order, the token made from the order ID unless given. */
export function csvRow(r: OrderRow): ExportRow {
  return {
    email: r.email, first: r.first ?? 'Anna', last: r.last ?? 'Müller', order: r.order, product: r.product ?? 'Online-Kurs',
    open: r.open, paid: r.paid ?? '0,00', due: r.due, token: r.token ?? `tk_${r.order.padStart(16, '0')}`,
  };
}

/** Customers of a typical morning (Berlin, 2026-11-23): three overdue, one with two orders, one not yet due. */
export const MORNING: readonly OrderRow[] = [
  { email: 'anna.mueller@example.de', first: 'Anna', last: 'Müller', order: '4711', open: '49,00', due: '22.11.2026' },
  { email: 'Anna.Mueller@example.de', first: 'Anna', last: 'Müller', order: '4720', open: '19,90', due: '21.11.2026' },
  { email: 'ben.schaefer@example.de', first: 'Ben', last: 'Schäfer', order: '4712', open: '1.234,56', due: '20.11.2026' },
  { email: 'clara.weiss@example.de', first: 'Clara', last: 'Weiß', order: '4713', open: '299,00', due: '16.11.2026' },
  { email: 'noah.fischer@example.de', first: 'Noah', last: 'Fischer', order: '4719', open: '2.499,00', due: '23.11.2026' },
];
