import type { Config } from '../config/schema.js';
import { manageLinkOf, type ManageLink } from '../core/links.js';
import { openByCurrency, type Money } from '../core/money.js';
import { printedIban } from '../core/iban.js';
import { payDeadline } from '../core/moments.js';
import { applyDiscount } from '../core/promo.js';
import { DunningError } from '../core/errors.js';
import type { MessageCase, RenderRequest } from '../app/message.js';
import type { ClaimSums, MessageClaim, OrderClaim } from '../core/late-charges.js';

/** The data a template sees (documented in the README, "Templates"). */
export interface TemplateContext {
  locale: string;
  today: string;
  customer: { firstName: string; lastName: string; fullName: string; email: string };
  orders: OrderContext[];
  orderCount: number;
  totalOpen: Money | Money[];
  manageLink: string;
  stage: { name: string; number: number; total: number };
  /** Pay by this day (`YYYY-MM-DD`, to its end in the merchant's zone) when the stage sets `payWithin`; else null. */
  deadline: string | null;
  /** The exact pay-by instant (ISO) when `payWithin` counts hours or minutes; else null. */
  deadlineTime: string | null;
  sender: { name: string; email: string; replyTo: string; company: string; address: string; contact: string; bank: BankContext | null };
  promo: PromoContext | null;
  /** Principal, default interest and fees summed for the message, when the config has `lateCharges`; else null. */
  claim: ClaimContext | null;
  /** What follows when nothing is paid (`lateCharges.nextSteps`), for the last notice; null when not set. */
  nextSteps: string | null;
}

/** The account for a bank transfer (`sender.bank`), the IBAN in groups of four. */
interface BankContext {
  accountHolder: string;
  iban: string;
  bic: string | null;
}

/** A claim as templates see it: amounts as Money (lists when a message mixes currencies). */
interface ClaimContext {
  principal: Money | Money[];
  interest: Money | Money[];
  flatFee: Money | Money[];
  fees: Money | Money[];
  total: Money | Money[];
  /** Of the oldest order: the yearly rate in percent on the last day counted (7.27), the first day, the days. */
  interestRate: number | null;
  interestFrom: string | null;
  interestDays: number;
  /** Whether there is any interest, flat fee or fee to list: a template shows only the lines that apply. */
  hasInterest: boolean;
  hasFlatFee: boolean;
  hasFees: boolean;
}

/** One order's claim. */
interface OrderClaimContext {
  principal: Money;
  interest: Money;
  interestRate: number | null;
  interestFrom: string | null;
  interestDays: number;
  flatFee: Money;
  fees: Money;
  total: Money;
}

interface OrderContext {
  orderId: string;
  product: string;
  open: Money;
  paid: Money;
  dueDate: string;
  daysOverdue: number;
  manageLink: string;
  extra: Record<string, string>;
  claim: OrderClaimContext | null;
}

interface PromoContext {
  code: string;
  percentOff: number | null;
  amountOff: Money | null;
  before: Money | Money[];
  after: Money | Money[];
  expiresAt: string;
  validHours: number;
  /** The validity in days when it is whole days ("valid for 3 days"); else null. */
  validDays: number | null;
}

/** Settings the context needs from the config. */
export type ContextConfig = Pick<Config, 'sender' | 'manageLink' | 'seller' | 'tokenPattern' | 'sequence' | 'lateCharges'> & { timeZone: string };

