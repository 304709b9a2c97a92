import type { NotOpenLine } from '../../core/order-line.js';
import { customerTypeOf } from '../../core/customer-type.js';
import type { CellProblem, ReadRow, StoredOrder } from '../read-rows.js';

/**
 * Rows on their way from the parsing thread to the writing one. The text of every good row sits
 * back to back in ONE string, cut apart by lengths in a typed array, and the amounts in another:
 * cloning the fields one by one (16 strings and numbers a row) cost 2.6 s of the parsing thread
 * and 1.4 s of the writing one over a 1M-row import; one string and two typed arrays clone at
 * memcpy speed. Rare parts (a bad row, the cells of a possible repeat) travel as JSON.
 */
export interface RowBatch {
  text: string;
  /** Per row: its line and kind; a good row then the length of each text field (see TEXT_FIELDS). */
  ints: Int32Array;
  /** Per good row: open and paid amount in minor units. */
  amounts: Float64Array;
  /** Per bad row: cells and problems as JSON; per good row of kind GOOD_MAY_REPEAT: its cells as JSON. */
  rare: string[];
}

const BAD = 0;
const GOOD = 1;
/** A good row whose key the run may have read before: its cells come along for the rejects file. */
const GOOD_MAY_REPEAT = 2;
/** A row that is no open debt: its order ID and status travel as JSON. */
const NOT_OPEN = 3;

// The text fields of a good row, in the order they are packed. -1: null; for emailKey, -2: the address itself.
const TEXT_FIELDS = ['email', 'emailKey', 'firstName', 'lastName', 'orderId', 'product', 'currency', 'dueDate', 'dueAt', 'token', 'localeHint', 'payLink', 'customerType'] as const;
const INTS_PER_GOOD_ROW = 2 + TEXT_FIELDS.length + 1; // line, kind, the fields, the extra columns' JSON
const NULL = -1;
const SAME_AS_EMAIL = -2;

/** Collects the rows of one batch in the parsing thread. */
export class RowBatchWriter {
  private text = '';
  private ints: Int32Array<ArrayBuffer>;
  private amounts: Float64Array<ArrayBuffer>;
  private rare: string[] = [];
  private intCount = 0;
  private goodRows = 0;

  constructor(maxRows: number) {
    this.ints = new Int32Array(maxRows * INTS_PER_GOOD_ROW);
    this.amounts = new Float64Array(maxRows * 2);
  }

  /** Adds one row; a good row's cells only when `mayRepeat`. */
  add(row: ReadRow, mayRepeat: boolean): void {
    const ints = this.ints;
    ints[this.intCount++] = row.line;
    if (!row.ok && row.notOpen !== undefined) {
      ints[this.intCount++] = NOT_OPEN;
      this.rare.push(JSON.stringify(row.notOpen));
      return;
    }
    if (!row.ok) {
      ints[this.intCount++] = BAD;
      this.rare.push(cellsJson(row.cells), JSON.stringify(row.problems));
      return;
    }
    ints[this.intCount++] = mayRepeat ? GOOD_MAY_REPEAT : GOOD;
    if (mayRepeat) this.rare.push(cellsJson(row.cells));
    const o = row.order;
    this.addText(o.email);
    if (o.emailKey === o.email) ints[this.intCount++] = SAME_AS_EMAIL;
    else this.addText(o.emailKey);
    this.addText(o.firstName);
    this.addText(o.lastName);
    this.addText(o.orderId);
    this.addText(o.product);
    this.addText(o.currency);
    this.addText(o.dueDate);
    this.addText(o.dueAt);
    this.addText(o.token);
    this.addText(o.localeHint);
    this.addText(o.payLink ?? null);
    this.addText(o.customerType ?? null);
    this.addText(row.extraJson);
    this.amounts[this.goodRows * 2] = o.openMinor;
    this.amounts[this.goodRows * 2 + 1] = o.paidMinor;
    this.goodRows++;
  }

  /** The rows added since the last take, and the buffers to transfer with them; starts a new batch. */
  take(): { batch: RowBatch; transfer: ArrayBuffer[] } {
    const batch: RowBatch = { text: this.text, ints: this.ints.subarray(0, this.intCount), amounts: this.amounts.subarray(0, this.goodRows * 2), rare: this.rare };
    const transfer = [this.ints.buffer, this.amounts.buffer];
    this.text = '';
    this.rare = [];
    this.intCount = 0;
    this.goodRows = 0;
    this.ints = new Int32Array(this.ints.length);
    this.amounts = new Float64Array(this.amounts.length);
    return { batch, transfer };
  }

  /** True when no row was added since the last take. */
  get isEmpty(): boolean {
    return this.intCount === 0;
  }

  private addText(value: string | null): void {
    if (value === null) {
      this.ints[this.intCount++] = NULL;
      return;
    }
    this.text += value;
    this.ints[this.intCount++] = value.length;
  }
}

/** The rows of a batch, in file order. */
export function readBatch(batch: RowBatch): ReadRow[] {
  const { text, ints, amounts, rare } = batch;
  const rows: ReadRow[] = [];
  let i = 0;
  let at = 0;
  let good = 0;
  let rareAt = 0;
  const next = (): string | null => {
    const length = ints[i++] ?? NULL;
    if (length < 0) return null;
    at += length;
    return text.slice(at - length, at);
  };
  while (i < ints.length) {
    const line = ints[i++] ?? 0;
    const kind = ints[i++];
    if (kind === NOT_OPEN) {
      rows.push({ line, ok: false, cells: [], problems: [], notOpen: JSON.parse(rare[rareAt++] ?? '{}') as NotOpenLine });
      continue;
    }
    if (kind === BAD) {
      rows.push({ line, ok: false, cells: JSON.parse(rare[rareAt++] ?? '[]') as string[], problems: JSON.parse(rare[rareAt++] ?? '[]') as CellProblem[] });
      continue;
    }
    const cells = kind === GOOD_MAY_REPEAT ? (rare[rareAt++] ?? null) : null;
    const email = next() ?? '';
    const emailKey = ints[i] === SAME_AS_EMAIL ? (i++, email) : (next() ?? '');
    // A literal's properties are evaluated in the order written: the order of TEXT_FIELDS.
    const order: StoredOrder = {
      email,
      emailKey,
      firstName: next() ?? '',
      lastName: next() ?? '',
      orderId: next() ?? '',
      product: next() ?? '',
      currency: next() ?? '',
      dueDate: next() ?? '',
      dueAt: next(),
      token: next(),
      localeHint: next(),
      payLink: next(),
      customerType: customerTypeOf(next()),
      openMinor: amounts[good * 2] ?? 0,
      paidMinor: amounts[good * 2 + 1] ?? 0,
    };
    good++;
    rows.push({ line, ok: true, order, extraJson: next() ?? '{}', cells });
  }
  return rows;
}

/** A row's cells as one JSON string for the trip between threads. */
function cellsJson(cells: string[] | string | null): string {
  return typeof cells === 'string' ? cells : JSON.stringify(cells ?? []);
}
