import { BaseRates } from '../core/base-rates.js';
import { addDays, calendarDateIn, type CalendarDate } from '../core/dates.js';
import { DunningError } from '../core/errors.js';
import { messageClaim, ownBaseRates, stageFee, type ClaimSums, type MessageClaim, type OrderClaim } from '../core/late-charges.js';
import { toDecimalString } from '../core/money.js';
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

/** One case's claim as `status --json` and `dunning customer` show it: amounts in minor units and as decimals. */
export interface ClaimFigures extends ClaimSums {
  principal: string;
  interest: string;
  flatFee: string;
  fees: string;
  total: string;
  /** The yearly rate in percent on the last day counted (7.27), the first day of interest, the days; null/0 before any. */
  interestRate: number | null;
  interestFrom: string | null;
  interestDays: number;
}

/**
 * The claim of each open case to `today`, by case id, or null without `lateCharges`. Cases are
 * claimed per customer, so the flat fee and the notices' fees are counted once per customer (on
 * their first case), as a notice would state them.
 */
export async function claimsOfCases(store: Store, config: AppConfig, cases: readonly StoredCase[], today: CalendarDate): Promise<Map<number, ClaimFigures> | null> {
  if (config.lateCharges === undefined) return null;
  const byCustomer = new Map<string, StoredCase[]>();
  for (const c of cases) {
    if (c.status !== 'open') continue;
    const group = byCustomer.get(c.emailKey) ?? [];
    group.push(c);
    byCustomer.set(c.emailKey, group);
  }
  const figures = new Map<number, ClaimFigures>();
  for (const group of byCustomer.values()) {
    const claim = await claimOfCases(store, config, group, today);
    for (const c of group) {
      const order = claim.orders.get(c.id);
      if (order !== undefined) figures.set(c.id, claimFigures(order, c.currency));
    }
  }
  return figures;
}

/**
 * The claims for an overview (`status`, `customer`), which must not fail for them: a day no base-rate
 * period covers gives no claims and the problem, for a note.
 */
export async function claimsForOverview(store: Store, config: AppConfig, cases: readonly StoredCase[], today: CalendarDate): Promise<{ claims: Map<number, ClaimFigures> | null; problem: string | null }> {
  try {
    return { claims: await claimsOfCases(store, config, cases, today), problem: null };
  } catch (error) {
    if (!(error instanceof DunningError)) throw error;
    return { claims: null, problem: `${error.message}${error.hint === undefined ? '' : `; ${error.hint}`}` };
  }
}

function claimFigures(claim: OrderClaim, currency: string): ClaimFigures {
  const decimal = (minor: number): string => toDecimalString(minor, currency);
  return {
    currency,
    principalMinor: claim.principalMinor,
    interestMinor: claim.interest.minor,
    flatFeeMinor: claim.flatFeeMinor,
    feesMinor: claim.feesMinor,
    totalMinor: claim.totalMinor,
    principal: decimal(claim.principalMinor),
    interest: decimal(claim.interest.minor),
    flatFee: decimal(claim.flatFeeMinor),
    fees: decimal(claim.feesMinor),
    total: decimal(claim.totalMinor),
    interestRate: claim.interest.rate === null ? null : claim.interest.rate / 100,
    interestFrom: claim.interest.from,
    interestDays: claim.interest.days,
  };
}
