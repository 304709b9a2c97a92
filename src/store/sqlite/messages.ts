import type { ClaimResult, CodeAssignment, MessageLog, MessageOutcome, NewMessage, UnknownMessage, UnknownSelection } from '../../app/ports.js';
import type { MessageState } from '../../core/plan.js';
import type { Db } from './database.js';
import { liveSendRun } from './locks.js';
import { automatedCustomers, recordTagRemovals } from './tags.js';

/** Messages, their claims of (case, stage) and their outcomes; statements prepared once per database. */
export function sqliteMessageLog(db: Db): MessageLog {
  const claimBatch = claimTransaction(db);
  const record = recordTransaction(db);
  return {
    claim: async (messages, at) => claimBatch(messages, at.toISOString()),
    record: async (outcomes, at) => record(outcomes, at.toISOString()),
    sweepSending: async (at) => sweepSending(db, at),
    releaseUnknown: async (runId, at, only = {}) => releaseUnknown(db, runId, at, only),
    listUnknown: async () => listUnknown(db),
    countByState: async () => countByState(db),
    automatedCustomers: async (channel) => automatedCustomers(db, channel),
    recordTagRemovals: async (run, records, at) => recordTagRemovals(db, run, records, at),
  };
}

function claimTransaction(db: Db): (messages: readonly NewMessage[], at: string) => ClaimResult[] {
  const insertMessage = db.prepare(
    `INSERT INTO messages (run_id, email_key, stage, channel, template, recipient, state, message_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?)`,
  );
  const insertCase = db.prepare('INSERT INTO message_cases (message_id, case_id, stage, repeat_number) VALUES (?, ?, ?, ?)');
  const assignCode = codeAssigner(db);
  const refusalOf = lastLook(db);
  const claimOne = db.transaction((m: NewMessage, at: string): ClaimResult => {
    const refusal = refusalOf(m);
    if (refusal !== null) return refusal;
    const id = Number(insertMessage.run(m.runId, m.emailKey, m.stage, m.channel, m.template, m.recipient, m.messageId, at, at).lastInsertRowid);
    for (const c of m.cases) insertCase.run(id, c.caseId, c.stage, c.repeat);
    if (m.code !== undefined && !assignCode(m.code, id)) throw new CodeTaken(m.code.code);
    return { ok: true, id };
  });
  // One commit for the batch; each message is its own savepoint, so a conflict undoes only that one.
  const batch = db.transaction((messages: readonly NewMessage[], at: string) =>
    messages.map((m): ClaimResult => {
      try {
        return claimOne(m, at);
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false, reason: 'already_claimed', detail: `${m.stage} was already claimed for one of its cases` };
        if (error instanceof CodeTaken) return { ok: false, reason: 'code_taken', detail: error.message };
        throw error;
      }
    }),
  );
  return (messages, at) => batch.immediate(messages, at);
}

/**
 * The last look at a message's cases before it leaves, inside its claim: an import may have closed
 * a case (never remind someone who paid), and the merchant may have stopped or snoozed the customer
 * or a case since the plan was made. A snooze counts when it is not the one the plan saw.
 */
function lastLook(db: Db): (m: NewMessage) => ClaimResult | null {
  const caseNow = db.prepare<[number], { status: string; open_minor: number; stopped_at: string | null; snoozed_until: string | null }>(
    'SELECT status, open_minor, stopped_at, snoozed_until FROM cases WHERE id = ?',
  );
  const customerNow = db.prepare<[string], { stopped_at: string | null; snoozed_until: string | null }>(
    'SELECT stopped_at, snoozed_until FROM customer_controls WHERE email_key = ?',
  );
  const snoozedAgain = (now: string | null, seen: string | null | undefined): boolean => now !== null && seen !== undefined && now !== seen;
  return (m) => {
    const customer = customerNow.get(m.emailKey);
    if (customer?.stopped_at != null) return { ok: false, reason: 'stopped', detail: `the customer was stopped on ${customer.stopped_at.slice(0, 10)}, after this run planned the message` };
    if (snoozedAgain(customer?.snoozed_until ?? null, m.customerSnoozedUntil)) {
      return { ok: false, reason: 'snoozed', detail: `the customer was snoozed until ${customer?.snoozed_until ?? ''} after this run planned the message` };
    }
    for (const c of m.cases) {
      const now = caseNow.get(c.caseId);
      if (now === undefined || now.status !== 'open' || now.open_minor <= 0) {
        return { ok: false, reason: 'closed', detail: `case ${c.caseId} is ${now?.status === 'open' ? 'paid' : (now?.status ?? 'gone')} now` };
      }
      if (now.stopped_at !== null) return { ok: false, reason: 'stopped', detail: `case ${c.caseId} was stopped on ${now.stopped_at.slice(0, 10)}, after this run planned the message` };
      if (snoozedAgain(now.snoozed_until, c.snoozedUntil)) return { ok: false, reason: 'snoozed', detail: `case ${c.caseId} was snoozed until ${now.snoozed_until ?? ''} after this run planned the message` };
    }
    return null;
  };
}

