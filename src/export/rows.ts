import type { Config } from '../config/schema.js';
import { groupBy } from '../core/group.js';
import { manageLinkOf } from '../core/links.js';
import { mergeFields, MERGE_FIELD_NAMES, type MergeFields } from '../core/merge-fields.js';
import type { Plan, PlanCase, PlannedMessage } from '../core/plan.js';
import { compileTokenPattern } from '../core/token.js';
import type { Db } from '../store/database.js';
import { makePlan } from '../send/engine.js';
import type { MessagePromo } from '../templates/types.js';

/** One customer of the merge-field CSV: every merge field and all manage links. */
export interface ExportRow {
  fields: MergeFields;
  manageLinks: string[];
}

/** The CSV's columns: every merge field, then every order's own link. */
export const EXPORT_COLUMNS = [...MERGE_FIELD_NAMES, 'manage_links'] as const;

/** The plan of "who is due now", without the per-run and per-day caps that only apply to sending. */
export function exportPlan(db: Db, config: Config & { timeZone: string }, now: Date): Plan {
  return makePlan({ db, config }, {}, now, false);
}

/**
 * The rows, one at a time (a million customers' merge fields need not sit in memory at once): each
 * due customer's message, and with `all` every other customer with open cases (no stage).
 */
export function* exportRows(plan: Plan, config: Config & { timeZone: string }, all: boolean, promoOf: (m: PlannedMessage) => MessagePromo | undefined): Generator<ExportRow> {
  const tokenPattern = compileTokenPattern(config.tokenPattern);
  for (const m of plan.messages) yield row(m.customer, m.cases, { name: m.stage.name, number: m.stage.number }, config, tokenPattern, promoOf(m));
  if (!all) return;
  const due = new Set(plan.messages.map((m) => m.customer.emailKey));
  const others = groupBy(
    plan.decisions.filter((d) => !due.has(d.case.emailKey)).map((d) => ({ ...d.case, daysOverdue: d.daysOverdue })),
    (c) => c.emailKey,
  );
  for (const cases of others.values()) {
    const first = cases[0];
    if (first !== undefined) yield row(first, cases, { name: '', number: 0 }, config, tokenPattern, undefined);
  }
}

type RowCase = Pick<PlanCase, 'id' | 'source' | 'orderId' | 'dueDate' | 'product' | 'openMinor' | 'currency' | 'token'> & { daysOverdue: number };

function row(
  customer: { email: string; firstName: string; lastName: string },
  cases: readonly RowCase[],
  stage: { name: string; number: number },
  config: Config & { timeZone: string },
  pattern: RegExp | undefined,
  promo: MessagePromo | undefined,
): ExportRow {
  const withLinks = cases.map((c) => ({ ...c, manageLink: linkOf(c, customer.email, config, pattern) }));
  const fields = mergeFields({ customer, cases: withLinks, stage, locale: config.locale, timeZone: config.timeZone, company: config.sender.company, promo });
  return { fields, manageLinks: withLinks.map((c) => c.manageLink).filter((l) => l !== '') };
}

/** A case's own manage link, or empty when its token cannot build one (the same rules as messages). */
function linkOf(c: RowCase, email: string, config: Config, pattern: RegExp | undefined): string {
  const link = manageLinkOf(c, email, config, pattern);
  return link.ok ? link.value : '';
}
