import type { Customer } from '../core/case.js';
import { manageLinkOf } from '../core/links.js';
import { mergeFields, MERGE_FIELD_NAMES, type MergeFields } from '../core/merge-fields.js';
import type { CaseDecision, PlannedMessage } from '../core/plan.js';
import { offerWithoutIssuing, type PromoOffer } from '../core/promo.js';
import { compileTokenPattern } from '../core/token.js';
import { loadPlan, type AppConfig } from './plan.js';
import type { Store } from './ports.js';
import { plannedMessageId } from './send/outgoing.js';
import { needsPoolCode, PromoDesk, type MessageCode } from './send/promo-desk.js';
import { checkStageOption, SEND_LOCK } from './send/send.js';

/** One customer of the merge-field CSV: every merge field and all manage links. */
export interface ExportRow {
  fields: MergeFields;
  manageLinks: string[];
}

/** The CSV's columns: every merge field, then every order's own link. */
export const EXPORT_COLUMNS = [...MERGE_FIELD_NAMES, 'manage_links'] as const;

/** What `dunning export` writes. */
export interface ExportOptions {
  /** Every customer with open cases, not only those due now. */
  all: boolean;
  /** Record the exported customers of this stage as sent: the merchant mailed them through another tool. */
  markSent: string | undefined;
}

/** What an export needs. */
export interface ExportDeps {
  store: Store;
  config: AppConfig;
  baseDir: string;
  runId: number;
  now: Date;
}

/** Writes the rows, a page at a time (output's CSV writer), and returns how many customers it wrote. */
export type RowWriter = (pages: AsyncIterable<ExportRow[]> | Iterable<ExportRow[]>) => Promise<number>;

/**
 * The merge-field export: one row per customer due now (and with `all` every other customer with
 * open cases), from the same plan send makes, without its caps. Nothing is recorded unless
 * `markSent`: then each exported customer of that stage is claimed and recorded as sent, so the
 * sequence moves on and nobody gets that stage twice.
 */
export async function exportCustomers(deps: ExportDeps, options: ExportOptions, write: RowWriter): Promise<{ customers: number; marked: number }> {
  if (options.markSent !== undefined) checkStageOption(deps.config, '--mark-sent', options.markSent);
  if (options.markSent === undefined) return { customers: await write(plainRows(deps, options.all)), marked: 0 };
  const marking = await codesForMarking(deps);
  const customers = await write([marking.messages.map((m) => rowOf(m.customer, m.cases, m.stage, deps.config, marking.codes.get(m.customer.emailKey)?.promo))]);
  return { customers, marked: await markSent(deps, marking.messages, options.markSent, marking.codes) };
}

/** The rows of a plain export: pool codes are handed out only when the export is marked as mailed, so it shows only a stage's fixed code. */
async function* plainRows(deps: ExportDeps, all: boolean): AsyncGenerator<ExportRow[]> {
  const { config, now } = deps;
  for await (const page of loadPlan(deps.store, config, { now, capped: false })) {
    yield page.flatMap(({ message }) => (message === null ? [] : [rowOf(message.customer, message.cases, message.stage, config, fixedPromo(config, message, now))]));
  }
  if (!all) return;
  for await (const page of loadPlan(deps.store, config, { now, capped: false })) {
    yield page.flatMap((plan) => (plan.message !== null ? [] : [rowOf(plan.customer, plan.decisions.map(withDays), { name: '', number: 0 }, config, undefined)]));
  }
}

function withDays(d: CaseDecision): CaseDecision['case'] & { daysOverdue: number } {
  return { ...d.case, daysOverdue: d.daysOverdue };
}

/** The messages of a marked export and their codes, handed out as a send would: checked against the pools first. */
async function codesForMarking(deps: ExportDeps): Promise<{ messages: PlannedMessage[]; codes: Map<string, MessageCode | undefined> }> {
  const messages: PlannedMessage[] = [];
  const needs = new Map<string, number>();
  for await (const page of loadPlan(deps.store, deps.config, { now: deps.now, capped: false })) {
    for (const { message } of page) {
      if (message === null) continue;
      messages.push(message);
      if (await needsPoolCode(deps.store, deps.config, message)) needs.set(message.stage.name, (needs.get(message.stage.name) ?? 0) + 1);
    }
  }
  const desk = await PromoDesk.prepare(deps.store, deps.config, deps.baseDir, needs, deps.now, false);
  const codes = new Map<string, MessageCode | undefined>();
  for (const m of messages) codes.set(m.customer.emailKey, await desk.codeFor(m, deps.now));
  return { messages, codes };
}

/** A stage's fixed code (the same for everyone, so a plain export can show it); pool codes need --mark-sent. */
function fixedPromo(config: AppConfig, message: PlannedMessage, now: Date): PromoOffer | undefined {
  const stage = config.sequence.stages.find((s) => s.name === message.stage.name);
  if (stage?.promo?.code === undefined) return undefined;
  return offerWithoutIssuing(stage.name, stage.promo, message.cases[0]?.currency ?? config.currency, now);
}

type RowCase = CaseDecision['case'] & { daysOverdue: number };

function rowOf(customer: Customer, cases: readonly RowCase[], stage: { name: string; number: number }, config: AppConfig, promo: PromoOffer | undefined): ExportRow {
  const pattern = compileTokenPattern(config.tokenPattern);
  const withLinks = cases.map((c) => {
    // A case's own link, or empty when its token cannot build one (the same rules as messages).
    const link = manageLinkOf(c, customer.email, config, pattern);
    return { ...c, manageLink: link.ok ? link.value : '' };
  });
  const fields = mergeFields({ customer, cases: withLinks, stage, locale: config.locale, timeZone: config.timeZone, company: config.sender.company, promo });
  return { fields, manageLinks: withLinks.map((c) => c.manageLink).filter((l) => l !== '') };
}

/**
 * Records that the merchant mailed the customers due this stage through another tool: each message
 * is claimed and marked sent (channel "export") like a send would, under the send lock.
 */
async function markSent(deps: ExportDeps, messages: readonly PlannedMessage[], stage: string, codes: ReadonlyMap<string, MessageCode | undefined>): Promise<number> {
  const { store, runId, now } = deps;
  await store.locks.acquire(SEND_LOCK, { runId, pid: process.pid, since: now.toISOString() });
  try {
    const claims = await store.messages.claim(
      messages
        .filter((m) => m.stage.name === stage)
        .map((m) => ({
          runId, emailKey: m.customer.emailKey, stage, channel: 'export', template: m.stage.template, recipient: m.customer.email,
          messageId: plannedMessageId(m, deps.config), cases: m.cases.map((c) => ({ caseId: c.id, stage: c.stage, repeat: c.repeat })), code: codes.get(m.customer.emailKey)?.assignment,
        })),
      now,
    );
    const ids = claims.flatMap((c) => (c.ok ? [c.id] : []));
    await store.messages.record(ids.map((id) => ({ id, state: 'sent', providerId: null, response: 'marked as sent by dunning export' })), now);
    return ids.length;
  } finally {
    await store.locks.release(SEND_LOCK, runId);
  }
}
