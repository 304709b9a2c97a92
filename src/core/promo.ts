import { DunningError } from './errors.js';
import { parseAmount, type Money } from './money.js';
import { fail, ok, type Parsed } from './result.js';

/** A discount a promo code gives: a percentage of the open amount, or a fixed amount. */
export type Discount = { percentOff: number } | { amountOff: Money };

/** A promo code as a message offers it: the code, its discount, when it stops holding (an ISO instant) and for how long it holds. */
export interface PromoOffer {
  code: string;
  discount: Discount;
  expiresAt: string;
  validHours: number;
}

/** What a code gives and how long: everything of an offer but the code itself. */
export type OfferTerms = Omit<PromoOffer, 'code'>;

/**
 * The open amount after a discount, in minor units, rounded half up to the cent and never below
 * zero. Integer arithmetic only: percent is applied as (minor * basis points) / 10000.
 */
export function applyDiscount(open: Money, discount: Discount): Money {
  if ('percentOff' in discount) {
    const basisPoints = Math.round(discount.percentOff * 100);
    const off = Math.floor((open.minor * basisPoints + 5000) / 10000);
    return { minor: Math.max(0, open.minor - off), currency: open.currency };
  }
  if (discount.amountOff.currency !== open.currency) return open;
  return { minor: Math.max(0, open.minor - discount.amountOff.minor), currency: open.currency };
}

/** A stage's promo as configured (the code itself comes from the config or the pool). */
export interface PromoTerms {
  percentOff?: number;
  amountOff?: Money;
  validHours: number;
}

/** The discount and expiry a code gives when it is handed out at `now`. */
export function promoTerms(terms: PromoTerms, now: Date): OfferTerms {
  const discount: Discount = terms.amountOff !== undefined ? { amountOff: terms.amountOff } : { percentOff: terms.percentOff ?? 0 };
  return { discount, expiresAt: new Date(now.getTime() + terms.validHours * 3_600_000).toISOString(), validHours: terms.validHours };
}

/** A stage's promo settings as the config writes them (the discount amount as text, e.g. "10,00"). */
export interface PromoSettings {
  percentOff?: number | undefined;
  amountOff?: string | undefined;
  validHours: number;
}

/** The discount and expiry of a stage's promo when handed out at `now`, or why its amount is unreadable. */
export function stagePromoTerms(settings: PromoSettings, currency: string, now: Date): Parsed<OfferTerms> {
  let amountOff: Money | undefined;
  if (settings.amountOff !== undefined) {
    const parsed = parseAmount(settings.amountOff, 'auto', currency);
    if (!parsed.ok) return parsed;
    if (parsed.value === null) return fail('promo.amountOff is empty');
    amountOff = { minor: parsed.value.minor, currency: parsed.value.currency ?? currency };
  }
  return ok(promoTerms({ percentOff: settings.percentOff, amountOff, validHours: settings.validHours }, now));
}

/** A stage's promo terms at `now` for a send or a preview; a DunningError naming the stage when its amount is unreadable. */
export function termsOfStage(stageName: string, settings: PromoSettings, currency: string, now: Date): OfferTerms {
  const parsed = stagePromoTerms(settings, currency, now);
  if (!parsed.ok) throw new DunningError(`sequence stage "${stageName}": promo.amountOff ${parsed.error}`);
  return parsed.value;
}

/** Whether a code still holds at `now`: it expires at the instant given, not a moment later. */
export function codeIsActive(expiresAt: string, now: Date): boolean {
  return now.getTime() < Date.parse(expiresAt);
}

/**
 * The promo a message shows without handing a code out (a preview, a plain export): the stage's
 * fixed code, or `POOL-CODE` standing in for the unique code a pool stage hands out when it sends.
 */
export function offerWithoutIssuing(stageName: string, settings: PromoSettings & { code?: string | undefined }, currency: string, now: Date): PromoOffer {
  return { code: settings.code ?? 'POOL-CODE', ...termsOfStage(stageName, settings, currency, now) };
}
