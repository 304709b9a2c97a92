/**
 * One-click unsubscribe (RFC 2369, RFC 8058) for messages with an offer (issue 23): Gmail and Yahoo
 * require it of bulk senders, and a plain payment reminder is transactional and carries none
 * unless `unsubscribe.stages` is "all".
 */

/** `unsubscribe` as the config gives it. */
export interface UnsubscribeSettings {
  url?: string | undefined;
  mailto?: string | undefined;
  stages: 'promo' | 'all';
}

/** What of a message decides its unsubscribe headers: whether it carries an offer, and the customer's own fields. */
export interface UnsubscribeFields {
  hasOffer: boolean;
  email: string;
  /** The customer's first case's token and order (their own, never another customer's). */
  token: string | null;
  orderId: string;
}

/** Placeholders the unsubscribe URL may use. */
export const UNSUBSCRIBE_PLACEHOLDERS = ['token', 'email', 'order_id'] as const;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** Why an unsubscribe URL pattern cannot be used, or null. */
export function unsubscribeUrlProblem(url: string): string | null {
  if (!/^https?:\/\/[^/{}\s]+/i.test(url)) return 'must start with https:// (or http://) and a host name';
  const known: readonly string[] = UNSUBSCRIBE_PLACEHOLDERS;
  const unknown = [...url.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').find((name) => !known.includes(name));
  if (unknown !== undefined) return `uses {${unknown}}, which is not a field (use ${UNSUBSCRIBE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`;
  if (/[\s<>,]/.test(url)) return 'must not contain spaces, "<", ">" or ","';
  return null;
}

/**
 * The List-Unsubscribe headers of a message, or none. Both forms when both are configured; the
 * One-Click POST header only with an https URL (RFC 8058 section 3.1). A URL whose placeholder this
 * customer cannot fill (no token) falls back to the mailto form alone.
 */
export function unsubscribeHeaders(settings: UnsubscribeSettings | undefined, fields: UnsubscribeFields): Record<string, string> {
  if (settings === undefined) return {};
  if (settings.stages === 'promo' && !fields.hasOffer) return {};
  const url = settings.url === undefined ? undefined : fillUrl(settings.url, fields);
  const targets: string[] = [];
  if (url !== undefined) targets.push(`<${url}>`);
  if (settings.mailto !== undefined) targets.push(`<mailto:${settings.mailto}?subject=unsubscribe>`);
  if (targets.length === 0) return {};
  const headers: Record<string, string> = { 'List-Unsubscribe': targets.join(', ') };
  if (url !== undefined && url.toLowerCase().startsWith('https://')) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return headers;
}

function fillUrl(pattern: string, fields: UnsubscribeFields): string | undefined {
  const values: Readonly<Record<string, string>> = { token: fields.token ?? '', email: fields.email, order_id: fields.orderId };
  let missing = false;
  const url = pattern.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name] ?? '';
    if (value === '') missing = true;
    return encodeURIComponent(value);
  });
  return missing ? undefined : url;
}
