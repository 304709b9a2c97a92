import { fail, ok, type Parsed } from './result.js';

/** The cells of an export row that identify an order and its link, checked as text (order-line.ts uses them). */

const MAX_ID = 200;
const MAX_TOKEN = 2000;

/** An order ID: any text without control characters, at most MAX_ID characters; empty is null. */
export function parseIdentifier(text: string): Parsed<string | null> {
  const s = text.trim();
  if (s === '') return ok(null);
  if (/[\u0000-\u001f\u007f]/.test(s)) return fail(`"${JSON.stringify(s).slice(1, -1)}" contains a control character or line break`);
  if (s.length > MAX_ID) return fail(`is longer than ${MAX_ID} characters`);
  return ok(s);
}

/** A pay link must be a whole https:// URL with a host, no spaces or control characters: it goes into a message as it is. */
export function parsePayLink(text: string): Parsed<string | null> {
  const s = text.trim();
  if (s === '') return ok(null);
  if (s.length > MAX_TOKEN) return fail(`is longer than ${MAX_TOKEN} characters`);
  if (!/^https:\/\/[a-z0-9.-]+(?::\d+)?(?:[/?#][^\s\u0000-\u001f\u007f]*)?$/i.test(s)) return fail(`"${s.slice(0, 80)}" is not an https:// link`);
  return ok(s);
}

/** A token: any text of at most MAX_TOKEN characters; empty is null. */
export function parseToken(text: string): Parsed<string | null> {
  const s = text.trim();
  if (s === '') return ok(null);
  if (s.length > MAX_TOKEN) return fail(`is longer than ${MAX_TOKEN} characters`);
  return ok(s);
}
