import type { CsvRecord } from './csv-reader.js';
import type { RowLayout } from './read-rows.js';

/**
 * Joins the line-item rows of one order (Shopify writes one row per product, the order-level
 * cells only in the first): a row with the same order ID and no e-mail continues the order above.
 * Its product is added to the order's, and an order-level cell the first row left empty is taken
 * from it. Every other record passes through as it is, in file order.
 */
export class LineItemJoiner {
  private held: CsvRecord | undefined;
  private readonly order: number;
  private readonly email: number;
  private readonly product: number;

  constructor(
    private readonly layout: RowLayout,
    private readonly emit: (record: CsvRecord) => void,
  ) {
    const at = (field: 'order_id' | 'email' | 'product'): number => layout.mapping.fields.get(field)?.index ?? -1;
    this.order = at('order_id');
    this.email = at('email');
    this.product = at('product');
  }

  /** True when the layout's preset writes one row per line item. */
  static applies(layout: RowLayout): boolean {
    return layout.mapping.preset?.lineItems === true;
  }

  push(record: CsvRecord): void {
    const held = this.held;
    if (held !== undefined && this.continues(held, record)) {
      this.join(held, record);
      return;
    }
    if (held !== undefined) this.emit(held);
    this.held = record;
  }

  /** Emits the last order; call once the file is read. */
  end(): void {
    if (this.held !== undefined) this.emit(this.held);
    this.held = undefined;
  }

  private continues(held: CsvRecord, record: CsvRecord): boolean {
    if (held.malformed || record.malformed || this.order < 0) return false;
    const width = this.layout.headers.length;
    if (held.cells.length !== width || record.cells.length !== width) return false;
    const id = (held.cells[this.order] ?? '').trim();
    return id !== '' && (record.cells[this.order] ?? '').trim() === id && (this.email < 0 || (record.cells[this.email] ?? '').trim() === '');
  }

  private join(held: CsvRecord, record: CsvRecord): void {
    const cells = held.cells;
    const item = (record.cells[this.product] ?? '').trim();
    if (this.product >= 0 && item !== '') {
      const products = (cells[this.product] ?? '').trim();
      cells[this.product] = products === '' ? item : `${products}, ${item}`;
    }
    for (const { index } of this.layout.mapping.fields.values()) {
      if (index === this.product || (cells[index] ?? '').trim() !== '') continue;
      const value = record.cells[index] ?? '';
      if (value.trim() !== '') cells[index] = value;
    }
    held.endLine = record.endLine;
    held.undecodable ??= record.undecodable;
  }
}