/** Builds what a template sees for one message; each order gets the link built from its own token. */
export function buildContext(request: RenderRequest, config: ContextConfig, locale: string, tokenPattern: RegExp | undefined): TemplateContext {
  const orders = request.cases.map((c) => ({ ...orderContext(c, request.customer.email, config, tokenPattern), claim: orderClaim(request.claim?.orders.get(c.id), c.currency) }));
  const totals = openByCurrency(request.cases);
  const { customer } = request;
  const promo = request.promo;
  const deadline = request.stage.payWithin === undefined ? null : payDeadline(request.now.getTime(), request.stage.payWithin, config.timeZone);
  return {
    locale,
    today: request.today,
    customer: { firstName: customer.firstName, lastName: customer.lastName, fullName: `${customer.firstName} ${customer.lastName}`.trim(), email: customer.email },
    orders,
    orderCount: orders.length,
    totalOpen: totals.length === 1 && totals[0] !== undefined ? totals[0] : totals,
    manageLink: orders[0]?.manageLink ?? '',
    stage: { name: request.stage.name, number: request.stage.number, total: config.sequence.stages.length },
    deadline: deadline?.date ?? null,
    deadlineTime: deadline?.at ?? null,
    sender: {
      name: config.sender.name,
      email: config.sender.email,
      replyTo: config.sender.replyTo ?? config.sender.email,
      company: config.sender.company,
      address: config.sender.address,
      contact: config.sender.contact,
      bank: config.sender.bank === undefined ? null : { accountHolder: config.sender.bank.accountHolder, iban: printedIban(config.sender.bank.iban), bic: config.sender.bank.bic?.toUpperCase() ?? null },
    },
    promo:
      promo === undefined
        ? null
        : {
            code: promo.code,
            percentOff: 'percentOff' in promo.discount ? promo.discount.percentOff : null,
            amountOff: 'amountOff' in promo.discount ? promo.discount.amountOff : null,
            before: totals.length === 1 && totals[0] !== undefined ? totals[0] : totals,
            after: unwrap(totals.map((t) => applyDiscount(t, promo.discount))),
            expiresAt: promo.expiresAt,
            validHours: promo.validHours,
            validDays: promo.validHours % 24 === 0 ? promo.validHours / 24 : null,
          },
    claim: request.claim === undefined ? null : claimContext(request.claim),
    nextSteps: config.lateCharges?.nextSteps ?? null,
  };
}

function claimContext(claim: MessageClaim): ClaimContext {
  const each = (minor: (s: ClaimSums) => number): Money | Money[] => unwrap(claim.sums.map((s) => ({ minor: minor(s), currency: s.currency })));
  const oldest = [...claim.orders.values()].sort((a, b) => b.interest.days - a.interest.days)[0];
  return {
    principal: each((s) => s.principalMinor),
    interest: each((s) => s.interestMinor),
    flatFee: each((s) => s.flatFeeMinor),
    fees: each((s) => s.feesMinor),
    total: each((s) => s.totalMinor),
    interestRate: oldest?.interest.rate === null || oldest === undefined ? null : oldest.interest.rate / 100,
    interestFrom: oldest?.interest.from ?? null,
    interestDays: oldest?.interest.days ?? 0,
    hasInterest: claim.sums.some((s) => s.interestMinor !== 0),
    hasFlatFee: claim.sums.some((s) => s.flatFeeMinor !== 0),
    hasFees: claim.sums.some((s) => s.feesMinor !== 0),
  };
}

function orderClaim(claim: OrderClaim | undefined, currency: string): OrderClaimContext | null {
  if (claim === undefined) return null;
  const money = (minor: number): Money => ({ minor, currency });
  return {
    principal: money(claim.principalMinor),
    interest: money(claim.interest.minor),
    interestRate: claim.interest.rate === null ? null : claim.interest.rate / 100,
    interestFrom: claim.interest.from,
    interestDays: claim.interest.days,
    flatFee: money(claim.flatFeeMinor),
    fees: money(claim.feesMinor),
    total: money(claim.totalMinor),
  };
}

const LINK_HINTS: Record<Extract<ManageLink, { ok: false }>['missing'], string> = {
  token: 'a case without a usable token gets no message',
  pattern: 'set "manageLink" in dunning.config.json',
  field: 'check "manageLink" in dunning.config.json',
};

function orderContext(c: MessageCase, email: string, config: ContextConfig, tokenPattern: RegExp | undefined): Omit<OrderContext, 'claim'> {
  const link = manageLinkOf(c, email, config, tokenPattern);
  if (!link.ok) throw new DunningError(`order ${c.orderId}: ${link.missing === 'field' ? '' : 'no manage link: '}${link.error}`, { hint: LINK_HINTS[link.missing] });
  return {
    orderId: c.orderId,
    product: c.product,
    open: { minor: c.openMinor, currency: c.currency },
    paid: { minor: c.paidMinor, currency: c.currency },
    dueDate: c.dueDate,
    daysOverdue: c.daysOverdue,
    manageLink: link.value,
    extra: c.extra,
  };
}

function unwrap(list: Money[]): Money | Money[] {
  return list.length === 1 && list[0] !== undefined ? list[0] : list;
}
