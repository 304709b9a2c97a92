import type { ClaimResult, CodeAssignment, MessageLog, MessageOutcome, NewMessage, UnknownMessage } from '../../app/ports.js';
import type { MessageState } from '../../core/plan.js';
import type { Db } from './database.js';
import { automatedCustomers, recordTagRemovals } from './tags.js';

/** Messages, their claims of (case, stage) and their outcomes; statements prepared once per database. */
export function sqliteMessageLog(db: Db): MessageLog {
  const claimBatch = claimTransaction(db);
  const record = recordTransaction(db);
  return {
    claim: async (messages, at) => claimBatch(messages, at.toISOString()),
    record: async (outcomes, at) => record(outcomes, at.toISOString()),
    sweepSending: async (at) => sweepSending(db, at),
    releaseUnknown: async (runId, at) => releaseUnknown(db, runId, at),
    listUnknown: async () => listUnknown(db),
    countByState: async () => countByState(db),
    automatedCustomers: async (channel) => automatedCustomers(db, channel),
    recordTagRemovals: async (run, records, at) => recordTagRemovals(db, run, records, at),
  };
}

function claimTransaction(db: Db): (messages: readonly NewMessage[], at: string) => ClaimResult[] {
  const closed = db.prepare<[number], { id: number; status: string }>("SELECT id, status FROM cases WHERE id = ? AND status != 'open'");
  const insertMessage = db.prepare(
    `INSERT INTO messages (run_id, email_key, stage, channel, template, recipient, state, message_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?)`,
  );
  const insertCase = db.prepare('INSERT INTO message_cases (message_id, case_id, stage, repeat_number) VALUES (?, ?, ?, ?)');
  const assignCode = codeAssigner(db);
  const claimOne = db.transaction((m: NewMessage, at: string): ClaimResult => {
    for (const c of m.cases) {
      // An import may have closed a case since the plan was made: never remind someone who paid.
      const gone = closed.get(c.caseId);
      if (gone !== undefined) return { ok: false, reason: 'closed', detail: `case ${gone.id} is ${gone.status} now` };
    }
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
  const record = db.transaction((outcomes: readonly MessageOutcome[], at: string) => {
    for (const o of outcomes) {
      if (o.state === 'sent') sent.run(o.providerId, o.response, at, o.id);
      else if (o.state === 'unknown') unknown.run(o.error, at, o.id);
      else {
        failed.run(o.error, o.permanent ? 1 : 0, at, o.id);
        release.run(o.id);
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

/** `--retry-unknown`: after a person looked, unknown messages become failed and release their stages. */
function releaseUnknown(db: Db, runId: number, now: Date): number {
  return db.transaction(() => {
    db.prepare(
      `UPDATE message_cases SET released = 1 WHERE message_id IN (SELECT id FROM messages WHERE state = 'unknown')`,
    ).run();
    return db
      .prepare(`UPDATE messages SET state = 'failed', error = coalesce(error, '') || ' (released for a retry by run ' || ? || ')', updated_at = ? WHERE state = 'unknown'`)
      .run(runId, now.toISOString()).changes;
  }).immediate();
}

/** Messages in state unknown, oldest first. */
function listUnknown(db: Db): UnknownMessage[] {
  return db
    .prepare<[], UnknownMessage>(
      `SELECT m.id, m.run_id AS runId, m.recipient, m.stage, m.channel, m.message_id AS messageId, m.created_at AS createdAt,
              (SELECT group_concat(c.order_id, ', ') FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS orderIds
       FROM messages m WHERE m.state = 'unknown' ORDER BY m.id`,
    )
    .all();
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
