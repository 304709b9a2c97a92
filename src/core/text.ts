import { fail, ok, type Parsed } from './result.js';

// C0/C1 controls and Unicode line breaks could end a mail header early (CWE-93) or show as breaks.
const LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;
const ODD_SPACES = /[\u00a0\u202f\u2007\u2009\u3000]/g;
const CLEAN = /^(?:[^\s\u0000-\u001f\u007f-\u009f\u200b-\u200d\u2028\u2029\u2060\ufeff](?: (?! |$))?)*$/;
const ASCII = /^[\x20-\x7e]*$/;

/**
 * Cleans a free-text cell (name, product) for use in a message and its headers: NFC, no control
 * characters or line breaks, no invisible characters, single spaces. Errors when longer than `maxLength`.
 */
export function cleanText(text: string, maxLength: number): Parsed<string> {
  // Most cells are clean already; checking is far cheaper than rewriting a million of them.
  if (text.length <= maxLength && CLEAN.test(text)) return ok(ASCII.test(text) ? text : text.normalize('NFC'));
  const cleaned = text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(LINE_BREAKING, ' ')
    .replace(ODD_SPACES, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (cleaned.length > maxLength) return fail(`is ${cleaned.length} characters long; at most ${maxLength} are allowed`);
  return ok(cleaned);
}

/** Shows the first characters of a secret token and hides the rest, for logs and dry runs. */
export function maskToken(token: string | null | undefined): string {
  if (token === null || token === undefined || token === '') return '(none)';
  if (token.length <= 6) return '•'.repeat(token.length);
  return `${token.slice(0, 3)}…${token.slice(-2)}`;
}

/** Replaces what looks like a secret (URL credentials, key=value secrets) in a text meant for logs. */
export function maskSecrets(text: string): string {
  return text
    .replace(/(\/\/[^/:@\s]*:)[^@\s]*@/g, '$1***@')
    .replace(/((?:pass(?:word)?|secret|token|apikey|api_key|key)=)[^&\s]+/gi, '$1***');
}

/**
 * A value for a mail header: no CR, LF, other control characters or Unicode line breaks, which
 * could end the header early and start a new one (CWE-93, bad-inputs H1, H6-H9).
 */
export function headerText(value: string): string {
  const cleaned = cleanText(value, Number.MAX_SAFE_INTEGER);
  return cleaned.ok ? cleaned.value : '';
}

/** Longest a quoted value in a message may be before it is cut. */
const QUOTED_MAX = 80;

/**
 * Cuts each quoted value of a message that is longer than ~80 characters, saying its length: an
 * error about a 1 MiB cell names the cell, it does not print it.
 */
export function clipQuoted(message: string): string {
  if (message.length <= QUOTED_MAX) return message;
  return message.replace(/"([^"]{81,})"/g, (_all, value: string) => `"${[...value].slice(0, QUOTED_MAX).join('')}…" (${value.length} characters)`);
}
