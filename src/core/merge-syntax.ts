import { fail, ok, type Parsed } from './result.js';

/** How a newsletter tool writes a placeholder for one field. */
export interface MergeSyntax {
  tool: string;
  /** The placeholder for a field of the merge-field CSV (e.g. first_name). */
  placeholder: (field: string, mailchimpTag: string | undefined) => string;
}

// Standard contact fields that tools name their own way; other columns are custom fields.
const STANDARD: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  activecampaign: { first_name: 'FIRSTNAME', last_name: 'LASTNAME', email: 'EMAIL' },
  brevo: { first_name: 'FIRSTNAME', last_name: 'LASTNAME', email: 'EMAIL' },
  getresponse: { first_name: 'firstname', last_name: 'lastname', email: 'email', full_name: 'name' },
};

const TOOLS: readonly MergeSyntax[] = [
  { tool: 'mailchimp', placeholder: (field, tag) => `*|${tag ?? field.toUpperCase().replace(/_/g, '').slice(0, 10)}|*` },
  { tool: 'mailjet', placeholder: (field) => `{{var:${field}:""}}` },
  { tool: 'activecampaign', placeholder: (field) => `%${STANDARD.activecampaign?.[field] ?? field.toUpperCase()}%` },
  { tool: 'brevo', placeholder: (field) => `{{ contact.${STANDARD.brevo?.[field] ?? field.toUpperCase()} }}` },
  { tool: 'getresponse', placeholder: (field) => `[[${STANDARD.getresponse?.[field] ?? field}]]` },
];

/** The tools `--merge-syntax` knows by name. */
const MERGE_SYNTAX_TOOLS = TOOLS.map((t) => t.tool);

/**
 * The placeholder style of a tool by name, or of a pattern the merchant gives with NAME (upper-case
 * field) or name (as in the CSV header) where the field goes: `%NAME%`, `((NAME))`, `{{name}}`.
 */
export function mergeSyntax(toolOrPattern: string): Parsed<MergeSyntax> {
  const known = TOOLS.find((t) => t.tool === toolOrPattern.toLowerCase());
  if (known) return ok(known);
  if (toolOrPattern.includes('NAME')) return ok({ tool: toolOrPattern, placeholder: (field) => toolOrPattern.replace('NAME', field.toUpperCase()) });
  if (toolOrPattern.includes('name')) return ok({ tool: toolOrPattern, placeholder: (field) => toolOrPattern.replace('name', field) });
  return fail(`"${toolOrPattern}" is neither a tool dunning knows (${MERGE_SYNTAX_TOOLS.join(', ')}) nor a pattern with NAME in it, such as "%NAME%" or "((NAME))"`);
}
