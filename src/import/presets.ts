import type { PresetName } from '../config/schema.js';
import { DunningError } from '../core/errors.js';
import { FIELDS, REQUIRED_FIELDS, type Field } from '../core/order-line.js';
import type { NumberFormat } from '../core/money.js';
import type { DateOrder } from '../core/dates.js';

/** A known export layout: which headers mean which field, and how the platform writes values. */
export interface Preset {
  name: PresetName;
  /** Header names per field; the first is the one shown in messages. */
  headers: Partial<Record<Field, readonly string[]>>;
  /** The export lists every pending order, so a missing case has been paid. */
  snapshot: boolean;
  numberFormat?: NumberFormat;
  dateOrder?: DateOrder;
}

export const PRESETS: readonly Preset[] = [
  {
    name: 'elopage',
    snapshot: true,
    headers: {
      email: ['E-Mail', 'Email', 'E-Mail-Adresse', 'Email address'],
      first_name: ['Vorname', 'First name'],
      last_name: ['Nachname', 'Last name'],
      name: ['Name', 'Full name'],
      order_id: ['Bestell-ID', 'Order ID', 'Bestellnummer', 'Order number'],
      product: ['Produktname', 'Product name', 'Produkt', 'Product'],
      open_amount: ['Offener Betrag', 'Open amount', 'Outstanding amount'],
      paid_amount: ['Bezahlter Betrag', 'Paid amount'],
      due_date: ['Fälligkeitsdatum', 'Due date', 'Fällig am'],
      token: ['Token'],
      currency: ['Währung', 'Currency'],
      locale: ['Sprache', 'Language', 'Land', 'Country'],
    },
  },
  {
    name: 'generic',
    snapshot: false,
    headers: Object.fromEntries(FIELDS.map((field) => [field, [field]])),
  },
];

/** How each field of one file is found: the column index and the header as the file wrote it. */
export interface ColumnMapping {
  /** The preset used, or "columns" for a mapping from the config alone. */
  name: string;
  preset: Preset | undefined;
  fields: Map<Field, { index: number; header: string }>;
  /** Columns that map to no field, kept for templates as `extra`. */
  extra: { index: number; header: string }[];
  /** How the preset was chosen, for the message that says so. */
  chosenBy: 'option' | 'header row' | 'config';
}

