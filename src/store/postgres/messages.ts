import type { ClaimResult, CodeAssignment, MessageLog, MessageOutcome, NewMessage, UnknownMessage, UnknownSelection } from '../../app/ports.js';
import type { MessageState } from '../../core/plan.js';
import { isUniqueViolation, type PgDb } from './connection.js';
import { liveSendRun } from './locks.js';
import { automatedCustomers, recordTagRemovals } from './tags.js';

/** Messages, their claims of (case, stage) and their outcomes. */
export function pgMessageLog(db: PgDb): MessageLog {
  return {
    claim: async (messages, at) => claimBatch(db, messages, at.toISOString()),
    record: async (outcomes, at) => record(db, outcomes, at.toISOString()),
    sweepSending: async (at) =>
      db.run("UPDATE messages SET state = 'unknown', error = 'the run sending it ended before the outcome was known', updated_at = $1 WHERE state = 'sending'", [at.toISOString()]),
    releaseUnknown: async (runId, at, only = {}) => releaseUnknown(db, runId, at, only),
    listUnknown: async () => listUnknown(db),
    countByState: async () => {
      const counts: Record<MessageState, number> = { sending: 0, sent: 0, failed: 0, unknown: 0 };
      for (const row of await db.rows<{ state: MessageState; n: number }>('SELECT state, count(*) AS n FROM messages GROUP BY state')) counts[row.state] = row.n;
      return counts;
    },
    automatedCustomers: async (channel) => automatedCustomers(db, channel),
    recordTagRemovals: async (run, records, at) => recordTagRemovals(db, run, records, at),
  };
}

/**
 * Claims a batch in one transaction, each message in a savepoint of its own: a (case, stage) that
 * another run or host claimed first breaks the unique index message_cases_once, which undoes that
 * message only. A claim another transaction is writing at the same moment waits for it, then fails
 * or goes in: never both.
 */
async function claimBatch(db: PgDb, messages: readonly NewMessage[], at: string): Promise<ClaimResult[]> {
  // Two batches claiming the same cases in opposite orders can deadlock; the server then aborts one,
  // which claimed nothing (its transaction rolled back) and simply tries again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await claimTransaction(db, messages, at);
    } catch (error) {
      if (attempt >= CLAIM_ATTEMPTS || !isDeadlock(error)) throw error;
    }
  }
}

const CLAIM_ATTEMPTS = 5;

function isDeadlock(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === '40P01' || error.code === '40001');
}

async function claimTransaction(db: PgDb, messages: readonly NewMessage[], at: string): Promise<ClaimResult[]> {
  return db.transaction(async () => {
    const results: ClaimResult[] = [];
    for (const m of messages) {
      await db.run('SAVEPOINT claim');
      try {
        const result = await claimOne(db, m, at);
        await db.run(result.ok ? 'RELEASE SAVEPOINT claim' : 'ROLLBACK TO SAVEPOINT claim; RELEASE SAVEPOINT claim');
        results.push(result);
      } catch (error) {
        await db.run('ROLLBACK TO SAVEPOINT claim; RELEASE SAVEPOINT claim');
        if (isUniqueViolation(error)) results.push({ ok: false, reason: 'already_claimed', detail: `${m.stage} was already claimed for one of its cases` });
        else throw error;
      }
    }
    return results;
  });
}

async function claimOne(db: PgDb, m: NewMessage, at: string): Promise<ClaimResult> {
  const refusal = await lastLook(db, m);
  if (refusal !== null) return refusal;
  const inserted = await db.row<{ id: number }>(
    `INSERT INTO messages (run_id, email_key, stage, channel, template, recipient, state, message_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'sending', $7, $8, $8) RETURNING id`,
    [m.runId, m.emailKey, m.stage, m.channel, m.template, m.recipient, m.messageId, at],
  );
  const id = inserted?.id ?? 0;
  await db.run(
    'INSERT INTO message_cases (message_id, case_id, stage, repeat_number) SELECT $1, c.case_id, c.stage, c.repeat FROM unnest($2::bigint[], $3::text[], $4::bigint[]) AS c(case_id, stage, repeat)',
    [id, m.cases.map((c) => c.caseId), m.cases.map((c) => c.stage), m.cases.map((c) => c.repeat)],
  );
  if (m.code !== undefined && !(await assignCode(db, m.code, id))) return { ok: false, reason: 'code_taken', detail: `the promo code ${m.code.code} went to another customer meanwhile` };
  return { ok: true, id };
}

interface CaseNow {
  id: number;
  status: string;
  open_minor: number;
  stopped_at: string | null;
  snoozed_until: string | null;
}

/**
 * The last look at a message's cases before it leaves, inside its claim. FOR SHARE: an import or a
 * `customer --stop` changing these rows right now is waited for, and what it committed is seen.
 */
