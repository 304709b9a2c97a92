import { NEW_CASES_PER_INSERT, type CaseWriter } from '../store/case-writer.js';
import type { ReadRow } from './read-rows.js';

/** A row that read as a good order line. */
export type GoodRow = Extract<ReadRow, { ok: true }>;

/** Where the new cases of one file go: the store, and who hears of each row once it is written. */
export interface NewCaseTarget {
  writer: CaseWriter;
  source: string;
  importId: number;
  now: string;
  /** Called in file order for every row added: with the new case's id, or undefined when the row lists a key twice. */
  onWritten: (row: GoodRow, id: number | undefined) => void;
}

/**
 * The new cases of a source that had none, written NEW_CASES_PER_INSERT to a statement; what is
 * left at a rejected row or the end of a file goes one by one. As with one row at a time, the first
 * listing of an order and due date becomes the case and a later one is reported as a repeat.
 */
export class NewCaseQueue {
  private readonly waiting: GoodRow[] = [];

  constructor(private readonly target: NewCaseTarget) {}

  /** Queues a row's case; a full group is written at once. */
  add(row: GoodRow): void {
    this.waiting.push(row);
    if (this.waiting.length === NEW_CASES_PER_INSERT) this.flush();
  }

  /** Writes what is queued: before a rejected row is reported (the rejects keep file order) and at the end of a file. */
  flush(): void {
    const { writer, source, importId, now, onWritten } = this.target;
    const rows = this.waiting;
    if (rows.length === NEW_CASES_PER_INSERT) {
      const ids = writer.insertUnseenMany(source, rows, importId, now);
      rows.forEach((row, i) => onWritten(row, ids[i]));
    } else {
      for (const row of rows) onWritten(row, writer.insertUnseen(source, row.order, row.extraJson, importId, now));
    }
    rows.length = 0;
  }
}
