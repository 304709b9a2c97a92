import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DunningError } from '../core/errors.js';

/** The three parts of a message template. */
export const PARTS = ['subject', 'text', 'html'] as const;
export type Part = (typeof PARTS)[number];

/** One template in one locale (or the locale-independent fallback, locale ''): its files and sources. */
export interface TemplateVariant {
  name: string;
  locale: string;
  files: Record<Part, string>;
  sources: Record<Part, string>;
}

/** Every template found, by name, then by locale ('' for the fallback that serves any locale). */
export type TemplateTree = Map<string, Map<string, TemplateVariant>>;

/** Partials (shared layout pieces) by locale ('' for all), then by name. */
export type PartialTree = Map<string, Map<string, { file: string; source: string }>>;

/**
 * Reads template folders: `NAME/{subject,text,html}.hbs` and locale variants `NAME/de/…`.
 * A template in a folder listed later replaces the whole template of that name (all locales),
 * so a merchant's `reminder/` is never mixed with the shipped one.
 */
export function readTemplates(dirs: readonly string[]): { templates: TemplateTree; partials: PartialTree } {
  const templates: TemplateTree = new Map();
  const partials: PartialTree = new Map();
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new DunningError(`${dir}: no such templates folder`, { hint: 'fix "templates.dir" in dunning.config.json' });
    for (const entry of subfolders(dir)) {
      if (entry === '_partials') readPartials(join(dir, entry), partials);
      else readTemplate(join(dir, entry), entry, templates);
    }
  }
  return { templates, partials };
}

function readTemplate(dir: string, name: string, into: TemplateTree): void {
  const variants = new Map<string, TemplateVariant>();
  const root = readVariant(dir, name, '');
  if (root) variants.set('', root);
  for (const locale of subfolders(dir)) {
    const variant = readVariant(join(dir, locale), name, locale);
    if (variant) variants.set(locale, variant);
  }
  if (variants.size > 0) into.set(name, variants);
}

function readVariant(dir: string, name: string, locale: string): TemplateVariant | undefined {
  const files = Object.fromEntries(PARTS.map((part) => [part, join(dir, `${part}.hbs`)])) as Record<Part, string>;
  const present = PARTS.filter((part) => existsSync(files[part]));
  if (present.length === 0) return undefined;
  const missing = PARTS.filter((part) => !present.includes(part));
  if (missing.length > 0) {
    throw new DunningError(`${dir}: template "${name}"${locale ? ` (${locale})` : ''} lacks ${missing.map((p) => `${p}.hbs`).join(', ')}`, {
      hint: 'every template folder needs subject.hbs, text.hbs and html.hbs',
    });
  }
  const sources = Object.fromEntries(PARTS.map((part) => [part, readFileSync(files[part], 'utf8')])) as Record<Part, string>;
  return { name, locale, files, sources };
}

function readPartials(dir: string, into: PartialTree): void {
  const add = (folder: string, locale: string): void => {
    const byName = into.get(locale) ?? new Map<string, { file: string; source: string }>();
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.hbs'))) {
      byName.set(file.slice(0, -4), { file: join(folder, file), source: readFileSync(join(folder, file), 'utf8') });
    }
    into.set(locale, byName);
  };
  add(dir, '');
  for (const locale of subfolders(dir)) add(join(dir, locale), locale);
}

function subfolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => !entry.startsWith('.') && statSync(join(dir, entry)).isDirectory())
    .sort();
}
