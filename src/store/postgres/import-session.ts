import type pg from 'pg';
import type { CaseUpdate, ImportCounts, ImportSession, ImportStore, NewCase, PastImport } from '../../app/ports.js';
import type { KnownCase } from '../../core/cases.js';
import { LOCK_SPACE, lockKey, type Param, type PgDb } from './connection.js';
import { CaseCopy, KeyHashes, keyHash } from './copy-cases.js';

const KNOWN = `c.id, c.status, c.closed_reason AS "closedReason", c.due_at AS "dueAt", c.email, c.first_name AS "firstName", c.last_name AS "lastName",
  c.product, c.open_minor AS "openMinor", c.paid_minor AS "paidMinor", c.currency, c.token, c.locale_hint AS "localeHint", c.pay_link AS "payLink",
  c.customer_type AS "customerType", c.extra AS "extraJson"`;

// The columns of a new case that differ from row to row, each sent as one array per batch.
const NEW_CASE_ARRAYS = `unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
  $13::bigint[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::bigint[]) WITH ORDINALITY
  AS r(order_id, due_date, due_at, email, email_key, first_name, last_name, product, currency, open_minor, paid_minor, token, locale_hint, extra, pay_link, customer_type, id, n)`;

/**
 * Imports into PostgreSQL, each in one transaction on a connection of its own. Imports wait for
 * each other (an advisory lock for the transaction), as SQLite's BEGIN IMMEDIATE makes them do:
 * two hosts importing the same export at once would otherwise trip over each other's new cases.
 */
export function pgImportStore(db: PgDb): ImportStore {
  return {
    begin: async () => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_SPACE, lockKey('import')]);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        throw error;
      }
      return new PgImportSession(client, db);
    },
  };
}

/**
 * One import's transaction: every batch of rows is one statement, one round trip to the server;
 * new cases of a source that had none go by one COPY kept open across batches (copy-cases.ts).
 */
class PgImportSession implements ImportSession {
  private ended = false;
  private readonly copy: CaseCopy;
  /**
   * Per source that had no case when this import first added one: a hash of the key of every case
   * this import added to it since. A key not among them cannot be taken, so its case may go by COPY.
   */
  private readonly addedKeys = new Map<string, KeyHashes | null>();

  constructor(
    private readonly client: pg.PoolClient,
    private readonly db: PgDb,
  ) {
    this.copy = new CaseCopy(client);
  }

  /** Every statement of the session goes through here: the connection is the COPY's until it ends. */
  private async rows<R>(text: string, values: readonly Param[] = []): Promise<R[]> {
    await this.copy.end();
    return (await this.client.query(text, values as unknown[])).rows as R[];
  }

  async latestImport(source: string): Promise<PastImport | undefined> {
    const rows = await this.rows<PastImport>(
      `SELECT id, file_size AS "fileSize", file_sha256 AS sha256, settings_hash AS "settingsHash", imported_at AS "importedAt", rows, rejected
       FROM imports WHERE source = $1 ORDER BY id DESC LIMIT 1`,
      [source],
    );
    return rows[0];
  }

  async hasCases(source: string): Promise<boolean> {
    return (await this.rows('SELECT 1 FROM cases WHERE source = $1 LIMIT 1', [source])).length > 0;
  }

  async countOpen(source: string): Promise<number> {
    return (await this.rows<{ n: number }>("SELECT count(*) AS n FROM cases WHERE source = $1 AND status = 'open'", [source]))[0]?.n ?? 0;
  }

  async startImport(runId: number, source: string, file: string, mode: 'snapshot' | 'partial', settingsHash: string, at: string): Promise<number> {
    const rows = await this.rows<{ id: number }>(
      `INSERT INTO imports (run_id, source, file, file_size, file_sha256, settings_hash, mode, imported_at) VALUES ($1, $2, $3, 0, '', $4, $5, $6) RETURNING id`,
      [runId, source, file, settingsHash, mode, at],
    );
    return rows[0]?.id ?? 0;
  }

  async finishImport(importId: number, fileSize: number, sha256: string, counts: ImportCounts): Promise<void> {
    await this.rows(`UPDATE imports SET file_size = $1, file_sha256 = $2, rows = $3, new = $4, updated = $5, closed = $6, unchanged = $7, rejected = $8 WHERE id = $9`, [
      fileSize, sha256, counts.rows, counts.new, counts.updated, counts.closed, counts.unchanged, counts.rejected, importId,
    ]);
  }

  async findCases(source: string, keys: readonly { orderId: string; dueDate: string }[]): Promise<(KnownCase | undefined)[]> {
    if (keys.length === 0) return [];
    const found = await this.rows<KnownCase & { n: number }>(
      `SELECT k.n, ${KNOWN} FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(order_id, due_date, n)
       JOIN cases c ON c.source = $1 AND c.order_id = k.order_id AND c.due_date = k.due_date`,
      [source, keys.map((k) => k.orderId), keys.map((k) => k.dueDate)],
    );
    const byPlace = new Map(found.map(({ n, ...known }) => [n, known as KnownCase]));
    return keys.map((_, i) => byPlace.get(i + 1));
  }

