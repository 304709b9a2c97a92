import { compareCase, isPaidInFull, type KnownCase, type StoredOrder } from '../core/cases.js';
import type { IdSet } from '../core/id-set.js';
import type { FollowUpOrder, NotOpenLine } from '../core/order-line.js';
import { cellsOf, headerOf, type CellProblem, type ReadRow } from '../import/read-rows.js';
import type { OpenedExport } from '../import/open-export.js';
import type { ExportReader } from '../import/parallel/index.js';
import type { CaseUpdate, ImportCounts, ImportSession, NewCase } from './ports.js';

/** A bad row, as printed: `FILE:LINE: column "Header": what is wrong`. */
export interface RowProblem {
  file: string;
  line: number;
  column: string | null;
  message: string;
}

/** Counts of one file, with the details the summary mentions. */
export interface FileCounts extends ImportCounts {
  partialPayments: number;
  reopened: number;
  alreadyPaid: number;
  /** Rows that are no open debt (paid, refunded, cancelled, draft, ... orders): not rejected, not cases. */
  notOpen: number;
  /** Of those, how many per status value as the export wrote it (lower case). */
  notOpenByStatus: Record<string, number>;
  /** Open cases closed as cancelled because the export says their order was refunded, cancelled or voided. */
  cancelled: number;
  /** Orders to follow up by hand, never mailed (Stripe's `uncollectible` invoices), in file order. */
  followUp: FollowUpEntry[];
}

/** One order for manual follow-up: who owes what, the status as written, and how many of its open cases closed. */
export interface FollowUpEntry extends FollowUpOrder {
  orderId: string | null;
  status: string;
  /** Cases of the order that were open and closed now, so that no reminder goes out. */
  closedCases: number;
}

/** Where one file's rows go and what they may touch. */
export interface FileSink {
  session: ImportSession;
  reader: ExportReader;
  importId: number;
  now: string;
  /** Cases listed by this import so far (all files of the run): snapshot closing and duplicates. */
  seen: IdSet;
  /** The source had no cases when the run began: every row is new unless listed twice, so no lookup is needed. */
  fresh: boolean;
  onProblems: (problems: readonly RowProblem[], line: number, cells: readonly string[]) => void;
  onBytes?: ((bytes: number) => void) | undefined;
}

/** Zero of every count. */
export function emptyCounts(): FileCounts {
  return { rows: 0, new: 0, updated: 0, closed: 0, unchanged: 0, rejected: 0, partialPayments: 0, reopened: 0, alreadyPaid: 0, notOpen: 0, notOpenByStatus: {}, cancelled: 0, followUp: [] };
}

/** Reads every row of an export and applies it to the store, batch by batch; bad rows go to onProblems in file order. */
export async function importRows(file: OpenedExport, sink: FileSink): Promise<{ counts: FileCounts; sha256: string; bytes: number }> {
  const counts = emptyCounts();
  const stream = sink.reader.read(file, sink.onBytes);
  for await (const rows of stream.rows) {
    const verdicts = await applyBatch(rows, file, sink, counts);
    rows.forEach((row, i) => {
      counts.rows++;
      const problems = verdicts[i];
      if (problems === undefined) return;
      counts.rejected++;
      const cells = row.ok ? repeatedCells(row, file.path) : row.cells;
      sink.onProblems(problems.map((p) => ({ file: file.path, line: row.line, column: p.column, message: p.message })), row.line, cells);
    });
  }
  const { sha256, bytes } = await stream.result;
  return { counts, sha256, bytes };
}

/** A good row waiting for its new case's id. */
interface Pending {
  index: number;
  order: StoredOrder;
}

/**
 * Applies a batch of rows in file order: the cases they name are looked up in one go (not at all
 * for a source that had none), new ones written together, changed ones updated. Returns each row's
 * problems, or undefined for a row that went in; a row repeating an order and due date is refused.
 */
