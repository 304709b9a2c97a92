import type { Customer } from '../core/case.js';
import { calendarDateIn, type CalendarDate } from '../core/dates.js';
import type { MessageClaim } from '../core/late-charges.js';
import { payDeadline } from '../core/moments.js';
import { DunningError } from '../core/errors.js';
import { manageLinkOf } from '../core/links.js';
import { extraFields, mergeFields, MERGE_FIELD_NAMES, type MergeFields } from '../core/merge-fields.js';
import type { CaseDecision, CustomerPlan, PlannedMessage } from '../core/plan.js';
import { offerWithoutIssuing, type PromoOffer } from '../core/promo.js';
import { compileTokenPattern } from '../core/token.js';
import { loadPlan, type AppConfig } from './plan.js';
import type { Store } from './ports.js';
import { claimFor, claimOfCases } from './late-charges.js';
import { plannedMessageId } from './send/outgoing.js';
import { needsPoolCode, PromoDesk, type MessageCode } from './send/promo-desk.js';
import { checkStageOption, SEND_LOCK } from './send/send.js';

/** One customer of the merge-field CSV: every merge field, all manage links and the merchant's own columns (safe names). */
export interface ExportRow {
  fields: MergeFields;
  manageLinks: string[];
  extra: Record<string, string>;
  /** With --all: `due`, `waiting`, `snoozed until DATE` or `stopped: REASON`, and the customer's notes. */
  state?: { status: string; notes: string };
}

/** The columns every export has: every merge field, then every order's own link in one cell. */
export const EXPORT_COLUMNS = [...MERGE_FIELD_NAMES, 'manage_links'] as const;

/**
 * The columns of one export: EXPORT_COLUMNS, then `manage_link_2` ... `manage_link_N` (one per link,
 * N the most orders of one customer; `manage_link` is the first), then one column per extra header
 * of the export under its safe name (issue 21).
 */
export interface ExportLayout {
  links: number;
  extra: string[];
  /** --all: a `status` and a `notes` column. */
  state?: boolean;
}

/** The names of a layout's columns after EXPORT_COLUMNS. */
export function layoutColumns(layout: ExportLayout): string[] {
  return [...Array.from({ length: Math.max(0, layout.links - 1) }, (_, i) => `manage_link_${i + 2}`), ...layout.extra, ...(layout.state === true ? ['status', 'notes'] : [])];
}

