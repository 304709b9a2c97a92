import { stringify } from 'csv-stringify/sync';
import type { HandoverCase } from '../app/handover.js';
import { toDecimalString } from '../core/money.js';
import { neutraliseFormula } from '../core/spreadsheet.js';
import type { Terminal } from './terminal.js';
import { writeTextWhole } from './write-whole.js';

const COLUMNS = [
  'email', 'first_name', 'last_name', 'customer_type', 'source', 'order_id', 'product', 'due_date', 'first_seen',
  'currency', 'principal', 'interest', 'fees', 'total', 'reminders',
] as const;

/**
 * The hand-over to collections as CSV: one row per case, the claim to today, every reminder sent
 * with its date and Message-ID (the proof of sending), and the export's other columns (an address,
 * a customer number) after them. Cells a spreadsheet would run as formulas are neutralised.
 */
export function handoverCsv(cases: readonly HandoverCase[]): string {
  const extra = [...new Set(cases.flatMap(({ case: c }) => Object.keys(c.extra)))];
  const rows = cases.map((h) => {
    const c = h.case;
    const amount = (minor: number): string => toDecimalString(minor, c.currency);
    const reminders = h.reminders.map((r) => `${r.sentAt} ${r.stage} ${r.messageId}`).join('; ');
    const cells = [
      c.email, c.firstName, c.lastName, h.customerType, c.source, c.orderId, c.product, c.dueDate, c.openedAt.slice(0, 10),
      c.currency, amount(h.principalMinor), amount(h.interestMinor), amount(h.feesMinor), amount(h.totalMinor), reminders,
      ...extra.map((name) => c.extra[name] ?? ''),
    ];
    return cells.map(neutraliseFormula);
  });
  return `\ufeff${stringify([[...COLUMNS, ...extra], ...rows])}`;
}

/** Prints the hand-over CSV, or writes it (0600, whole) and says what was written and recorded. */
export function printHandover(terminal: Terminal, cases: readonly HandoverCase[], marked: number, file: string | undefined): void {
  const csv = handoverCsv(cases);
  if (file === undefined) terminal.text(csv);
  else writeTextWhole(file, csv);
  if (terminal.json) terminal.document({ cases: cases.map(handoverJson), marked, file: file ?? null });
  const what = `${cases.length} case${cases.length === 1 ? '' : 's'} to hand over`;
  const where = file === undefined ? '' : ` written to ${file}`;
  terminal.warn(marked > 0 ? `${what}${where}; recorded as handed over: no more messages about them (dunning customer ADDR --resume reopens one)` : `${what}${where}; nothing was recorded (add --mark-handed-over once you have handed them over)`);
}

/** One case of the hand-over in `--json`: the CSV's columns, amounts as decimals and in minor units. */
function handoverJson(h: HandoverCase): Record<string, unknown> {
  const c = h.case;
  const amount = (minor: number): string => toDecimalString(minor, c.currency);
  return {
    email: c.email, firstName: c.firstName, lastName: c.lastName, customerType: h.customerType, source: c.source, orderId: c.orderId, product: c.product,
    dueDate: c.dueDate, firstSeen: c.openedAt.slice(0, 10), currency: c.currency,
    principal: amount(h.principalMinor), interest: amount(h.interestMinor), fees: amount(h.feesMinor), total: amount(h.totalMinor),
    principalMinor: h.principalMinor, interestMinor: h.interestMinor, feesMinor: h.feesMinor, totalMinor: h.totalMinor,
    reminders: h.reminders.map((r) => ({ sentAt: r.sentAt, stage: r.stage, messageId: r.messageId })), extra: c.extra,
  };
}
