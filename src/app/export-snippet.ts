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

{promo}Freundliche Grüße
{company}`,
  en: `Subject: Payment reminder: {open_amount} open

Dear {first_name} {last_name},

{open_amount} is still open for your order {order_ids} (due since {due_date}).
You can pay or change your payment method here:
{manage_link}

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
  const text = SNIPPETS[lang].replace('{promo}', withPromo ? PROMO[lang] : '');
  return text.replace(/\{([a-z_]+)\}/g, (_m, field: string) => syntax.placeholder(field, mergeTag(field)));
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
