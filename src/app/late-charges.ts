import { BaseRates } from '../core/base-rates.js';
import { addDays, calendarDateIn, type CalendarDate } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import { messageClaim, ownBaseRates, stageFee, type MessageClaim } from '../core/late-charges.js';
import type { StoredCase } from '../core/case.js';
import type { PlannedMessage } from '../core/plan.js';
import type { AppConfig } from './plan.js';
import type { Store } from './ports.js';

/** The base rates of a config: the shipped table with `lateCharges.baseRates` over it. */
function ratesOf(config: AppConfig): BaseRates {
  const own = ownBaseRates(config.lateCharges?.baseRates ?? []);
  // The config loader refused unreadable entries already.
  return new BaseRates(own.ok ? own.value : []);
}

/**
 * Refuses, before anything is rendered or sent, a day of interest no base-rate period covers:
 * `today`, when the table ends before it (the Bundesbank publishes each half-year's rate shortly
 * before it starts; the merchant adds it in `lateCharges.baseRates`).
 */
export function checkBaseRatesCover(config: AppConfig, today: CalendarDate): void {
  if (config.lateCharges === undefined || config.lateCharges.interest === 'none') return;
  const rates = ratesOf(config);
  if (rates.on(today) !== undefined) return;
  throw uncoveredDay(rates.coveredUntil < today ? addDays(rates.coveredUntil, 1) : today, rates);
}

/** The claim of a planned message (principal, interest, fees), or undefined without `lateCharges`. */
export async function claimFor(store: Store, config: AppConfig, message: PlannedMessage): Promise<MessageClaim | undefined> {
  if (config.lateCharges === undefined) return undefined;
  return claimOfCases(store, config, message.cases, message.today, message.stage.name);
}

/**
 * The claim of some cases on `today`: interest on each (the partial payments the imports saw lower
 * it from their day), the fee of every notice sent about them, and of `stage` when a notice of it is
 * going out now. Without `lateCharges`: the principal alone.
 */
export async function claimOfCases(store: Store, config: AppConfig, cases: readonly StoredCase[], today: CalendarDate, stage?: string): Promise<MessageClaim> {
  const late = config.lateCharges;
  const history = await store.cases.lateChargeHistory(cases.map((c) => c.id));
  const feeOf = (stageName: string): number => {
    const fee = stageFee(config.sequence.stages.find((s) => s.name === stageName)?.fee, config.currency);
    return fee.ok ? fee.value : 0;
  };
  const feesMinor = [...history.sentStages, ...(stage === undefined ? [] : [stage])].reduce((sum, name) => sum + feeOf(name), 0);
  const rates = ratesOf(config);
  const orders = cases.map((c) => ({
    id: c.id,
    customerType: c.customerType,
    dueDate: c.dueDate,
    openMinor: c.openMinor,
    currency: c.currency,
    payments: history.payments.filter((p) => p.caseId === c.id).map((p) => ({ day: calendarDateIn(new Date(p.at), config.timeZone), minor: p.minor })),
  }));
  const terms = { interest: late?.interest ?? 'none', customerType: late?.customerType ?? 'b2c', flatFeeB2B: late?.flatFeeB2B ?? false };
  const result = messageClaim(orders, { ...terms, feesMinor, feeCurrency: config.currency, today, rates });
  if (!result.ok) throw uncoveredDay(result.uncovered, rates);
  return result.claim;
}

function uncoveredDay(day: CalendarDate, rates: BaseRates): DunningError {
  const known = `the base rates known run from ${rates.coveredFrom} to ${rates.coveredUntil}`;
  return new DunningError(`lateCharges: no base rate is known for ${day}; ${known}`, {
    hint: `add the period to "lateCharges.baseRates" in the config, e.g. {"from": "${day.slice(0, 7)}-01", "rate": 1.27}, with the rate the Deutsche Bundesbank published (Basiszinssatz)`,
  });
}
