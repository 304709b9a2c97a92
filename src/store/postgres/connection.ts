import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/** A parameter of a query. */
export type Param = string | number | boolean | null | readonly (string | number | null)[];

const INT8 = 20;
const TIMESTAMPTZ = 1184;
const defaultParser = pg.types.getTypeParser.bind(pg.types);
const parseTimestamp = defaultParser(TIMESTAMPTZ) as (text: string) => Date;

/**
 * How values come back: a bigint (ids, cents, counts) as a number, refused when it would lose
 * precision (no amount or id of a shop comes near 2^53); an instant as the ISO string the SQLite
 * adapter stores and returns (`2026-01-02T03:04:05.000Z`), so both adapters hand app/ the same text.
 */
export function typeParser(oid: number, format?: string): unknown {
  if (format === 'binary') return defaultParser(oid, 'binary');
  if (oid === INT8) return parseInt8;
  if (oid === TIMESTAMPTZ) return (text: string) => parseTimestamp(text).toISOString();
  return defaultParser(oid);
}

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`the database returned ${text}, beyond the integers JavaScript holds exactly`);
  return n;
}

/**
 * The pool of connections of one store. A transaction runs on one connection, and every query made
 * inside it (whichever port makes it) runs on that connection: the SQLite adapter has one
 * connection, so `customers.transaction(work)` may call any port inside `work`, and so may this one.
 */
export class PgDb {
  private readonly current = new AsyncLocalStorage<pg.PoolClient>();

  constructor(
    readonly pool: pg.Pool,
    /** The URL without its password, for messages. */
    readonly location: string,
  ) {}

  /** Rows of a query, on the transaction's connection when inside one. */
  async rows<R>(text: string, values: readonly Param[] = []): Promise<R[]> {
    const client = this.current.getStore();
    const result = await (client ?? this.pool).query(text, values as unknown[]);
    return result.rows as R[];
  }

  /** The first row of a query, if any. */
  async row<R>(text: string, values: readonly Param[] = []): Promise<R | undefined> {
    return (await this.rows<R>(text, values))[0];
  }

  /** How many rows a statement changed. */
  async run(text: string, values: readonly Param[] = []): Promise<number> {
    const client = this.current.getStore();
    return (await (client ?? this.pool).query(text, values as unknown[])).rowCount ?? 0;
  }

  /** Runs `work` in one transaction (joining the one already open in this async context, if any). */
  async transaction<T>(work: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
    if (this.current.getStore() !== undefined) return work();
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await this.current.run(client, work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Whether a query here runs inside a transaction. */
  inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The URL without its password: what messages and Store.location show. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^/:@\s]*):[^@\s]*@/, '$1@');
  }
}

/** PostgreSQL's identifier quoting, for names the program itself chose. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whether an error is PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '23505';
}

/** A 31-bit number from a name, the same in every process: keys of advisory locks. */
export function lockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash & 0x7fffffff;
}

/** The first key of every advisory lock dunning takes ("dunn"), so it shares no key with other programs. */
export const LOCK_SPACE = 0x64756e6e;
