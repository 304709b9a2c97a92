/**
 * A customer's name from one column (Shopify's `Billing Name`, Stripe's `Customer Name`), kept
 * whole (issue 18): `customer.fullName` is always the name as the export wrote it, since
 * `fullName` joins first and last name and a split here never drops or reorders a word. The first
 * word becomes the first name, for a greeting such as "Dear Anna", only where that is safe: a
 * name written family name first ("Müller, Anna"), with a title ("Dr. Anna Schmidt") or a
 * company's ("Yoga Sonne GmbH") keeps it all as the last name, and the first name stays empty, so
 * templates greet with the full name instead.
 */

// Words that open a name but are not a given name: salutations and academic titles.
const TITLES = new Set([
  'herr', 'frau', 'hr', 'fr', 'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'dipl', 'ing', 'mag', 'sir', 'dame', 'lady', 'lord',
  'monsieur', 'madame', 'mme', 'mlle', 'm', 'señor', 'señora', 'sr', 'sra', 'srta', 'don', 'doña', 'signor', 'signora', 'sig', 'dott',
  'dhr', 'mevr', 'pan', 'pani',
]);

// Words that show the name is a company's, whose first word greets no one.
const COMPANY = /(?:^|\s)(?:gmbh|ag|ug|kg|ohg|gbr|e\.\s?k\.?|e\.\s?v\.?|ltd\.?|llc|inc\.?|corp\.?|co\.|plc|s\.?a\.?r?\.?l?\.?|b\.?v\.?|n\.?v\.?|s\.?p\.?a\.?|sp\.\s?z\s?o\.\s?o\.?|&)(?:\s|$)/i;

/** First and last name of a whole name: split at the first space only where the first word is safely a given name. */
export function splitFullName(full: string): { first: string; last: string } {
  const space = full.indexOf(' ');
  // One word: the name people are greeted by ("Cher"), as before.
  if (space < 0) return { first: full, last: '' };
  const firstWord = full.slice(0, space);
  const unsafe = full.includes(',') || /\d/.test(full) || firstWord.endsWith('.') || TITLES.has(firstWord.toLowerCase()) || COMPANY.test(full);
  return unsafe ? { first: '', last: full } : { first: firstWord, last: full.slice(space + 1) };
}
