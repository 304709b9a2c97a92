import { fail, ok, type Parsed } from './result.js';

/** Whether a customer is a business (b2b) or a consumer (b2c): §288 BGB charges them differently. */
export type CustomerType = 'b2b' | 'b2c';

/** The words an export may use for each type, compared in lower case (issue 24). */
const CUSTOMER_TYPE_WORDS: Readonly<Record<string, CustomerType>> = {
  b2b: 'b2b', business: 'b2b', company: 'b2b', firma: 'b2b', unternehmen: 'b2b', gewerblich: 'b2b',
  b2c: 'b2c', consumer: 'b2c', private: 'b2c', privat: 'b2c', verbraucher: 'b2c', privatkunde: 'b2c',
};

/** A customer-type cell: b2b/b2c (also business/consumer, Firma/Privat, company/private); empty is null (the config's default). */
export function parseCustomerType(text: string): Parsed<CustomerType | null> {
  const value = text.trim().toLowerCase();
  if (value === '') return ok(null);
  const type = CUSTOMER_TYPE_WORDS[value];
  return type === undefined ? fail(`"${text.trim()}" is not a customer type: write b2b or b2c (also business/consumer, Firma/Privat, company/private)`) : ok(type);
}

/** A stored customer type (the store's CHECK allows only these), or null. */
export function customerTypeOf(value: string | null): CustomerType | null {
  return value === 'b2b' || value === 'b2c' ? value : null;
}
