import { fail, ok, type Parsed } from './result.js';
import { tokenProblem } from './token.js';

/** Values a manage-link pattern may use: `{token}` and the case's other fields. */
export type LinkFields = Readonly<Record<string, string>>;

// `{token}`, `{order_id}`, ... and `{field:Header}` for any of the case's extra columns (issue 18).
const PLACEHOLDER = /\{([a-z_]+|field:[^{}]+)\}/g;

/** Placeholders a manage-link pattern may contain. */
export const LINK_PLACEHOLDERS = ['token', 'order_id', 'email', 'source', 'due_date', 'seller'] as const;

/**
 * Builds a customer's manage/pay link from the pattern, URL-encoding every value, from this
 * case's own fields only (a link is never built from another customer's token).
 */
export function buildManageLink(pattern: string, fields: LinkFields, extra: Readonly<Record<string, string>> = {}): Parsed<string> {
  let missing: string | undefined;
  const link = pattern.replace(PLACEHOLDER, (_match, name: string) => {
    const value = name.startsWith('field:') ? extra[name.slice(6)] : fields[name];
    if (value === undefined || value === '') {
      missing ??= name;
      return '';
    }
    return encodeURIComponent(value);
  });
  if (missing !== undefined) return fail(`the manage link needs {${missing}}, which this case does not have`);
  return ok(link);
}

// Platforms whose manage link is known: a preset brings its own pattern.
const PRESET_LINKS: Readonly<Record<string, string>> = {
  elopage: 'https://elopage.com/s/{seller}/payment/{token}/manage',
};

/** The manage-link pattern for a source: the configured one, else the platform's own. */
export function linkPatternFor(configured: string | undefined, source: string): string | undefined {
  return configured ?? PRESET_LINKS[source];
}

/** Why a link pattern cannot be used for real customers, or null when it can. */
export function linkPatternProblem(pattern: string | undefined): string | null {
  if (pattern === undefined) return 'no "manageLink" is configured';
  const known: readonly string[] = LINK_PLACEHOLDERS;
  const unknown = [...pattern.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').find((name) => !known.includes(name) && !name.startsWith('field:'));
  if (unknown !== undefined) return `"manageLink" uses {${unknown}}, which is not a field (use ${LINK_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} or {field:HEADER})`;
  if ([...pattern.matchAll(PLACEHOLDER)].length === 0) return '"manageLink" has no placeholder: every customer would get the same link (use {token}, {order_id} or {field:HEADER})';
  if (!/^https?:\/\/[^/{}\s]+/i.test(pattern)) return '"manageLink" must start with https:// and a host name';
  if (/\/\/(www\.)?example\.(com|org|net)\b|YOUR-/i.test(pattern)) return '"manageLink" is still the placeholder from "dunning init"';
  return null;
}

/**
 * True when a case needs a token for its link: the pattern has `{token}` (elopage's own has). A
 * pattern built from the order ID or another column needs none (issue 18).
 */
export function linkNeedsToken(manageLink: string | undefined): boolean {
  return manageLink === undefined || manageLink.includes('{token}');
}

/** True when the export gave the case its own pay link. */
export function hasPayLink(c: { payLink?: string | null | undefined }): boolean {
  return c.payLink !== undefined && c.payLink !== null && c.payLink !== '';
}

/** The note `status` and `send --dry-run` give once when the configured link has no secret in it. */
export function noSecretNote(manageLink: string | undefined): string | null {
  if (linkNeedsToken(manageLink)) return null;
  return 'the "manageLink" pattern carries no secret (no {token}): anyone who knows an order number can open that page, so it must ask the customer to log in';
}

/** The fields of a case its manage link is built from. */
export interface LinkCase {
  token: string | null;
  orderId: string;
  source: string;
  dueDate: string;
  /** The export's other columns, for `{field:Header}`. */
  extra: Readonly<Record<string, string>>;
  /** The order's own pay page from the export: the link as it is, before any pattern. */
  payLink?: string | null | undefined;
}

/** A case's manage link, or which of its parts is missing: the token, the pattern, or a field the pattern needs. */
export type ManageLink = { ok: true; value: string } | { ok: false; missing: 'token' | 'pattern' | 'field'; error: string };

/**
 * A case's own manage link, built only from its own usable token (never another customer's): the
 * one rule for messages, previews and exports.
 */
export function manageLinkOf(c: LinkCase, email: string, settings: { manageLink?: string | undefined; seller?: string | undefined }, tokenPattern: RegExp | undefined): ManageLink {
  // The export's own URL of this order's pay page (checked to be https:// when imported), never another row's.
  if (c.payLink !== undefined && c.payLink !== null && c.payLink !== '') return { ok: true, value: c.payLink };
  const pattern = linkPatternFor(settings.manageLink, c.source);
  const problem = pattern === undefined || pattern.includes('{token}') ? tokenProblem(c.token, tokenPattern) : null;
  if (problem !== null) return { ok: false, missing: 'token', error: problem };
  if (pattern === undefined) return { ok: false, missing: 'pattern', error: '"manageLink" is not configured' };
  const link = buildManageLink(pattern, { token: c.token ?? '', order_id: c.orderId, email, source: c.source, due_date: c.dueDate, seller: settings.seller ?? '' }, c.extra);
  return link.ok ? link : { ok: false, missing: 'field', error: link.error };
}
