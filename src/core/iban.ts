/** IBANs: the shape and the mod-97 check digits of ISO 13616, so a mistyped account never reaches a customer. */

/** The IBAN without spaces, upper-cased, as banks compare it. */
export function compactIban(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** Why an IBAN cannot be right, or null when its shape and check digits hold. */
export function ibanProblem(text: string): string | null {
  const iban = compactIban(text);
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) {
    return 'is not an IBAN (two letters for the country, two check digits, then 11 to 30 letters and digits)';
  }
  // ISO 13616: move the first four characters to the end, letters become 10..35, the number mod 97 is 1.
  const digits = [...`${iban.slice(4)}${iban.slice(0, 4)}`].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  let remainder = 0;
  for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1 ? null : 'has wrong check digits (mod 97): a character is mistyped';
}

/** The IBAN in groups of four, as it is printed on letters and invoices. */
export function printedIban(text: string): string {
  return compactIban(text).replace(/(.{4})(?=.)/g, '$1 ');
}
