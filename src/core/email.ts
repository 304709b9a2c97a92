import { domainToUnicode } from 'node:url';
import { DunningError } from './errors.js';
import { fail, ok, type Parsed } from './result.js';

/** A customer's address as given (for sending) and its key (for matching one person across rows). */
export interface EmailAddress {
  address: string;
  key: string;
}

const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;
const SIMPLE = /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Checks that a cell holds exactly one plain address (`name@example.com`), as the WHATWG and
 * RFC 5321 limits allow. A second address, a display name or a line break is an error, never a
 * second recipient (CWE-93).
 */
export function parseEmail(text: string): Parsed<EmailAddress | null> {
  // The common case, checked in one step: plain ASCII, lower-case domain, within the length limits.
  if (SIMPLE.test(text) && text.length <= 254 && text.indexOf('@') <= 64) return ok({ address: text, key: text.toLowerCase() });
  const s = text.replace(/^[ \t]+|[ \t]+$/g, '');
  if (s === '') return ok(null);
  if (/[\r\n]/.test(s)) return fail(`"${printable(s)}" contains a line break; an address cell must hold one address`);
  if (/[,;]/.test(s)) return fail(`"${s}" holds more than one address; one address per row`);
  if (INVISIBLE.test(s)) return fail(`"${printable(s)}" contains an invisible character; retype the address`);
  if (/[<>]/.test(s)) return fail(`"${s}" has a display name or angle brackets; the column must hold the bare address`);
  if (/^mailto:/i.test(s)) return fail(`"${s}" starts with "mailto:"; give the bare address`);
  if (/\s/.test(s)) return fail(`"${s}" contains a space`);
  const at = s.lastIndexOf('@');
  if (at < 1 || at === s.length - 1) return fail(`"${s}" is not an e-mail address`);
  const local = s.slice(0, at);
  const domain = asciiDomain(s.slice(at + 1));
  if (local.includes('"')) return fail(`"${s}" has a quoted local part, which many mail servers refuse`);
  if (!/^[\x20-\x7e]+$/.test(local)) return fail(`"${s}" has non-ASCII characters before the @, which most mail servers refuse (SMTPUTF8)`);
  if (local.length > 64) return fail(`"${s}" has more than 64 characters before the @`);
  if (local.split('.').some((part) => !ATEXT.test(part))) return fail(`"${s}" is not an e-mail address (dots or characters before the @)`);
  if (domain === undefined) return fail(`"${s}" has an invalid domain`);
  const address = `${local}@${domain}`;
  if (address.length > 254) return fail(`"${s}" is longer than 254 characters`);
  return ok({ address, key: address.toLowerCase() });
}

/** The domain in lower-case ASCII (punycode for international domains), or undefined when invalid. */
function asciiDomain(domain: string): string | undefined {
  if (domain.startsWith('[') || domain.endsWith('.')) return undefined;
  let ascii = domain.toLowerCase();
  if (!/^[\x20-\x7e]*$/.test(domain)) {
    try {
      // WHATWG URL applies IDNA/punycode; it needs no I/O.
      ascii = new URL(`http://${domain}`).hostname;
    } catch {
      return undefined;
    }
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || ascii.length > 253) return undefined;
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return ascii;
}

function printable(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

// Scripts whose letters look like Latin ones: a label that mixes them with Latin is a lookalike.
const LOOKALIKE_SCRIPTS = [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];
const LATIN = /\p{Script=Latin}/u;

/**
 * The domain of an address as its owner would read it, when one of its labels mixes Latin letters
 * with Cyrillic or Greek ones (`exаmple.de` with a Cyrillic "а"): another domain than it seems,
 * from a typo or a forgery. Null for every other address, international ones included.
 */
export function lookalikeDomain(address: string): string | null {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (!domain.includes('xn--')) return null;
  // domainToUnicode is a pure function (IDNA); it reads and writes nothing.
  const readable = domainToUnicode(domain);
  const mixed = readable.split('.').some((label) => LATIN.test(label) && LOOKALIKE_SCRIPTS.some((script) => script.test(label)));
  return mixed ? readable : null;
}

/** An address given for a command-line option (`--email`, `--to`): exactly one, or a DunningError naming the option. */
export function addressOption(flag: string, text: string): EmailAddress {
  const parsed = parseEmail(text);
  if (!parsed.ok) throw new DunningError(`${flag}: ${parsed.error}`);
  if (parsed.value === null) throw new DunningError(`${flag} needs an e-mail address`);
  return parsed.value;
}
