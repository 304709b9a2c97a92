/** What both adapters of the store say and read the same way. */
import type { Discount } from '../core/promo.js';

/** What a message left `sending` by a dead run is, until the next send marks it unknown. */
export const DIED_WHILE_SENDING = 'possibly sent (the run that sent it died)';

/** A code counts as issued once its message went out (sent), or may have (unknown): never for a failed or unsent one (issue 21). */
export const CODE_ISSUED = "EXISTS (SELECT 1 FROM messages m WHERE m.id = p.message_id AND m.state IN ('sent', 'unknown'))";

/** The discount a code was handed out with, as the send wrote it (JSON of a Discount), or null. */
export function parseDiscount(json: string | null): Discount | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) return null;
  if ('percentOff' in value && typeof value.percentOff === 'number') return { percentOff: value.percentOff };
  if ('amountOff' in value && typeof value.amountOff === 'object' && value.amountOff !== null) {
    const off = value.amountOff;
    if ('minor' in off && 'currency' in off && typeof off.minor === 'number' && typeof off.currency === 'string') return { amountOff: { minor: off.minor, currency: off.currency } };
  }
  return null;
}