  async addCases(source: string, cases: readonly NewCase[], importId: number, at: string): Promise<(number | undefined)[]> {
    if (cases.length === 0) return [];
    const ids = await this.takeIds(cases.length);
    const added = await this.keysAdded(source);
    // A key seen before (or sharing its hash with one) goes by INSERT, which skips it when taken.
    const copy = cases.map(({ order }) => added !== null && added.add(keyHash(order.orderId, order.dueDate)));
    const copied = cases.filter((_, i) => copy[i]);
    if (copied.length > 0) await this.copy.write(source, copied, ids.filter((_, i) => copy[i]), importId, at);
    if (copied.length === cases.length) return ids;
    const rest = cases.flatMap((c, i) => (copy[i] ? [] : [{ c, id: ids[i] ?? 0 }]));
    const written = new Set((await this.insertCases(source, rest, importId, at)).map((w) => w.id));
    return ids.map((id, i) => (copy[i] || written.has(id) ? id : undefined));
  }

  /**
   * Ids for new cases, in order, taken from the table's sequence in one step on a connection of
   * the pool (the session's may be busy with a COPY). Only an import adds cases, and imports wait
   * for each other, so no other session draws from the sequence between the two calls.
   */
  private async takeIds(count: number): Promise<number[]> {
    const seq = "pg_get_serial_sequence('cases', 'id')";
    const result = await this.db.pool.query<{ last: number }>(`SELECT setval(${seq}, nextval(${seq}) + $1::int - 1) AS last`, [count]);
    const last = Number(result.rows[0]?.last);
    return Array.from({ length: count }, (_, i) => last - count + 1 + i);
  }

  private async keysAdded(source: string): Promise<KeyHashes | null> {
    let added = this.addedKeys.get(source);
    if (added === undefined) {
      added = (await this.hasCases(source)) ? null : new KeyHashes();
      this.addedKeys.set(source, added);
    }
    return added;
  }

  /**
   * Inserts a batch in one statement. A key the batch lists twice, or a case written before has, is
   * skipped (ON CONFLICT); any other failure fails the statement, and then the row that broke it is
   * named (found by writing the rows one by one), as the SQLite adapter names it.
   */
  private async insertCases(source: string, cases: readonly { c: NewCase; id: number }[], importId: number, at: string): Promise<{ id: number }[]> {
    await this.rows('SAVEPOINT add_cases');
    try {
      const written = await this.insertStatement(source, cases, importId, at);
      await this.rows('RELEASE SAVEPOINT add_cases');
      return written;
    } catch (error) {
      await this.rows('ROLLBACK TO SAVEPOINT add_cases');
      for (const { c, id } of cases) {
        try {
          await this.insertStatement(source, [{ c, id }], importId, at);
        } catch (one) {
          const reason = one instanceof Error ? one.message : String(one);
          throw new Error(`the case of order "${c.order.orderId}" due ${c.order.dueDate} was not written: ${reason}`, { cause: one });
        }
      }
      throw error;
    }
  }

  private async insertStatement(source: string, cases: readonly { c: NewCase; id: number }[], importId: number, at: string): Promise<{ id: number }[]> {
    const o = cases.map(({ c }) => c.order);
    return this.rows<{ id: number }>(
      `INSERT INTO cases (id, source, order_id, due_date, due_at, email, email_key, first_name, last_name, product, currency, open_minor, paid_minor,
         first_open_minor, token, locale_hint, extra, pay_link, customer_type, status, opened_at, first_import_id, updated_import_id)
       SELECT r.id, $1, r.order_id, r.due_date, r.due_at, r.email, r.email_key, r.first_name, r.last_name, r.product, r.currency, r.open_minor, r.paid_minor,
         r.open_minor, r.token, r.locale_hint, r.extra, r.pay_link, r.customer_type, 'open', $2, $3, $3
       FROM ${NEW_CASE_ARRAYS} ORDER BY r.n
       ON CONFLICT (source, order_id, due_date) DO NOTHING
       RETURNING id`,
      [
        source, at, importId, o.map((x) => x.orderId), o.map((x) => x.dueDate), o.map((x) => x.dueAt), o.map((x) => x.email), o.map((x) => x.emailKey),
        o.map((x) => x.firstName), o.map((x) => x.lastName), o.map((x) => x.product), o.map((x) => x.currency), o.map((x) => x.openMinor), o.map((x) => x.paidMinor),
        o.map((x) => x.token), o.map((x) => x.localeHint), cases.map(({ c }) => c.extraJson), o.map((x) => x.payLink ?? null), o.map((x) => x.customerType ?? null),
        cases.map(({ id }) => id),
      ],
    );
  }