async function lastLook(db: PgDb, m: NewMessage): Promise<ClaimResult | null> {
  const customer = await db.row<{ stopped_at: string | null; snoozed_until: string | null }>(
    'SELECT stopped_at, snoozed_until FROM customer_controls WHERE email_key = $1 FOR SHARE',
    [m.emailKey],
  );
  const snoozedAgain = (now: string | null, seen: string | null | undefined): boolean => now !== null && seen !== undefined && now !== seen;
  if (customer?.stopped_at != null) return { ok: false, reason: 'stopped', detail: `the customer was stopped on ${customer.stopped_at.slice(0, 10)}, after this run planned the message` };
  if (snoozedAgain(customer?.snoozed_until ?? null, m.customerSnoozedUntil)) {
    return { ok: false, reason: 'snoozed', detail: `the customer was snoozed until ${customer?.snoozed_until ?? ''} after this run planned the message` };
  }
  const rows = await db.rows<CaseNow>('SELECT id, status, open_minor, stopped_at, snoozed_until FROM cases WHERE id = ANY($1::bigint[]) ORDER BY id FOR SHARE', [m.cases.map((c) => c.caseId)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const c of m.cases) {
    const now = byId.get(c.caseId);
    if (now === undefined || now.status !== 'open' || now.open_minor <= 0) {
      return { ok: false, reason: 'closed', detail: `case ${c.caseId} is ${now?.status === 'open' ? 'paid' : (now?.status ?? 'gone')} now` };
    }
    if (now.stopped_at !== null) return { ok: false, reason: 'stopped', detail: `case ${c.caseId} was stopped on ${now.stopped_at.slice(0, 10)}, after this run planned the message` };
    if (snoozedAgain(now.snoozed_until, c.snoozedUntil)) return { ok: false, reason: 'snoozed', detail: `case ${c.caseId} was snoozed until ${now.snoozed_until ?? ''} after this run planned the message` };
  }
  return null;
}

/** Hands a code out inside a claim: a pool code only if no one else holds it, a fixed code as a new row. */
async function assignCode(db: PgDb, a: CodeAssignment, messageRowId: number): Promise<boolean> {
  if (a.pool === null) {
    await db.run(
      `INSERT INTO promo_codes (stage, code, pool, email_key, message_id, discount, issued_at, expires_at, loaded_at) VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $6)`,
      [a.stage, a.code, a.emailKey, messageRowId, a.discountJson, a.issuedAt, a.expiresAt],
    );
    return true;
  }
  const changed = await db.run(
    `UPDATE promo_codes SET email_key = $1, message_id = $2, discount = $3, issued_at = $4, expires_at = $5
     WHERE pool = $6 AND code = $7 AND (email_key IS NULL OR email_key = $1)`,
    [a.emailKey, messageRowId, a.discountJson, a.issuedAt, a.expiresAt, a.pool, a.code],
  );
  return changed === 1;
}

async function record(db: PgDb, outcomes: readonly MessageOutcome[], at: string): Promise<void> {
  await db.transaction(async () => {
    for (const o of outcomes) {
      if (o.state === 'sent') await db.run("UPDATE messages SET state = 'sent', provider_id = $1, response = $2, updated_at = $3 WHERE id = $4", [o.providerId, o.response, at, o.id]);
      else if (o.state === 'unknown') await db.run("UPDATE messages SET state = 'unknown', error = $1, updated_at = $2 WHERE id = $3", [o.error, at, o.id]);
      else {
        await db.run("UPDATE messages SET state = 'failed', error = $1, permanent = $2, updated_at = $3 WHERE id = $4", [o.error, o.permanent ? 1 : 0, at, o.id]);
        await db.run('UPDATE message_cases SET released = 1 WHERE message_id = $1', [o.id]);
        // A failed message showed its code to no one: a pool code goes back to the pool, a fixed code's row goes (issue 21).
        await db.run('UPDATE promo_codes SET email_key = NULL, message_id = NULL, discount = NULL, issued_at = NULL, expires_at = NULL WHERE message_id = $1 AND pool IS NOT NULL', [o.id]);
        await db.run('DELETE FROM promo_codes WHERE message_id = $1 AND pool IS NULL', [o.id]);
      }
    }
  });
}

/** `--retry-unknown`: unknown messages become failed and release their stages; only those selected. */
async function releaseUnknown(db: PgDb, runId: number, now: Date, only: UnknownSelection): Promise<number> {
  return db.transaction(async () => {
    const ids = (
      await db.rows<{ id: number }>(
        `SELECT id FROM messages WHERE state = 'unknown' AND ($1::text IS NULL OR email_key = $1) AND ($2::text IS NULL OR stage = $2) ORDER BY id LIMIT $3 FOR UPDATE`,
        [only.emailKey ?? null, only.stage ?? null, only.limit ?? null],
      )
    ).map((r) => r.id);
    if (ids.length === 0) return 0;
    await db.run('UPDATE message_cases SET released = 1 WHERE message_id = ANY($1::bigint[])', [ids]);
    await db.run(
      `UPDATE messages SET state = 'failed', error = coalesce(error, '') || ' (released for a retry by run ' || $1 || ')', updated_at = $2 WHERE id = ANY($3::bigint[])`,
      [String(runId), now.toISOString(), ids],
    );
    return ids.length;
  });
}

/** Messages in state unknown, and those a run that died left `sending`, oldest first. */
async function listUnknown(db: PgDb): Promise<UnknownMessage[]> {
  const live = await liveSendRun(db);
  return db.rows<UnknownMessage>(
    `SELECT m.id, m.run_id AS "runId", m.recipient, m.stage, m.channel, m.message_id AS "messageId", m.created_at AS "createdAt",
            (SELECT string_agg(c.order_id, ', ' ORDER BY mc.case_id) FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS "orderIds"
     FROM messages m WHERE m.state = 'unknown' OR (m.state = 'sending' AND m.run_id IS DISTINCT FROM $1::bigint) ORDER BY m.id`,
    [live],
  );
}
