import type { Claim, CustomerControl, MessageState, PlanCase, Rejection } from '../core/plan.js';
import type { SourceImport } from '../core/send-window.js';
import type { Db } from './database.js';
import { loadOpenCases } from './open-cases.js';
import { codeAssigner, type CodeAssignment } from './promo.js';

/** What the planner reads from the store. */
export interface PlanData {
  cases: PlanCase[];
  controls: CustomerControl[];
  claims: Claim[];
  rejections: Rejection[];
}

/** Loads every open case with the customer controls, the stages already claimed and refused addresses. */
export function loadPlanData(db: Db): PlanData {
  const cases = loadOpenCases(db);
  const controls = db
    .prepare<[], CustomerControl>('SELECT email_key AS emailKey, snoozed_until AS snoozedUntil, stopped_at AS stoppedAt FROM customer_controls')
    .all();
  const claims = db
    .prepare<[], Omit<Claim, 'released'> & { released: number }>(
      `SELECT mc.case_id AS caseId, mc.stage, m.state, mc.released, m.created_at AS at
       FROM message_cases mc JOIN messages m ON m.id = mc.message_id JOIN cases c ON c.id = mc.case_id
       WHERE c.status = 'open'`,
    )
    .all()
    .map((row) => ({ ...row, released: row.released !== 0 }));
  return { cases, controls, claims, rejections: listRejections(db) };
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

/** Lets a customer whose last message was refused get messages again (e.g. after the merchant fixed the address). */
export function clearRejection(db: Db, emailKey: string): number {
  return db.prepare("UPDATE messages SET permanent = 0 WHERE email_key = ? AND state = 'failed' AND permanent = 1").run(emailKey).changes;
}

/** Messages that went out (or may have) between two instants: what counts against limits.perDay. */
export function countSentBetween(db: Db, start: Date, end: Date): number {
  const count = db
    .prepare("SELECT count(*) FROM messages WHERE state IN ('sending', 'sent', 'unknown') AND created_at >= ? AND created_at < ?")
    .pluck()
    .get(start.toISOString(), end.toISOString());
  return Number(count);
}

/**
 * For every source with open cases, when its data was last refreshed: its newest snapshot import
 * (only a full export tells who paid), or its newest import when it never had a snapshot.
 */
export function newestImports(db: Db): SourceImport[] {
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

/** A message about to leave, with the (case, stage) pairs it claims. */
export interface NewMessage {
  runId: number;
  emailKey: string;
  stage: string;
  channel: string;
  template: string;
  recipient: string;
  messageId: string;
  cases: readonly { caseId: number; stage: string }[];
  /** A promo code handed out with the message, in the same transaction. */
  code?: CodeAssignment | undefined;
}

/** The claim went in, or why it could not. */
export type ClaimResult = { ok: true; id: number } | { ok: false; reason: 'already_claimed' | 'closed' | 'code_taken'; detail: string };

/**
 * Records messages as `sending` and claims their (case, stage) pairs, each message atomically:
 * the unique key on (case, stage) makes a second claim of the same stage fail, whoever tries it.
 */
export function claimMessages(db: Db, messages: readonly NewMessage[], now: Date): ClaimResult[] {
  return writersOf(db).claimBatch(messages, now.toISOString());
}

/** The statements and transactions of one send, prepared once per database: a run makes thousands of claims. */
interface Writers {
  claimBatch: (messages: readonly NewMessage[], at: string) => ClaimResult[];
  record: (outcomes: readonly MessageOutcome[], at: string) => void;
}

const writers = new WeakMap<Db, Writers>();

function writersOf(db: Db): Writers {
  let found = writers.get(db);
  if (found === undefined) {
    found = { claimBatch: claimTransaction(db), record: recordTransaction(db) };
    writers.set(db, found);
  }
  return found;
}

function claimTransaction(db: Db): Writers['claimBatch'] {
  const closed = db.prepare<[number], { id: number; status: string }>("SELECT id, status FROM cases WHERE id = ? AND status != 'open'");
  const insertMessage = db.prepare(
    `INSERT INTO messages (run_id, email_key, stage, channel, template, recipient, state, message_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?)`,
  );
  const insertCase = db.prepare('INSERT INTO message_cases (message_id, case_id, stage) VALUES (?, ?, ?)');
  const assignCode = codeAssigner(db);
  const claimOne = db.transaction((m: NewMessage, at: string): ClaimResult => {
    for (const c of m.cases) {
      // An import may have closed a case since the plan was made: never remind someone who paid.
      const gone = closed.get(c.caseId);
      if (gone !== undefined) return { ok: false, reason: 'closed', detail: `case ${gone.id} is ${gone.status} now` };
    }
    const id = Number(insertMessage.run(m.runId, m.emailKey, m.stage, m.channel, m.template, m.recipient, m.messageId, at, at).lastInsertRowid);
    for (const c of m.cases) insertCase.run(id, c.caseId, c.stage);
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

/** How one message ended. */
export type MessageOutcome =
  | { id: number; state: 'sent'; providerId: string | null; response: string }
  | { id: number; state: 'failed'; permanent: boolean; error: string }
  | { id: number; state: 'unknown'; error: string };

/**
 * Stores how messages ended. A failed message releases its claims so a later run may try that
 * stage again; sent and unknown keep them (an unknown message is never resent automatically).
 */
export function recordOutcomes(db: Db, outcomes: readonly MessageOutcome[], now: Date): void {
  writersOf(db).record(outcomes, now.toISOString());
}

function recordTransaction(db: Db): Writers['record'] {
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
export function sweepSending(db: Db, now: Date): number {
  return db
    .prepare("UPDATE messages SET state = 'unknown', error = 'the run sending it ended before the outcome was known', updated_at = ? WHERE state = 'sending'")
    .run(now.toISOString()).changes;
}

/** `--retry-unknown`: after a person looked, unknown messages become failed and release their stages. */
export function releaseUnknown(db: Db, runId: number, now: Date): number {
  return db.transaction(() => {
    db.prepare(
      `UPDATE message_cases SET released = 1 WHERE message_id IN (SELECT id FROM messages WHERE state = 'unknown')`,
    ).run();
    return db
      .prepare(`UPDATE messages SET state = 'failed', error = coalesce(error, '') || ' (released for a retry by run ' || ? || ')', updated_at = ? WHERE state = 'unknown'`)
      .run(runId, now.toISOString()).changes;
  }).immediate();
}

/** A message whose fate is unknown, as status lists it. */
export interface UnknownMessage {
  id: number;
  runId: number;
  recipient: string;
  stage: string;
  channel: string;
  messageId: string;
  createdAt: string;
  orderIds: string;
}

/** Messages in state unknown, oldest first. */
export function listUnknown(db: Db): UnknownMessage[] {
  return db
    .prepare<[], UnknownMessage>(
      `SELECT m.id, m.run_id AS runId, m.recipient, m.stage, m.channel, m.message_id AS messageId, m.created_at AS createdAt,
              (SELECT group_concat(c.order_id, ', ') FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS orderIds
       FROM messages m WHERE m.state = 'unknown' ORDER BY m.id`,
    )
    .all();
}

/** How many messages are in each state (for tests and reports). */
export function countByState(db: Db): Record<MessageState, number> {
  const counts: Record<MessageState, number> = { sending: 0, sent: 0, failed: 0, unknown: 0 };
  for (const row of db.prepare<[], { state: MessageState; n: number }>('SELECT state, count(*) AS n FROM messages GROUP BY state').all()) {
    counts[row.state] = row.n;
  }
  return counts;
}
