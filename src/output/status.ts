import type { UnknownMessage } from '../app/ports.js';
import type { ClaimFigures } from '../app/late-charges.js';
import type { StatusResult } from '../app/status.js';
import { formatMoment } from '../core/moments.js';
import { formatMoney, toDecimalString } from '../core/money.js';
import type { CaseDecision } from '../core/plan.js';
import type { CaseStanding } from '../core/status.js';
import { maskToken } from '../core/text.js';
import { renderTable, utcStamp } from './table.js';
import type { Terminal } from './terminal.js';

// Reasons worth a merchant's attention in the overview; the others (not yet due, gap) show as the next date.
const ATTENTION = new Set(['stopped', 'rejected', 'bounced', 'unknown_message_pending', 'manual_follow_up', 'snoozed', 'paid', 'all_stages_sent']);

/**
 * The next stage and its moment ("second 2026-11-25", "final 2025-03-17 10:00", "reminder today"),
 * or "–" when none will come (attention says why).
 */
function describeNext(decision: CaseDecision | undefined, now: Date, timeZone: string): string {
  const next = decision?.next;
  if (next === null || next === undefined) return '–';
  const at = Date.parse(next.at);
  const label = next.repeat === 0 ? next.stage : `${next.stage} (repeat ${next.repeat})`;
  return `${label} ${at <= now.getTime() ? 'today' : formatMoment(at, timeZone)}`;
}

function attentionOf(row: CaseStanding, decision: CaseDecision | undefined): string {
  if (row.problem !== null) return row.problem;
  return decision?.skip !== null && decision?.skip !== undefined && ATTENTION.has(decision.skip.reason) ? decision.skip.detail : '';
}

/** Prints open cases as a table with totals per currency, or as one JSON document. */
export function printStatus(terminal: Terminal, view: StatusResult): void {
  if (terminal.json) {
    terminal.document({
      today: view.today,
      timeZone: view.timeZone,
      cases: view.rows.map((r) => ({
        id: r.case.id,
        source: r.case.source,
        orderId: r.case.orderId,
        email: r.case.email,
        firstName: r.case.firstName,
        lastName: r.case.lastName,
        product: r.case.product,
        openMinor: r.case.openMinor,
        open: toDecimalString(r.case.openMinor, r.case.currency),
        currency: r.case.currency,
        dueDate: r.case.dueDate,
        daysOverdue: r.daysOverdue,
        token: maskToken(r.case.token),
        problem: r.problem,
        next: r.decision.next,
        skip: r.decision.skip,
        claim: view.claims?.get(r.case.id) ?? null,
      })),
      totals: view.totals.map((t) => ({ ...t, open: toDecimalString(t.minor, t.currency) })),
      unknownMessages: view.unknown,
      claimProblem: view.problem,
      languageFallback: view.languageFallback,
    });
    return;
  }
  printUnknown(terminal, view.unknown);
  if (view.problem !== null) terminal.warn(`note: interest and fees not shown: ${view.problem}`);
  if (view.cases === 0) {
    terminal.out(`No open cases (today is ${view.today}, ${view.timeZone}).`);
    return;
  }
  const shown = view.rows;
  const claims = view.claims;
  const table = shown.map((r) => [
    customerName(r.case),
    r.case.orderId,
    r.case.product,
    formatMoney({ minor: r.case.openMinor, currency: r.case.currency }, view.locale),
    ...(claims === null ? [] : [claimCell(claims.get(r.case.id), view.locale)]),
    r.case.dueDate,
    r.daysOverdue > 0 ? String(r.daysOverdue) : r.daysOverdue === 0 ? 'due today' : `in ${-r.daysOverdue}`,
    describeNext(r.decision, view.now, view.timeZone),
    attentionOf(r, r.decision),
  ]);
  const claimColumn = claims === null ? [] : ['with interest and fees'];
  const aligns = ['left', 'left', 'left', 'right', ...(claims === null ? [] : ['right' as const]), 'left', 'right'] as const;
  terminal.out(renderTable(['customer', 'order', 'product', 'open', ...claimColumn, 'due', 'days overdue', 'next', 'attention'], table, [...aligns]));
  if (shown.length < view.cases) terminal.out(`… ${view.cases - shown.length} more (--all shows every case, --json prints them all)`);
  const totals = view.totals.map((t) => `${formatMoney(t, view.locale)} in ${t.cases} case${t.cases === 1 ? '' : 's'}`).join(', ');
  terminal.out(`Open: ${totals} (today is ${view.today}, ${view.timeZone})`);
}

/** Lists messages in state unknown, which are never resent automatically, with what to do about them. */
function printUnknown(terminal: Terminal, unknown: readonly UnknownMessage[]): void {
  if (unknown.length === 0) return;
  terminal.out(`${unknown.length} message${unknown.length === 1 ? '' : 's'} in state unknown (a run died while sending; never resent automatically):`);
  const rows = unknown.map((m) => [String(m.runId), m.recipient, m.stage, m.orderIds, utcStamp(m.createdAt), m.messageId]);
  terminal.out(renderTable(['run', 'to', 'stage', 'orders', 'since (UTC)', 'Message-ID'], rows, ['right']));
  terminal.out('Check your mail server\'s log for these Message-IDs; to send them again: dunning send --retry-unknown');
  terminal.out('');
}

/** A case's claim to today (principal, interest and fees), or nothing for a case that owes none yet. */
function claimCell(claim: ClaimFigures | undefined, locale: string): string {
  return claim === undefined ? '' : formatMoney({ minor: claim.totalMinor, currency: claim.currency }, locale);
}

function customerName(c: CaseStanding['case']): string {
  const name = `${c.firstName} ${c.lastName}`.trim();
  return name === '' ? c.email : `${name} <${c.email}>`;
}
