import type { PlanOrder, PlanSource } from '../../app/ports.js';
import type { StoredCase } from '../../core/case.js';
import { Memo } from '../../core/memo.js';
import type { Claim, CustomerControl, CustomerFacts, MessageState, Rejection } from '../../core/plan.js';
import type { SourceImport } from '../../core/send-window.js';
import { CASE_COLUMN_COUNT, caseColumns, caseOfRaw, type RawCaseRow } from '../rows.js';
import type { PgDb } from './connection.js';

/** Customers per page the plan yields, and rows per fetch from the server's cursor. */
const PAGE_CUSTOMERS = 256;
const FETCH_ROWS = 2_000;

/** An instant as the SQLite adapter writes it (toISOString), inside JSON where no type parser reaches. */
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Each open case with its claims as a JSON list (text, as SQLite's json_group_array gives it).
const CLAIMS = `(SELECT coalesce(json_agg(json_build_array(mc.stage, m.state, mc.released, ${iso('m.created_at')}, mc.repeat_number)), '[]')::text
  FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE mc.case_id = c.id) AS claims`;

/** The order send goes in (../sqlite/plan-source.ts): the customer with the oldest open case first, then by address. */
function casesInOrder(order: PlanOrder, where: string): string {
  if (order === 'any') return `SELECT ${caseColumns('c', true)}, ${CLAIMS} FROM cases c WHERE c.status = 'open' ${where} ORDER BY c.email_key, c.due_date, c.id`;
  return `SELECT ${caseColumns('c', true)}, ${CLAIMS}
    FROM cases c JOIN (SELECT email_key, min(due_date) AS first_due FROM cases WHERE status = 'open' ${where} GROUP BY email_key) k ON k.email_key = c.email_key
    WHERE c.status = 'open' ${where.replace('email_key', 'c.email_key')}
    ORDER BY k.first_due, c.email_key, c.due_date, c.id`;
}

/**
 * What the planner reads. The customers come through a cursor on a connection of its own, in a
 * read-only REPEATABLE READ transaction: the plan sees the database as it was when it began (as
 * SQLite's WAL reader does) while the send writes its claims on another connection; a claim checks
 * again that its case is still open.
 */
export function pgPlanSource(db: PgDb): PlanSource {
  return {
    customers: (options) => readCustomers(db, options.order, options.emailKey),
    newestImports: async () =>
      (
        await db.rows<SourceImport>(
          `SELECT s.source,
                  coalesce((SELECT max(imported_at) FROM imports WHERE source = s.source AND mode = 'snapshot'),
                           (SELECT max(imported_at) FROM imports WHERE source = s.source)) AS "importedAt"
           FROM (SELECT DISTINCT source FROM cases WHERE status = 'open') s`,
        )
      ).filter((row) => row.importedAt !== null),
    countSentBetween: async (start, end) =>
      (
        await db.row<{ n: number }>("SELECT count(*) AS n FROM messages WHERE state IN ('sending', 'sent', 'unknown') AND created_at >= $1 AND created_at < $2", [
          start.toISOString(),
          end.toISOString(),
        ])
      )?.n ?? 0,
  };
}

type Lookups = Pick<CustomerFacts, 'control' | 'rejection' | 'suppression'>;

async function* readCustomers(db: PgDb, order: PlanOrder, emailKey: string | undefined): AsyncGenerator<CustomerFacts[]> {
  const lookups = await readLookups(db);
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const where = emailKey === undefined ? '' : 'AND email_key = $1';
    await client.query(`DECLARE plan NO SCROLL CURSOR FOR ${casesInOrder(order, where)}`, emailKey === undefined ? [] : [emailKey]);
    const extras = new Memo<Readonly<Record<string, string>>>(1_000);
    let page: CustomerFacts[] = [];
    let current: CustomerFacts | undefined;
    for (;;) {
      const rows = (await client.query<RawCaseRow>({ text: `FETCH ${FETCH_ROWS} FROM plan`, rowMode: 'array' })).rows;
      if (rows.length === 0) break;
      for (const row of rows) {
        const stored = caseOfRaw(row, extras);
        if (current === undefined || current.cases[0]?.emailKey !== stored.emailKey) {
          if (page.length >= PAGE_CUSTOMERS) {
            yield page;
            page = [];
          }
          current = { cases: [], claims: [], ...lookups(stored.emailKey) };
          page.push(current);
        }
        (current.cases as StoredCase[]).push(stored);
        const claims = row[CASE_COLUMN_COUNT];
        if (typeof claims === 'string' && claims !== '[]') (current.claims as Claim[]).push(...parseClaims(stored.id, claims));
      }
    }
    if (page.length > 0) yield page;
    await client.query('COMMIT');
  } finally {
    // A plan left early (the caller broke off) ends its transaction with the connection.
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** Holds, rejections and suppressions of every customer: few, read once. */
async function readLookups(db: PgDb): Promise<(emailKey: string) => Lookups> {
  const controls = new Map(
    (await db.rows<CustomerControl>('SELECT email_key AS "emailKey", snoozed_until AS "snoozedUntil", stopped_at AS "stoppedAt" FROM customer_controls')).map((c) => [c.emailKey, c]),
  );
  // Customers whose newest message the server refused for good (../sqlite/plan-source.ts).
  const rejections = new Map(
    (
      await db.rows<Rejection>(
        `SELECT m.email_key AS "emailKey", m.updated_at AS at, coalesce(m.error, '') AS error
         FROM messages m JOIN (SELECT email_key, max(id) AS id FROM messages GROUP BY email_key) newest ON newest.id = m.id
         WHERE m.state = 'failed' AND m.permanent = 1`,
      )
    ).map((r) => [r.emailKey, r]),
  );
  const suppressed = new Map(
    (
      await db.rows<{ emailKey: string; reason: 'unsubscribed' | 'bounced' | 'complained'; detail: string; happenedAt: string }>(
        `SELECT email_key AS "emailKey", reason, detail, happened_at AS "happenedAt" FROM suppressions WHERE scope = 'all'`,
      )
    ).map((s) => [s.emailKey, s]),
  );
  return (key) => ({ control: controls.get(key), rejection: rejections.get(key), suppression: suppressed.get(key) });
}

function parseClaims(caseId: number, json: string): Claim[] {
  return (JSON.parse(json) as [string, MessageState, number, string, number][]).map(([stage, state, released, at, repeat]) => ({ caseId, stage, repeat, state, released: released !== 0, at }));
}
