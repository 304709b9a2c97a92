import { DunningError } from '../core/errors.js';
import { mergeSyntax, type MergeSyntax } from '../core/merge-syntax.js';
import type { AppConfig } from './plan.js';

// The reminder a merchant pastes into another tool; the fields are the columns of the merge-field CSV.
const SNIPPETS: Readonly<Record<'de' | 'en', string>> = {
  de: `Betreff: Zahlungserinnerung: {open_amount} offen

Guten Tag {first_name} {last_name},

für Ihre Bestellung {order_ids} sind noch {open_amount} offen (fällig seit {due_date}).
Hier können Sie bezahlen oder Ihre Zahlungsart ändern:
{manage_link}
{more_links}
{promo}Freundliche Grüße
{company}`,
  en: `Subject: Payment reminder: {open_amount} open

Dear {first_name} {last_name},

{open_amount} is still open for your order {order_ids} (due since {due_date}).
You can pay or change your payment method here:
{manage_link}
{more_links}
{promo}Kind regards,
{company}`,
};

const PROMO: Readonly<Record<'de' | 'en', string>> = {
  de: 'Mit dem Code {promo_code} erhalten Sie {promo_discount} Nachlass, gültig bis {promo_expires}.\n\n',
  en: 'The code {promo_code} gives you {promo_discount} off, valid until {promo_expires}.\n\n',
};

/**
 * A reminder text in a tool's placeholder style, ready to paste into its editor. `mergeTag` names a
 * field's Mailchimp merge tag (the mailchimp channel's own list of them).
 */
function mergeSnippet(syntax: MergeSyntax, locale: string, withPromo: boolean, mergeTag: (field: string) => string | undefined): string {
  const lang = locale.startsWith('de') ? 'de' : 'en';
  const text = SNIPPETS[lang].replace('{promo}', withPromo ? PROMO[lang] : '').replace('{more_links}', moreLinks(lang, syntax, mergeTag));
  return text.replace(/\{([a-z0-9_]+)\}/g, (_m, field: string) => syntax.placeholder(field, mergeTag(field)));
}

/**
 * Every further order's own link (issue 21): Mailchimp's MANAGELNK2, MANAGELNK3, ... (empty when a
 * customer has fewer orders), or for a CSV import the `manage_links` column, which holds every link.
 */
function moreLinks(lang: 'de' | 'en', syntax: MergeSyntax, mergeTag: (field: string) => string | undefined): string {
  const tags: string[] = [];
  for (let n = 2; mergeTag(`manage_link_${n}`) !== undefined; n++) tags.push(`{manage_link_${n}}`);
  if (syntax.tool === 'mailchimp' && tags.length > 0) return `${tags.join('\n')}\n`;
  return lang === 'de' ? 'Bei mehreren Bestellungen, jede mit ihrem Link:\n{manage_links}\n' : 'With several orders, each with its own link:\n{manage_links}\n';
}

/**
 * `export --merge-syntax TOOL`: the reminder snippet in a tool's placeholder style (a tool's name,
 * or a pattern such as `%NAME%`), with the promo sentence when a stage hands out codes.
 */
export function snippetFor(tool: string, config: AppConfig, mergeTag: (field: string) => string | undefined): { tool: string; text: string } {
  const syntax = mergeSyntax(tool);
  if (!syntax.ok) throw new DunningError(`--merge-syntax: ${syntax.error}`);
  const withPromo = config.sequence.stages.some((s) => s.promo !== undefined);
  return { tool: syntax.value.tool, text: mergeSnippet(syntax.value, config.locale, withPromo, mergeTag) };
}
