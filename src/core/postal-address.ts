/**
 * A customer's postal address from the export's own columns (they map to no field, so they arrive
 * as a case's `extra`): the letter's address block and the collections hand-over use it. The
 * platforms name them differently (Shopify "Billing Address1", WooCommerce "Billing Address 1" or
 * "billing_address_1", German exports "Straße"/"PLZ"/"Ort"); headers are compared without case,
 * spaces, "_", "-" or ".".
 */

/** The parts of a postal address, each with the headers that may hold it, most specific first. */
export const ADDRESS_PARTS = {
  company: ['billingcompany', 'company', 'firma', 'firmenname', 'companyname'],
  street: ['billingaddress1', 'billingstreet', 'billingaddress', 'address1', 'street', 'strasse', 'straße', 'streetaddress', 'address', 'adresse', 'anschrift'],
  street2: ['billingaddress2', 'address2', 'adresszusatz'],
  zip: ['billingzip', 'billingpostcode', 'billingpostalcode', 'zip', 'zipcode', 'postcode', 'postalcode', 'plz', 'postleitzahl'],
  city: ['billingcity', 'city', 'ort', 'stadt', 'town'],
  country: ['billingcountry', 'country', 'land'],
} as const;

/** The parts of a postal address found in a case's extra columns (empty cells are absent). */
export type PostalAddress = Partial<Record<keyof typeof ADDRESS_PARTS, string>>;

function isPart(name: string): name is keyof typeof ADDRESS_PARTS {
  return name in ADDRESS_PARTS;
}

function headerKey(header: string): string {
  return header.toLowerCase().replace(/[\s_.-]+/g, '');
}

/** The address in a case's extra columns, by the first header of each part that has a value. */
export function postalAddressOf(extra: Readonly<Record<string, string>>): PostalAddress {
  const byKey = new Map<string, string>();
  for (const [header, value] of Object.entries(extra)) {
    const key = headerKey(header);
    if (value.trim() !== '' && !byKey.has(key)) byKey.set(key, value.trim());
  }
  const address: PostalAddress = {};
  for (const [part, candidates] of Object.entries(ADDRESS_PARTS)) {
    const value = candidates.map((candidate) => byKey.get(candidate)).find((v) => v !== undefined);
    if (value !== undefined && isPart(part)) address[part] = value;
  }
  return address;
}

/** The lines of an address block below the name: street, second line, postcode and city, country. */
export function addressLines(address: PostalAddress): string[] {
  const place = [address.zip, address.city].filter((p) => p !== undefined).join(' ');
  return [address.street, address.street2, place === '' ? undefined : place, address.country].filter((line): line is string => line !== undefined);
}
