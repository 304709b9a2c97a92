import type { StageConfig } from '../config/schema.js';
import { daysBetween } from '../core/dates.js';
import { termsOfStage } from '../core/promo.js';
import type { MessageCase, MessageCustomer, MessagePromo, MessageRequest } from './types.js';

/** A case as the store keeps it: the order's data and its customer's. */
export type StoredCase = Omit<MessageCase, 'daysOverdue'> & Omit<MessageCustomer, never>;

/** Turns stored cases of one customer into a render request for a stage. */
export function messageRequestFor(
  cases: readonly StoredCase[],
  stage: { name: string; number: number; template: string },
  today: string,
  now: Date,
): MessageRequest {
  const first = cases[0];
  if (first === undefined) throw new Error('a message needs at least one case');
  const messageCases: MessageCase[] = cases.map((c) => ({
    id: c.id,
    source: c.source,
    orderId: c.orderId,
    dueDate: c.dueDate,
    product: c.product,
    openMinor: c.openMinor,
    paidMinor: c.paidMinor,
    currency: c.currency,
    token: c.token,
    extra: c.extra,
    daysOverdue: daysBetween(c.dueDate, today),
  }));
  return {
    customer: { email: first.email, emailKey: first.emailKey, firstName: first.firstName, lastName: first.lastName, localeHint: first.localeHint },
    cases: messageCases,
    stage,
    today,
    now,
  };
}

/** The stage a template belongs to in the sequence, or a stand-in numbered after the last one. */
export function stageForTemplate(stages: readonly StageConfig[], template: string): { name: string; number: number; template: string; config: StageConfig | undefined } {
  const index = stages.findIndex((s) => s.template === template);
  const config = stages[index];
  if (config === undefined) return { name: template, number: 1, template, config: undefined };
  return { name: config.name, number: index + 1, template, config };
}

/**
 * The promo a preview shows for a stage: its fixed code, or a sample marked as such when the
 * stage draws unique codes from a pool (a preview never takes a code out of the pool).
 */
export function previewPromo(stage: StageConfig | undefined, now: Date, currency: string): MessagePromo | undefined {
  const promo = stage?.promo;
  if (stage === undefined || promo === undefined) return undefined;
  return { code: promo.code ?? 'POOL-CODE', ...termsOfStage(stage.name, promo, currency, now) };
}
