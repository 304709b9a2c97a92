// A cell that starts with one of these runs as a formula in Excel and LibreOffice (CWE-1236, OWASP).
const FORMULA_START = /^[\s]*[=+\-@\t\r\0]/;

/** Makes a cell safe to open in a spreadsheet by prefixing `'` when it would run as a formula. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * Undoes what spreadsheets and our own CSV output add to keep text as text: `="00123"` (Excel's
 * leading-zero trick) becomes `00123`, and `'=…` (our formula guard) loses its `'`.
 */
export function unwrapSpreadsheetText(cell: string): string {
  // Only a cell starting with = or ' can change; this runs for every cell of a million rows.
  const first = cell.charCodeAt(0);
  if (first !== 0x3d && first !== 0x27) return cell;
  const excel = /^="(.*)"$/s.exec(cell);
  if (excel?.[1] !== undefined) return excel[1].replace(/""/g, '"');
  if (cell.startsWith("'") && FORMULA_START.test(cell.slice(1))) return cell.slice(1);
  return cell;
}
