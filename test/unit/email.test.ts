import { describe, expect, it } from 'vitest';
import { lookalikeDomain, parseEmail } from '../../src/core/email.js';

// Every row of /work/shared/reference/bad-inputs.md section 2 (and H3/H4), with the rule we chose.
// The rule: one bare addr-spec per cell in the WHATWG grammar, RFC 5321 lengths, dot-atom local
// part, ASCII local part; international domains become punycode; matching is case-insensitive.

describe('parseEmail: accepted', () => {
  it.each([
    // E1: the + tag stays, never decoded to a space.
    ['E1', 'ben+rechnung@example.com', 'ben+rechnung@example.com', 'ben+rechnung@example.com'],
    // E2: trimmed; the domain lower-cased; the local part keeps its case for sending.
    ['E2', '  Anna.Mueller@Example.DE ', 'Anna.Mueller@example.de', 'anna.mueller@example.de'],
    ['E2 tab', '\tanna@example.de\t', 'anna@example.de', 'anna@example.de'],
    // E4: an IDN domain goes out as punycode.
    ['E4', 'kunde@bücher.example', 'kunde@xn--bcher-kva.example', 'kunde@xn--bcher-kva.example'],
    // E12: a Cyrillic "а" makes another domain; punycode shows it and it never matches the Latin one.
    ['E12', 'anna@exаmple.de', 'anna@xn--exmple-4nf.de', 'anna@xn--exmple-4nf.de'],
    // E13/E14: the longest allowed parts.
    ['E13 64', `${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
    ['E14 63', `anna@${'a'.repeat(63)}.de`, `anna@${'a'.repeat(63)}.de`, `anna@${'a'.repeat(63)}.de`],
    // E17: the same customer twice gets one key.
    ['E17 a', 'Anna@Example.de', 'Anna@example.de', 'anna@example.de'],
    ['E17 b', 'anna@example.de', 'anna@example.de', 'anna@example.de'],
    ['E17 c', 'ANNA@EXAMPLE.DE', 'ANNA@example.de', 'anna@example.de'],
    ['special atext', "o'brien!#$%&*/=?^_`{|}~-x@example.com", "o'brien!#$%&*/=?^_`{|}~-x@example.com", "o'brien!#$%&*/=?^_`{|}~-x@example.com"],
  ])('%s: %j', (_id, text, address, key) => {
    expect(parseEmail(text)).toEqual({ ok: true, value: { address, key } });
  });

  it('reads an empty cell as no address (the row then reports it as missing)', () => {
    expect(parseEmail('')).toEqual({ ok: true, value: null });
    expect(parseEmail('   ')).toEqual({ ok: true, value: null });
  });
});

describe('parseEmail: refused, with a reason', () => {
  it.each([
    // H3/H4 and E11: a second recipient must never come out of one cell (CWE-93).
    ['H3', 'eve@example.com\r\nBcc: victim@evil.test', /contains a line break; an address cell must hold one address/],
    ['H3 LF', 'eve@example.com\nBcc: victim@evil.test', /contains a line break/],
    ['H4', 'eve@example.com, attacker@evil.test', /holds more than one address; one address per row/],
    ['E11 ;', 'anna@example.de; ben@example.com', /holds more than one address/],
    ['E11 ,', 'anna@example.de,ben@example.com', /holds more than one address/],
    // E3: invisible characters.
    ['E3 zwsp', 'anna.mueller@example.de\u200b', /contains an invisible character/],
    ['E3 bom', '\ufeffanna@example.de', /contains an invisible character/],
    ['E3 shy', 'an\u00adna@example.de', /contains an invisible character/],
    // E5: UTF-8 local parts need SMTPUTF8, which most servers lack.
    ['E5', 'jösé@example.com', /non-ASCII characters before the @/],
    // E6: quoted local parts are RFC 5322 but not WHATWG; refused.
    ['E6', '"john..doe"@example.com', /quoted local part/],
    // E7: dot-atom rules.
    ['E7 ..', 'john..doe@example.com', /is not an e-mail address \(dots or characters before the @\)/],
    ['E7 lead', '.john@example.com', /dots or characters before the @/],
    ['E7 trail', 'john.@example.com', /dots or characters before the @/],
    // E8: not addresses at all.
    ['E8 word', 'not-an-email', /is not an e-mail address/],
    ['E8 no local', '@example.com', /is not an e-mail address/],
    ['E8 no domain', 'anna@', /is not an e-mail address/],
    ['E8 no TLD', 'anna@localhost', /has an invalid domain/],
    ['E8 numeric TLD', 'anna@example.123', /has an invalid domain/],
    ['E8 hyphen', 'anna@-example.de', /has an invalid domain/],
    // E9: a name-addr is refused; the column must hold the bare address.
    ['E9', 'Anna Müller <anna@example.de>', /display name or angle brackets/],
    ['E9 brackets', '<anna@example.de>', /display name or angle brackets/],
    // E10
    ['E10', 'mailto:anna@example.de', /starts with "mailto:"/],
    // E13/E14: one character too long.
    ['E13 65', `${'a'.repeat(65)}@example.com`, /more than 64 characters before the @/],
    ['E14 64', `anna@${'a'.repeat(64)}.de`, /has an invalid domain/],
    ['254', `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.de`, /longer than 254 characters|invalid domain/],
    // E15: a trailing dot is refused, consistently.
    ['E15', 'anna@example.de.', /has an invalid domain/],
    // E16: address literals have no place in dunning mail.
    ['E16', 'anna@[192.0.2.1]', /has an invalid domain/],
    ['space', 'anna @example.de', /contains a space/],
  ])('%s: %j', (_id, text, reason) => {
    const parsed = parseEmail(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });

  it('shows control characters escaped in the message, not raw', () => {
    const parsed = parseEmail('eve@example.com\r\nBcc: victim@evil.test');
    expect(!parsed.ok && parsed.error).toContain('eve@example.com\\r\\nBcc');
    expect(!parsed.ok && /[\r\n]/.test(parsed.error)).toBe(false);
  });
});

describe('lookalikeDomain (E12)', () => {
  it.each([
    // A Cyrillic "а" among Latin letters: another domain than it looks.
    ['anna@xn--exmple-4nf.de', 'exаmple.de'],
    // A Greek "ο" (omicron) in "google".
    ['ben@xn--gogle-sce.com', 'goοgle.com'],
    ['anna@example.de', null],
    // International domains in one script are ordinary.
    ['kunde@xn--bcher-kva.example', null],
    ['ivan@xn--e1afmkfd.com', null],
  ])('%s -> %j', (address, readable) => {
    expect(lookalikeDomain(address)).toBe(readable);
  });

  it('reads the address as parseEmail stores it', () => {
    const parsed = parseEmail('anna@exаmple.de');
    expect(parsed.ok && parsed.value !== null && lookalikeDomain(parsed.value.address)).toBe('exаmple.de');
  });
});