  async updateCases(updates: readonly CaseUpdate[], importId: number, at: string): Promise<void> {
    if (updates.length === 0) return;
    const o = updates.map((u) => u.order);
    await this.rows(
      `UPDATE cases c SET due_at = u.due_at, email = u.email, email_key = u.email_key, first_name = u.first_name, last_name = u.last_name, product = u.product,
         currency = u.currency, open_minor = u.open_minor, paid_minor = u.paid_minor, token = u.token, locale_hint = u.locale_hint, extra = u.extra,
         pay_link = u.pay_link, customer_type = u.customer_type, status = u.status, closed_reason = u.closed_reason,
         closed_at = CASE WHEN u.status = 'open' THEN NULL WHEN c.status = u.status THEN c.closed_at ELSE $1::timestamptz END, updated_import_id = $2
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[],
         $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
         AS u(id, due_at, email, email_key, first_name, last_name, product, currency, open_minor, paid_minor, token, locale_hint, extra, pay_link, customer_type, status, closed_reason)
       WHERE c.id = u.id`,
      [
        at, importId, updates.map((u) => u.known.id), o.map((x) => x.dueAt), o.map((x) => x.email), o.map((x) => x.emailKey), o.map((x) => x.firstName),
        o.map((x) => x.lastName), o.map((x) => x.product), o.map((x) => x.currency), o.map((x) => x.openMinor), o.map((x) => x.paidMinor), o.map((x) => x.token),
        o.map((x) => x.localeHint), updates.map((u) => u.extraJson), o.map((x) => x.payLink ?? null), o.map((x) => x.customerType ?? null),
        updates.map((u) => u.status), updates.map((u) => u.closedReason),
      ],
    );
    const paid = updates.filter((u) => u.paymentMinor > 0);
    if (paid.length === 0) return;
    await this.rows(
      `INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at)
       SELECT p.case_id, $1, p.amount, p.kind, $2 FROM unnest($3::bigint[], $4::bigint[], $5::text[]) WITH ORDINALITY AS p(case_id, amount, kind, n) ORDER BY p.n`,
      [importId, at, paid.map((u) => u.known.id), paid.map((u) => u.paymentMinor), paid.map((u) => (u.status === 'paid' ? 'in_full' : 'partial'))],
    );
  }

  async openCasesNotIn(source: string, listed: { has(id: number): boolean }): Promise<number[]> {
    const open = await this.rows<{ id: number }>("SELECT id FROM cases WHERE source = $1 AND status = 'open' ORDER BY id", [source]);
    return open.map((r) => r.id).filter((id) => !listed.has(id));
  }

  async findOrderCases(source: string, orderId: string): Promise<{ id: number; status: KnownCase['status'] }[]> {
    return this.rows('SELECT id, status FROM cases WHERE source = $1 AND order_id = $2 ORDER BY id', [source, orderId]);
  }

  async closeOrderCases(caseIds: readonly number[], as: 'paid' | 'cancelled', importId: number, at: string): Promise<void> {
    const ids = [...caseIds];
    if (as === 'paid') {
      await this.rows(
        `INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at) SELECT id, $1, open_minor, 'in_full', $2 FROM cases WHERE id = ANY($3::bigint[]) AND status = 'open' ORDER BY id`,
        [importId, at, ids],
      );
    }
    await this.rows(`UPDATE cases SET status = $1, closed_reason = $2, closed_at = $3, updated_import_id = $4 WHERE id = ANY($5::bigint[]) AND status = 'open'`, [
      as, as === 'paid' ? 'paid_in_full' : 'cancelled', at, importId, ids,
    ]);
  }

  async closeMissing(caseIds: readonly number[], importId: number, at: string): Promise<void> {
    const ids = [...caseIds];
    await this.rows(
      `INSERT INTO payments (case_id, import_id, amount_minor, kind, recorded_at)
       SELECT c.id, $1, c.open_minor, 'missing_from_snapshot', $2 FROM unnest($3::bigint[]) WITH ORDINALITY AS m(id, n) JOIN cases c ON c.id = m.id ORDER BY m.n`,
      [importId, at, ids],
    );
    await this.rows(`UPDATE cases SET status = 'paid', closed_reason = 'missing_from_snapshot', closed_at = $1, updated_import_id = $2 WHERE id = ANY($3::bigint[])`, [at, importId, ids]);
    await this.rows('UPDATE imports SET closed = closed + $1 WHERE id = $2', [ids.length, importId]);
  }

  async commit(): Promise<void> {
    await this.end('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.end('ROLLBACK');
  }

  private async end(statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      // A COPY refused only now fails the commit, as a refused INSERT would have failed before it.
      await this.copy.end().catch(async (error: unknown) => {
        if (statement === 'ROLLBACK') return;
        await this.client.query('ROLLBACK').catch(() => undefined);
        throw error;
      });
      await this.client.query(statement);
    } finally {
      this.client.release();
    }
  }
}
