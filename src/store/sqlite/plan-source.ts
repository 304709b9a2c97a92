import type { PlanOrder, PlanSource } from '../../app/ports.js';
import type { StoredCase } from '../../core/case.js';
import type { Claim, CustomerControl, CustomerFacts, MessageState, Rejection } from '../../core/plan.js';
import type { SourceImport } from '../../core/send-window.js';
import { openDatabase, type Db } from './database.js';
import { Memo } from '../../core/memo.js';
import { CASE_COLUMN_COUNT, caseColumns, caseOfRaw, type RawCaseRow } from '../rows.js';

/** Customers per page the plan reads: enough to make a page cheap, few enough to keep memory flat. */
const PAGE_CUSTOMERS = 256;

// Each open case with its claims as a JSON list, a customer's cases together, oldest first.
const CLAIMS = `(SELECT json_group_array(json_array(mc.stage, m.state, mc.released, m.created_at, mc.repeat_number))
  FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE mc.case_id = c.id) AS claims`;

/**
 * The order send goes in: the customer with the oldest open case first, then by address. Sorting the
 * million cases of the bench by it takes SQLite ~8 s against ~4 s by address alone (npm run
 * bench:import, `status` with and without a cap), so a plan whose order decides nothing reads by address.
 */
function casesInOrder(order: PlanOrder, where: string): string {
  if (order === 'any') return `SELECT ${caseColumns('c')}, ${CLAIMS} FROM cases c WHERE c.status = 'open' ${where} ORDER BY c.email_key, c.due_date, c.id`;
  return `SELECT ${caseColumns('c')}, ${CLAIMS}
    FROM cases c JOIN (SELECT email_key, min(due_date) AS first_due FROM cases WHERE status = 'open' ${where} GROUP BY email_key) k ON k.email_key = c.email_key
    WHERE c.status = 'open'
    ORDER BY k.first_due, c.email_key, c.due_date, c.id`;
}


/**
 * What the planner reads. The customers are read through a connection of their own: a send writes
 * its claims while the plan is still being read, and better-sqlite3 lets a connection do nothing
 * else while one of its statements is being iterated. In WAL mode that reader sees the database as
 * it was when the plan began; a claim checks again that its case is still open.
 */
export function sqlitePlanSource(db: Db): PlanSource {
  return {
    customers: (options) => readCustomers(db, options.order, options.emailKey),
    newestImports: async () => newestImports(db),
    countSentBetween: async (start, end) => {
      const count = db
        .prepare("SELECT count(*) FROM messages WHERE state IN ('sending', 'sent', 'unknown') AND created_at >= ? AND created_at < ?")
        .pluck()
        .get(start.toISOString(), end.toISOString());
      return Number(count);
    },
  };
}

async function* readCustomers(db: Db, order: PlanOrder, emailKey: string | undefined): AsyncGenerator<CustomerFacts[]> {
  const controls = new Map(
    db
      .prepare<[], CustomerControl>('SELECT email_key AS emailKey, snoozed_until AS snoozedUntil, stopped_at AS stoppedAt FROM customer_controls')
      .all()
      .map((c) => [c.emailKey, c]),
  );
  const rejections = new Map(listRejections(db).map((r) => [r.emailKey, r]));
  // Bounced and complained addresses (issue 23): few, read once like the controls.
  const suppressed = new Map(
    db
      .prepare<[], { emailKey: string; reason: 'unsubscribed' | 'bounced' | 'complained'; detail: string; happenedAt: string }>(
        "SELECT email_key AS emailKey, reason, detail, happened_at AS happenedAt FROM suppressions WHERE scope = 'all'",
      )
      .all()
      .map((s) => [s.emailKey, s]),
  );
  // An in-memory database (a dry run without a file) has no second connection to read through.
  const reader = db.memory ? db : openDatabase(db.name, { readonly: true });
  try {
    const where = emailKey === undefined ? '' : order === 'any' ? 'AND c.email_key = ?' : 'AND email_key = ?';
    const statement = reader.prepare<unknown[], RawCaseRow>(casesInOrder(order, where)).raw();
    const rows = emailKey === undefined ? statement.iterate() : statement.iterate(emailKey);
    const extras = new Memo<Readonly<Record<string, string>>>(1_000);
    let page: CustomerFacts[] = [];
    let current: CustomerFacts | undefined;
    for (const row of rows) {
      const stored = caseOfRaw(row, extras);
      if (current === undefined || current.cases[0]?.emailKey !== stored.emailKey) {
        if (page.length >= PAGE_CUSTOMERS) {
          yield page;
          page = [];
        }
        current = { cases: [], claims: [], control: controls.get(stored.emailKey), rejection: rejections.get(stored.emailKey), suppression: suppressed.get(stored.emailKey) };
        page.push(current);
      }
      (current.cases as StoredCase[]).push(stored);
      const claims = row[CASE_COLUMN_COUNT];
      if (typeof claims === 'string' && claims !== '[]') (current.claims as Claim[]).push(...parseClaims(stored.id, claims));
    }
    if (page.length > 0) yield page;
  } finally {
    if (reader !== db) reader.close();
  }
}

function parseClaims(caseId: number, json: string): Claim[] {
  return (JSON.parse(json) as [string, MessageState, number, string, number][]).map(([stage, state, released, at, repeat]) => ({ caseId, stage, repeat, state, released: released !== 0, at }));
}

/**
 * Customers whose newest message the server refused for good: further stages would go to an
 * address that does not take mail. Cleared by clearRejection (or a later message that went out).
 */
function listRejections(db: Db): Rejection[] {
  return db
    .prepare<[], Rejection>(
      `SELECT m.email_key AS emailKey, m.updated_at AS at, coalesce(m.error, '') AS error
       FROM messages m JOIN (SELECT email_key, max(id) AS id FROM messages GROUP BY email_key) newest ON newest.id = m.id
       WHERE m.state = 'failed' AND m.permanent = 1`,
    )
    .all();
}

/**
 * For every source with open cases, when its data was last refreshed: its newest snapshot import
 * (only a full export tells who paid), or its newest import when it never had a snapshot.
 */
function newestImports(db: Db): SourceImport[] {
  return db
    .prepare<[], SourceImport>(
      `SELECT s.source,
              coalesce((SELECT max(imported_at) FROM imports WHERE source = s.source AND mode = 'snapshot'),
                       (SELECT max(imported_at) FROM imports WHERE source = s.source)) AS importedAt
       FROM (SELECT DISTINCT source FROM cases WHERE status = 'open') s`,
    )
    .all()
    .filter((row) => row.importedAt !== null);
}