async function applyBatch(rows: readonly ReadRow[], file: OpenedExport, sink: FileSink, counts: FileCounts): Promise<(CellProblem[] | undefined)[]> {
  const verdicts: (CellProblem[] | undefined)[] = rows.map((row) => (row.ok || row.notOpen !== undefined ? undefined : row.problems));
  for (const row of rows) if (!row.ok && row.notOpen !== undefined) await applyNotOpen(row.notOpen, file, sink, counts);
  const good = rows.flatMap((row, index) => (row.ok ? [{ index, row }] : []));
  const known = sink.fresh ? [] : await sink.session.findCases(file.source, good.map(({ row }) => row.order));
  const added: Pending[] = [];
  const addedCases: NewCase[] = [];
  const updates: CaseUpdate[] = [];
  good.forEach(({ index, row }, k) => {
    const found = known[k];
    if (found !== undefined && sink.seen.has(found.id)) {
      verdicts[index] = [repeatProblem(file, row.order)];
      return;
    }
    const change = compareCase(found, row.order, row.extraJson);
    if (change.kind === 'new') {
      if (isPaidInFull(row.order)) counts.alreadyPaid++;
      else {
        added.push({ index, order: row.order });
        addedCases.push({ order: row.order, extraJson: row.extraJson });
      }
      return;
    }
    if (found === undefined) return;
    sink.seen.add(found.id);
    if (change.kind === 'unchanged') {
      counts.unchanged++;
      return;
    }
    updates.push({ known: found, order: row.order, extraJson: row.extraJson, status: change.status, closedReason: change.closedReason, paymentMinor: change.paymentMinor });
    countUpdate(counts, found, change);
  });
  if (addedCases.length > 0) {
    const ids = await sink.session.addCases(file.source, addedCases, sink.importId, sink.now);
    added.forEach(({ index, order }, k) => {
      const id = ids[k];
      if (id === undefined) verdicts[index] = [repeatProblem(file, order)];
      else {
        sink.seen.add(id);
        counts.new++;
      }
    });
  }
  if (updates.length > 0) await sink.session.updateCases(updates, sink.importId, sink.now);
  return verdicts;
}

/**
 * A row that is no open debt: counted by its status, and when the status says paid or refunded,
 * cancelled, voided, the order's open cases close. Its cases count as listed, so a snapshot does
 * not close them a second time.
 */
async function applyNotOpen(row: NotOpenLine, file: OpenedExport, sink: FileSink, counts: FileCounts): Promise<void> {
  counts.notOpen++;
  const key = row.value === '' ? '(empty)' : row.value;
  counts.notOpenByStatus[key] = (counts.notOpenByStatus[key] ?? 0) + 1;
  const followUp = row.status === 'follow_up' ? { orderId: row.orderId, status: row.value, ...(row.followUp ?? NO_DETAILS), closedCases: 0 } : null;
  if (followUp !== null) counts.followUp.push(followUp);
  if (row.orderId === null || sink.fresh) return;
  const cases = await sink.session.findOrderCases(file.source, row.orderId);
  for (const c of cases) sink.seen.add(c.id);
  if (row.status === 'other') return;
  const open = cases.filter((c) => c.status === 'open').map((c) => c.id);
  if (open.length === 0) return;
  // An order to follow up by hand closes like a cancelled one: no reminder for it ever again.
  await sink.session.closeOrderCases(open, row.status === 'paid' ? 'paid' : 'cancelled', sink.importId, sink.now);
  if (followUp !== null) followUp.closedCases = open.length;
  else if (row.status === 'paid') counts.closed += open.length;
  else counts.cancelled += open.length;
}

const NO_DETAILS: FollowUpOrder = { email: '', name: '', openMinor: null, currency: '' };

function countUpdate(counts: FileCounts, known: KnownCase, change: { status: string; paymentMinor: number; reopened: boolean }): void {
  if (change.status === 'paid' && known.status === 'open') counts.closed++;
  else counts.updated++;
  if (change.paymentMinor > 0 && change.status === 'open') counts.partialPayments++;
  if (change.reopened) counts.reopened++;
}

/** Why a row is refused when its order and due date came before. */
function repeatProblem(file: OpenedExport, order: StoredOrder): CellProblem {
  return { column: headerOf(file, 'order_id'), message: `order "${order.orderId}" with due date ${order.dueDate} is listed twice; each order and due date once` };
}

/** The cells of a row listed twice; the parsing thread sends them for every key the run read before. */
function repeatedCells(row: ReadRow, file: string): string[] {
  const cells = cellsOf(row);
  if (cells === null) throw new Error(`${file}:${row.line}: a repeated row arrived without its cells (the repeat filter missed its key)`);
  return cells;
}
