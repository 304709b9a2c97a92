import { compareCase } from '../core/cases.js';
import { NEW_CASES_PER_STATEMENT, type CaseWriter, type ImportCounts } from '../store/case-writer.js';
import type { IdSet } from './id-set.js';
import type { RepeatFilter } from './repeat-filter.js';
import type { OpenedExport } from './open-export.js';
import { cellsOf, headerOf, type CellProblem, type ReadRow, type StoredOrder } from './read-rows.js';
import { streamRows, WORKER_FROM_BYTES } from './stream-rows.js';

/** A bad row, as printed: `FILE:LINE: column "Header": what is wrong`. */
export interface RowProblem {
  file: string;
  line: number;
  column: string | null;
  message: string;
}

/** Where one file's rows go and what they may touch. */
export interface FileSink {
  writer: CaseWriter;
  importId: number;
  now: string;
  /** Cases listed by this import so far (all files of the run): snapshot closing and duplicates. */
  seen: IdSet;
  /** The (order ID, due date) keys of the run's rows so far: a parsing thread sends the cells of a possible repeat only. */
  repeats: RepeatFilter;
  /** The source had no cases when the run began: every row is new unless listed twice, so no lookup is needed. */
  fresh: boolean;
  onProblems: (problems: readonly RowProblem[], line: number, cells: readonly string[]) => void;
  onBytes?: (bytes: number) => void;
}

/** Counts of one file, with the details the summary mentions. */
export interface FileCounts extends ImportCounts {
  partialPayments: number;
  reopened: number;
  alreadyPaid: number;
}

/** Reads every row of an export and applies it to the store; bad rows go to onProblem. */
export async function importRows(opened: OpenedExport, sink: FileSink): Promise<{ counts: FileCounts; sha256: string; bytes: number }> {
  const counts: FileCounts = { rows: 0, new: 0, updated: 0, closed: 0, unchanged: 0, rejected: 0, partialPayments: 0, reopened: 0, alreadyPaid: 0 };
  const reject = (line: number, cells: readonly string[], problems: readonly CellProblem[]): void => {
    counts.rejected++;
    sink.onProblems(problems.map((p) => ({ file: opened.path, line, column: p.column, message: p.message })), line, cells);
  };
  const rejectRepeat = (row: GoodRow, why: string): void => reject(row.line, repeatedCells(row, opened.path), [{ column: headerOf(opened, 'order_id'), message: why }]);
  const newCases = new NewCases(opened.source, sink, counts, (row) => rejectRepeat(row, listedTwice(row.order)));
  const result = await streamRows(opened, {
    inWorker: opened.size >= WORKER_FROM_BYTES,
    repeats: sink.repeats,
    onBytes: sink.onBytes,
    onRows: (rows) => {
      for (const row of rows) {
        counts.rows++;
        if (!row.ok) {
          // Rows waiting to be added go first: a repeat among them is reported before this row, in file order.
          newCases.flush();
          reject(row.line, row.cells, row.problems);
        } else {
          const duplicate = applyLine(row, opened.source, sink, counts, newCases);
          if (duplicate !== undefined) rejectRepeat(row, duplicate);
        }
      }
      newCases.flush();
    },
  });
  return { counts, sha256: result.sha256, bytes: result.bytes };
}

/** The cells of a row listed twice; the parsing thread sends them for every key the run read before. */
function repeatedCells(row: ReadRow, file: string): string[] {
  const cells = cellsOf(row);
  if (cells === null) throw new Error(`${file}:${row.line}: a repeated row arrived without its cells (the repeat filter missed its key)`);
  return cells;
}

type GoodRow = Extract<ReadRow, { ok: true }>;

/**
 * Open cases of a source that had none, added NEW_CASES_PER_STATEMENT to a statement. Such a row
 * can only be new or listed twice; when a statement meets a repeated key it adds nothing, and its
 * rows are added one by one to find the repeat.
 */
class NewCases {
  private pending: GoodRow[] = [];

  constructor(
    private readonly source: string,
    private readonly sink: FileSink,
    private readonly counts: FileCounts,
    private readonly onRepeat: (row: GoodRow) => void,
  ) {}

  add(row: GoodRow): void {
    this.pending.push(row);
    if (this.pending.length === NEW_CASES_PER_STATEMENT) this.flush();
  }

  /** Adds the rows waiting. */
  flush(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const { writer, importId, now, seen } = this.sink;
    const first = rows.length === NEW_CASES_PER_STATEMENT ? writer.insertMany(this.source, rows, importId, now) : undefined;
    if (first !== undefined) {
      for (let id = first; id < first + rows.length; id++) seen.add(id);
      this.counts.new += rows.length;
      return;
    }
    for (const row of rows) {
      const id = writer.insertUnseen(this.source, row.order, row.extraJson, importId, now);
      if (id === undefined) {
        this.onRepeat(row);
        continue;
      }
      seen.add(id);
      this.counts.new++;
    }
  }
}

/** Applies one good row; returns why it is a duplicate, if it is one. */
function applyLine(row: GoodRow, source: string, sink: FileSink, counts: FileCounts, newCases: NewCases): string | undefined {
  const { order: line, extraJson } = row;
  const known = sink.fresh ? undefined : sink.writer.find(source, line.orderId, line.dueDate);
  if (known !== undefined && sink.seen.has(known.id)) return listedTwice(line);
  const change = compareCase(known, line, extraJson);
  if (change.kind === 'new') {
    if (change.status === 'paid') {
      counts.alreadyPaid++;
      return undefined;
    }
    // A source without cases has no key to look up: its rows are added in statements of many, where the store finds repeats.
    if (sink.fresh) {
      newCases.add(row);
      return undefined;
    }
    sink.seen.add(sink.writer.insert(source, line, extraJson, sink.importId, sink.now));
    counts.new++;
    return undefined;
  }
  if (known === undefined) return undefined;
  sink.seen.add(known.id);
  if (change.kind === 'unchanged') {
    counts.unchanged++;
    return undefined;
  }
  sink.writer.update(known, line, extraJson, change, sink.importId, sink.now);
  if (change.status === 'paid' && known.status === 'open') counts.closed++;
  else counts.updated++;
  if (change.paymentMinor > 0 && change.status === 'open') counts.partialPayments++;
  if (change.reopened) counts.reopened++;
  return undefined;
}


/** Why a row is refused when its order and due date came before (built only then, not for every row). */
function listedTwice(line: StoredOrder): string {
  return `order "${line.orderId}" with due date ${line.dueDate} is listed twice; each order and due date once`;
}
