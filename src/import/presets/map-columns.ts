import { DunningError } from '../../core/errors.js';
import { FIELDS, type Field } from '../../core/order-line.js';
import { PRESETS } from './list.js';
import type { Preset } from './preset.js';
import { refusePaymentExport } from './refused.js';

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

/** What the config says beyond the column names: a due date may be made from the order date. */
export interface MappingRules {
  dueAfterDays?: number | undefined;
}

/** Fields an export mapped by the config alone must have (no token: the link may be built from other fields). */
const MAPPED_REQUIRED: readonly Field[] = ['email', 'order_id', 'open_amount', 'due_date'];

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
  rules: MappingRules = {},
): ColumnMapping {
  const normalised = headers.map(normaliseHeader);
  const hasColumns = Object.keys(columns).length > 0;
  const scored = PRESETS.map((preset) => {
    const found = resolve(normalised, preset.headers, columns);
    const own = resolve(normalised, preset.headers, {});
    const signs = preset.signature.filter((h) => normalised.includes(normaliseHeader(h))).length;
    return { preset, found, own, required: requiredOf(preset.required, found, preset.dueAfterDays ?? rules.dueAfterDays), score: found.size + 3 * signs };
  });
  let choice: (typeof scored)[number] | undefined;
  let chosenBy: ColumnMapping['chosenBy'] = 'option';
  if (presetName !== 'auto') {
    choice = scored.find((s) => s.preset.name === presetName);
  } else {
    chosenBy = 'header row';
    refusePaymentExport(file, normalised);
    // A file whose required columns come mostly from the config is not that platform's export:
    // taking it for one would make it a snapshot of the wrong source and close that source's cases.
    const complete = scored.filter((s) => s.required.every((f) => s.found.has(f)) && s.required.filter((f) => s.own.has(f)).length * 2 > s.required.length);
    choice = complete.sort((a, b) => b.score - a.score)[0];
    if (choice === undefined && hasColumns) {
      const fromConfig = resolve(normalised, {}, columns);
      if (requiredOf(MAPPED_REQUIRED, fromConfig, rules.dueAfterDays).every((f) => fromConfig.has(f))) {
        checkDuplicates(file, headers, normalised, fromConfig);
        return build('columns', undefined, fromConfig, headers, 'config');
      }
    }
    choice ??= scored.sort((a, b) => b.score - a.score)[0];
  }
  if (choice === undefined) throw new Error('no presets defined');
  const missing = choice.required.filter((f) => !choice.found.has(f));
  if (missing.length > 0) throw missingColumns(file, headers, normalised, choice.preset, missing, columns);
  checkDuplicates(file, headers, normalised, choice.found);
  if (choice.preset.firstHeaderWins !== true) checkSynonyms(file, headers, normalised, choice.preset, columns);
  return build(choice.preset.name, choice.preset, choice.found, headers, chosenBy);
}

/** The required fields, less the due date when one can be made from the order date the file has. */
function requiredOf(required: readonly Field[], found: Map<Field, number>, dueAfterDays: number | undefined): readonly Field[] {
  if (dueAfterDays === undefined || !found.has('order_date')) return required;
  return required.filter((f) => f !== 'due_date');
}

// Headers in German, so that a refusal names the headers in the language of the file's own.
const GERMAN = /[äöüß]|vorname|nachname|bestell|betrag|produkt|sprache|^land$|fällig|e-mail/i;

/**
 * The "missing columns" refusal: each missing field with the header the closest preset expected,
 * and in the details every header that would have matched, in the language of the file's headers.
 */
function missingColumns(file: string, headers: readonly string[], normalised: readonly string[], preset: Preset, missing: readonly Field[], columns: Partial<Record<Field, string>>): DunningError {
  const german = normalised.length === 0 || normalised.some((h) => GERMAN.test(h));
  const alternatives = (field: Field): readonly string[] => {
    const all = preset.headers[field] ?? [field];
    const inLanguage = all.filter((h) => GERMAN.test(h) === german);
    return inLanguage.length > 0 ? inLanguage : all;
  };
  const names = missing.map((f) => (columns[f] ? `"${columns[f]}" (${f}, from the config)` : `"${alternatives(f)[0] ?? f}" (${f})`));
  const matches = headers.length === 0 ? [] : missing.filter((f) => !columns[f] && alternatives(f).length > 1).map((f) => `${f}: ${alternatives(f).map((h) => `"${h}"`).join(' or ')} would match (${preset.name})`);
  return new DunningError(`${file}: not an export dunning can read: missing column${missing.length > 1 ? 's' : ''} ${names.join(', ')}`, {
    details: [`headers found: ${headers.map((h) => `"${h}"`).join(', ') || '(none)'}`, ...matches],
    hint: `pass --preset ${PRESETS.map((p) => p.name).join('|')}, or map your headers in dunning.config.json under "import.columns" (field -> header)`,
  });
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
