/** The store's tables as plain rows: `db migrate` and `db copy` (issue 25). See ../ports.ts. */
/** The schema version a database had when this process opened it, and has now. */
export interface SchemaVersions {
  before: number;
  now: number;
}

/**
 * The store's tables as plain rows, for `db migrate` and `db copy` (moving a shop's history from
 * one database to another). Every adapter lists the same tables and columns in the same order.
 */
export interface StoreTables {
  readonly schema: SchemaVersions;
  /** Every table, in an order where a row refers only to rows of tables listed before it. */
  names(): readonly string[];
  count(table: string): Promise<number>;
  /** A table's rows in batches, each row an array in the order of the table's columns, oldest first. */
  read(table: string): AsyncIterable<unknown[][]>;
  /** Whether every table is empty. */
  isEmpty(): Promise<boolean>;
  /**
   * Writes every table's rows in one transaction, keeping their ids (and numbering new rows after
   * them); refused (nothing written) when the rows written differ from `expected` or a table was
   * not empty. Returns how many rows each table has.
   */
  fill(rows: (table: string) => AsyncIterable<unknown[][]>, expected: Readonly<Record<string, number>>): Promise<Record<string, number>>;
}