/** What `dunning export` writes. */
export interface ExportOptions {
  /** Every customer with open cases, not only those due now. */
  all: boolean;
  /**
   * Record the exported customers as sent: the merchant mailed them through another tool. A stage
   * name exports and records only that stage's customers; `true` records each row's own stage.
   */
  markSent: string | true | undefined;
  /** Only the customers due for this stage. */
  stage?: string | undefined;
  /** With `all`: stopped customers too (left out otherwise). */
  includeStopped?: boolean | undefined;
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
export type RowWriter = (pages: AsyncIterable<ExportRow[]> | Iterable<ExportRow[]>, layout: ExportLayout) => Promise<number>;

/**
 * The merge-field export: one row per customer due now (and with `all` every other customer with
 * open cases), from the same plan send makes, without its caps. Nothing is recorded unless
 * `markSent`: then each exported customer of that stage is claimed and recorded as sent, so the
 * sequence moves on and nobody gets that stage twice.
 */
export async function exportCustomers(deps: ExportDeps, options: ExportOptions, write: RowWriter): Promise<{ customers: number; marked: number }> {
  if (typeof options.markSent === 'string') checkStageOption(deps.config, '--mark-sent', options.markSent);
  if (options.stage !== undefined) checkStageOption(deps.config, '--stage', options.stage);
  if (typeof options.markSent === 'string' && options.stage !== undefined && options.markSent !== options.stage) {
    throw new DunningError(`--mark-sent ${options.markSent} and --stage ${options.stage} name two stages`, { hint: 'give one: --mark-sent STAGE exports and records only that stage' });
  }
  // The file holds exactly what is recorded: --mark-sent STAGE narrows the export to that stage (issue 21).
  const stage = options.stage ?? (typeof options.markSent === 'string' ? options.markSent : undefined);
  const extra = extraColumns(await deps.store.cases.extraColumnNames());
  if (options.markSent === undefined) {
    const layout = { links: await mostOrders(deps, options.all, stage), extra, state: options.all };
    return { customers: await write(plainRows(deps, options.all, stage, options.includeStopped === true), layout), marked: 0 };
  }
  const marking = await codesForMarking(deps, stage);
  const layout = { links: Math.max(1, ...marking.messages.map((m) => m.cases.length)), extra };
  const rows: ExportRow[] = [];
  for (const m of marking.messages) rows.push(rowOf(m.customer, m.cases, m.stage, deps.config, marking.codes.get(m.customer.emailKey)?.promo, await chargesOf(deps, m)));
  const customers = await write([rows], layout);
  return { customers, marked: await markSent(deps, marking.messages, marking.codes) };
}

/** The merchant's own columns under their safe names, each once, none of ours. */
function extraColumns(headers: readonly string[]): string[] {
  return Object.keys(extraFields(headers.map((h) => ({ extra: { [h]: h } }))));
}

/** The most orders one row lists: how many link columns the CSV needs (a first pass over the same plan). */
async function mostOrders(deps: ExportDeps, all: boolean, stage: string | undefined): Promise<number> {
  let most = 1;
  for await (const page of loadPlan(deps.store, deps.config, { now: deps.now, capped: false, only: { stage } })) {
    for (const plan of page) most = Math.max(most, plan.message !== null ? plan.message.cases.length : all ? plan.decisions.length : 0);
  }
  return most;
}

/** The rows of a plain export: pool codes are handed out only when the export is marked as mailed, so it shows only a stage's fixed code. */
async function* plainRows(deps: ExportDeps, all: boolean, stage: string | undefined, includeStopped: boolean): AsyncGenerator<ExportRow[]> {
  const { config, now } = deps;
  for await (const page of loadPlan(deps.store, config, { now, capped: false, only: { stage } })) {
    const rows: ExportRow[] = [];
    for (const { message } of page) {
      if (message === null) continue;
      const row = rowOf(message.customer, message.cases, message.stage, config, fixedPromo(config, message, now), await chargesOf(deps, message));
      if (all) row.state = { status: 'due', notes: await notesOf(deps.store, message.customer.emailKey) };
      rows.push(row);
    }
    yield rows;
  }
  if (!all) return;
  for await (const page of loadPlan(deps.store, config, { now, capped: false })) {
    const rows: ExportRow[] = [];
    for (const plan of page) {
      if (plan.message !== null) continue;
      const status = await statusOf(deps.store, plan);
      // Stopped customers are no one's to mail: left out unless asked for (issue 21).
      if (status.startsWith('stopped') && !includeStopped) continue;
      const cases = plan.decisions.map(withDays);
      const claim = config.lateCharges === undefined ? undefined : await claimOfCases(deps.store, config, cases, calendarDateIn(now, config.timeZone));
      const row = rowOf(plan.customer, cases, { name: '', number: 0 }, config, undefined, { claim, payBy: null });
      row.state = { status, notes: await notesOf(deps.store, plan.customer.emailKey) };
      rows.push(row);
    }
    yield rows;
  }
}

/** A customer not due now: `stopped: REASON`, `snoozed until DATE`, or `waiting` (for a stage's moment, a gap, a person). */
async function statusOf(store: Store, plan: CustomerPlan): Promise<string> {
  const stopped = plan.decisions.find((d) => d.skip?.reason === 'stopped');
  if (stopped !== undefined) {
    const reason = (await store.customers.hold(plan.customer.emailKey))?.stopReason ?? stopped.case.stopReason;
    return reason === null || reason === undefined || reason === '' ? 'stopped' : `stopped: ${reason}`;
  }
  const snoozed = plan.decisions.find((d) => d.skip?.reason === 'snoozed');
  if (snoozed?.skip !== undefined && snoozed.skip !== null) return snoozed.skip.detail;
  return 'waiting';
}

/** The customer's notes, newest last, in one cell. */
async function notesOf(store: Store, emailKey: string): Promise<string> {
  return (await store.customers.notes(emailKey)).map((n) => `${n.createdAt.slice(0, 10)}: ${n.text}`).join(' | ');
}

function withDays(d: CaseDecision): CaseDecision['case'] & { daysOverdue: number } {
  return { ...d.case, daysOverdue: d.daysOverdue };
}

/** The messages of a marked export and their codes, handed out as a send would: checked against the pools first. */
async function codesForMarking(deps: ExportDeps, stage: string | undefined): Promise<{ messages: PlannedMessage[]; codes: Map<string, MessageCode | undefined> }> {
  const messages: PlannedMessage[] = [];
  const needs = new Map<string, number>();
  for await (const page of loadPlan(deps.store, deps.config, { now: deps.now, capped: false, only: { stage } })) {
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

/** A message's claim with late charges (with `lateCharges`) and its stage's pay-by day, for the claim columns. */
async function chargesOf(deps: ExportDeps, message: PlannedMessage): Promise<RowCharges> {
  const { payWithin } = message.stage;
  return { claim: await claimFor(deps.store, deps.config, message), payBy: payWithin === undefined ? null : payDeadline(message.now.getTime(), payWithin, deps.config.timeZone).date };
}

/** What a row says of the claim: its late charges and the pay-by day. */
interface RowCharges {
  claim: MessageClaim | undefined;
  payBy: CalendarDate | null;
}

function rowOf(customer: Customer, cases: readonly RowCase[], stage: { name: string; number: number }, config: AppConfig, promo: PromoOffer | undefined, charges: RowCharges): ExportRow {
  const pattern = compileTokenPattern(config.tokenPattern);
  const withLinks = cases.map((c) => {
    // A case's own link, or empty when its token cannot build one (the same rules as messages).
    const link = manageLinkOf(c, customer.email, config, pattern);
    return { ...c, manageLink: link.ok ? link.value : '' };
  });
  const fields = mergeFields({ customer, cases: withLinks, stage, locale: config.locale, timeZone: config.timeZone, company: config.sender.company, promo, ...charges });
  return { fields, manageLinks: withLinks.map((c) => c.manageLink).filter((l) => l !== ''), extra: extraFields(cases) };
}

/**
 * Records that the merchant mailed the customers due this stage through another tool: each message
 * is claimed and marked sent (channel "export") like a send would, under the send lock.
 */
async function markSent(deps: ExportDeps, messages: readonly PlannedMessage[], codes: ReadonlyMap<string, MessageCode | undefined>): Promise<number> {
  const { store, runId, now } = deps;
  await store.locks.acquire(SEND_LOCK, { runId, pid: process.pid, since: now.toISOString() });
  try {
    const claims = await store.messages.claim(
      // Each row's own stage: a file that mixes stages records each of them (issue 21).
      messages.map((m) => ({
          runId, emailKey: m.customer.emailKey, stage: m.stage.name, channel: 'export', template: m.stage.template, recipient: m.customer.email,
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