/** Normalises a header for matching: no BOM, no surrounding or doubled spaces, any case. */
export function normaliseHeader(header: string): string {
  return header.replace(/^\ufeff/, '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Decides which column is which field: from --preset, else from the header row, with the
 * config's "columns" mapping laid over it. Missing required columns are an error naming them.
 */
export function mapColumns(
  file: string,
  headers: readonly string[],
  presetName: 'auto' | Preset['name'],
  columns: Partial<Record<Field, string>>,
): ColumnMapping {
  const normalised = headers.map(normaliseHeader);
  const hasColumns = Object.keys(columns).length > 0;
  const scored = PRESETS.map((preset) => ({ preset, found: resolve(normalised, preset.headers, columns), own: resolve(normalised, preset.headers, {}) }));
  let choice: (typeof scored)[number] | undefined;
  let chosenBy: ColumnMapping['chosenBy'] = 'option';
  if (presetName !== 'auto') {
    choice = scored.find((s) => s.preset.name === presetName);
  } else {
    chosenBy = 'header row';
    // A file whose required columns come mostly from the config is not that platform's export:
    // taking it for one would make it a snapshot of the wrong source and close that source's cases.
    const complete = scored.filter((s) => REQUIRED_FIELDS.every((f) => s.found.has(f)) && ownRequired(s.own) * 2 > REQUIRED_FIELDS.length);
    choice = complete.sort((a, b) => b.found.size - a.found.size)[0];
    if (choice === undefined && hasColumns) {
      const fromConfig = resolve(normalised, {}, columns);
      if (REQUIRED_FIELDS.every((f) => fromConfig.has(f))) {
        checkDuplicates(file, headers, normalised, fromConfig);
        return build('columns', undefined, fromConfig, headers, 'config');
      }
    }
    choice ??= scored.sort((a, b) => b.found.size - a.found.size)[0];
  }
  if (choice === undefined) throw new Error('no presets defined');
  const missing = REQUIRED_FIELDS.filter((f) => !choice.found.has(f));
  if (missing.length > 0) {
    const names = missing.map((f) => (columns[f] ? `"${columns[f]}" (${f}, from the config)` : `"${choice.preset.headers[f]?.[0] ?? f}" (${f})`));
    throw new DunningError(`${file}: not an export dunning can read: missing column${missing.length > 1 ? 's' : ''} ${names.join(', ')}`, {
      details: [`headers found: ${headers.map((h) => `"${h}"`).join(', ') || '(none)'}`],
      hint: 'pass --preset elopage|generic, or map your headers in dunning.config.json under "import.columns" (field -> header)',
    });
  }
  checkDuplicates(file, headers, normalised, choice.found);
  checkSynonyms(file, headers, normalised, choice.preset, columns);
  return build(choice.preset.name, choice.preset, choice.found, headers, chosenBy);
}

function ownRequired(own: Map<Field, number>): number {
  return REQUIRED_FIELDS.filter((f) => own.has(f)).length;
}

function resolve(
  normalised: readonly string[],
  presetHeaders: Preset['headers'],
  columns: Partial<Record<Field, string>>,
): Map<Field, number> {
  const found = new Map<Field, number>();
  for (const field of FIELDS) {
    const wanted = columns[field] !== undefined ? [columns[field]] : (presetHeaders[field] ?? []);
    for (const name of wanted) {
      const index = normalised.indexOf(normaliseHeader(name));
      if (index >= 0) {
        found.set(field, index);
        break;
      }
    }
  }
  return found;
}

function build(
  name: string,
  preset: Preset | undefined,
  found: Map<Field, number>,
  headers: readonly string[],
  chosenBy: ColumnMapping['chosenBy'],
): ColumnMapping {
  const fields = new Map<Field, { index: number; header: string }>();
  const used = new Set<number>();
  for (const [field, index] of found) {
    fields.set(field, { index, header: (headers[index] ?? field).replace(/^\ufeff/, '') });
    used.add(index);
  }
  const names = new Set<string>();
  const extra: ColumnMapping['extra'] = [];
  headers.forEach((raw, index) => {
    const header = raw.replace(/^\ufeff/, '').trim();
    if (used.has(index) || header === '') return;
    let name = header;
    for (let n = 2; names.has(name); n++) name = `${header} (${n})`;
    names.add(name);
    extra.push({ index, header: name });
  });
  return { name, preset, fields, extra, chosenBy };
}

/** Two columns that both name one field (E-Mail and Email): dunning would silently pick one, so refuse. */
function checkSynonyms(file: string, headers: readonly string[], normalised: readonly string[], preset: Preset, columns: Partial<Record<Field, string>>): void {
  for (const field of FIELDS) {
    if (columns[field] !== undefined) continue;
    const present = (preset.headers[field] ?? []).map(normaliseHeader).flatMap((name) => {
      const index = normalised.indexOf(name);
      return index >= 0 ? [headers[index] ?? name] : [];
    });
    if (present.length > 1) {
      throw new DunningError(`${file}: the columns ${present.map((h) => `"${h.replace(/^\ufeff/, '')}"`).join(' and ')} both stand for ${field}`, {
        hint: `remove one, or say which one in dunning.config.json: "import": { "columns": { "${field}": "…" } }`,
      });
    }
  }
}

/** A mapped header that appears twice could be read from the wrong column: refuse it. */
function checkDuplicates(file: string, headers: readonly string[], normalised: readonly string[], found: Map<Field, number>): void {
  for (const index of found.values()) {
    const other = normalised.findIndex((header, i) => i !== index && header === normalised[index]);
    if (other >= 0) {
      throw new DunningError(
        `${file}: the header "${headers[index] ?? ''}" appears twice (columns ${Math.min(index, other) + 1} and ${Math.max(index, other) + 1})`,
        { hint: 'rename or remove one of them, so dunning cannot read the wrong one' },
      );
    }
  }
}