/** Thrown inside a claim's savepoint so the message is undone with the code it could not get. */
class CodeTaken extends Error {
  constructor(code: string) {
    super(`the promo code ${code} went to another customer meanwhile`);
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

function recordTransaction(db: Db): (outcomes: readonly MessageOutcome[], at: string) => void {
  const sent = db.prepare("UPDATE messages SET state = 'sent', provider_id = ?, response = ?, updated_at = ? WHERE id = ?");
  const failed = db.prepare("UPDATE messages SET state = 'failed', error = ?, permanent = ?, updated_at = ? WHERE id = ?");
  const unknown = db.prepare("UPDATE messages SET state = 'unknown', error = ?, updated_at = ? WHERE id = ?");
  const release = db.prepare('UPDATE message_cases SET released = 1 WHERE message_id = ?');
  // A failed message showed its code to no one: the code is not issued (issue 21). A pool code goes
  // back to the pool, a fixed code's row goes.
  const poolCodeBack = db.prepare('UPDATE promo_codes SET email_key = NULL, message_id = NULL, discount = NULL, issued_at = NULL, expires_at = NULL WHERE message_id = ? AND pool IS NOT NULL');
  const fixedCodeGone = db.prepare('DELETE FROM promo_codes WHERE message_id = ? AND pool IS NULL');
  const record = db.transaction((outcomes: readonly MessageOutcome[], at: string) => {
    for (const o of outcomes) {
      if (o.state === 'sent') sent.run(o.providerId, o.response, at, o.id);
      else if (o.state === 'unknown') unknown.run(o.error, at, o.id);
      else {
        failed.run(o.error, o.permanent ? 1 : 0, at, o.id);
        release.run(o.id);
        poolCodeBack.run(o.id);
        fixedCodeGone.run(o.id);
      }
    }
  });
  return (outcomes, at) => record.immediate(outcomes, at);
}

/** Marks messages left `sending` by a run that died as `unknown`; call it holding the send lock. */
function sweepSending(db: Db, now: Date): number {
  return db
    .prepare("UPDATE messages SET state = 'unknown', error = 'the run sending it ended before the outcome was known', updated_at = ? WHERE state = 'sending'")
    .run(now.toISOString()).changes;
}

/**
 * `--retry-unknown`: after a person looked, unknown messages become failed and release their
 * stages; only those the run selects (address, stage, at most `limit`, oldest first).
 */
function releaseUnknown(db: Db, runId: number, now: Date, only: UnknownSelection): number {
  return db.transaction(() => {
    const ids = db
      .prepare<[{ email: string | null; stage: string | null; limit: number }], { id: number }>(
        `SELECT id FROM messages WHERE state = 'unknown' AND (@email IS NULL OR email_key = @email) AND (@stage IS NULL OR stage = @stage) ORDER BY id LIMIT @limit`,
      )
      .all({ email: only.emailKey ?? null, stage: only.stage ?? null, limit: only.limit ?? -1 })
      .map((r) => r.id);
    const release = db.prepare('UPDATE message_cases SET released = 1 WHERE message_id = ?');
    const fail = db.prepare(`UPDATE messages SET state = 'failed', error = coalesce(error, '') || ' (released for a retry by run ' || ? || ')', updated_at = ? WHERE id = ?`);
    for (const id of ids) {
      release.run(id);
      fail.run(runId, now.toISOString(), id);
    }
    return ids.length;
  }).immediate();
}

/** Messages in state unknown, and those a run that died left `sending` (the next send marks them unknown), oldest first. */
function listUnknown(db: Db): UnknownMessage[] {
  return db
    .prepare<[number | null], UnknownMessage>(
      `SELECT m.id, m.run_id AS runId, m.recipient, m.stage, m.channel, m.message_id AS messageId, m.created_at AS createdAt,
              (SELECT group_concat(c.order_id, ', ') FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS orderIds
       FROM messages m WHERE m.state = 'unknown' OR (m.state = 'sending' AND m.run_id IS NOT ?) ORDER BY m.id`,
    )
    .all(liveSendRun(db));
}

/** How many messages are in each state (for tests and reports). */
function countByState(db: Db): Record<MessageState, number> {
  const counts: Record<MessageState, number> = { sending: 0, sent: 0, failed: 0, unknown: 0 };
  for (const row of db.prepare<[], { state: MessageState; n: number }>('SELECT state, count(*) AS n FROM messages GROUP BY state').all()) {
    counts[row.state] = row.n;
  }
  return counts;
}

/**
 * The function that hands a code out inside a claim transaction: a pool code only if no one else
 * holds it, a fixed code as a new row. False means the code was taken meanwhile.
 */
function codeAssigner(db: Db): (assignment: CodeAssignment, messageRowId: number) => boolean {
  const takePool = db.prepare(
    `UPDATE promo_codes SET email_key = ?, message_id = ?, discount = ?, issued_at = ?, expires_at = ?
     WHERE pool = ? AND code = ? AND (email_key IS NULL OR email_key = ?)`,
  );
  const giveFixed = db.prepare(
    `INSERT INTO promo_codes (stage, code, pool, email_key, message_id, discount, issued_at, expires_at, loaded_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  return (a, messageRowId) => {
    if (a.pool === null) {
      giveFixed.run(a.stage, a.code, a.emailKey, messageRowId, a.discountJson, a.issuedAt, a.expiresAt, a.issuedAt);
      return true;
    }
    return takePool.run(a.emailKey, messageRowId, a.discountJson, a.issuedAt, a.expiresAt, a.pool, a.code, a.emailKey).changes === 1;
  };
}
