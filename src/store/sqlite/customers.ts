import type { CustomerBook, CustomerHold, CustomerMessage, CustomerNote } from '../../app/ports.js';
import type { Db } from './database.js';
import { DIED_WHILE_SENDING as DIED } from '../shared.js';
import { liveSendRun } from './locks.js';

const HOLD = 'snoozed_until AS snoozedUntil, stopped_at AS stoppedAt, stop_reason AS stopReason';

/** Holds and notes of customers, and what they were sent. */
export function sqliteCustomerBook(db: Db): CustomerBook {
  return {
    hold: async (emailKey) => db.prepare<[string], CustomerHold>(`SELECT ${HOLD} FROM customer_controls WHERE email_key = ?`).get(emailKey),
    setHold: async (emailKey, hold) => {
      db.prepare(
        `INSERT INTO customer_controls (email_key, snoozed_until, stopped_at, stop_reason) VALUES (?, ?, ?, ?)
         ON CONFLICT (email_key) DO UPDATE SET snoozed_until = excluded.snoozed_until, stopped_at = excluded.stopped_at, stop_reason = excluded.stop_reason`,
      ).run(emailKey, hold.snoozedUntil, hold.stoppedAt, hold.stopReason);
    },
    setCaseHolds: async (holds) => {
      const update = db.prepare('UPDATE cases SET snoozed_until = ?, stopped_at = ?, stop_reason = ? WHERE id = ?');
      for (const { caseId, hold } of holds) update.run(hold.snoozedUntil, hold.stoppedAt, hold.stopReason, caseId);
    },
    addNote: async (emailKey, caseId, runId, text, at) => {
      db.prepare('INSERT INTO notes (email_key, case_id, run_id, text, created_at) VALUES (?, ?, ?, ?, ?)').run(emailKey, caseId, runId, text, at);
    },
    notes: async (emailKey) =>
      db
        .prepare<[string], CustomerNote>(
          `SELECT n.text, n.created_at AS createdAt, c.order_id AS orderId, n.run_id AS runId
           FROM notes n LEFT JOIN cases c ON c.id = n.case_id WHERE n.email_key = ? ORDER BY n.id`,
        )
        .all(emailKey),
    messages: async (emailKey) =>
      db
        // A message left `sending` by a run that died shows as what the next send will call it: unknown.
        .prepare<[{ email: string; live: number | null }], CustomerMessage>(
          `SELECT m.id, m.run_id AS runId, m.stage, m.channel, m.recipient, m.created_at AS createdAt, m.updated_at AS updatedAt,
                  CASE WHEN m.state = 'sending' AND m.run_id IS NOT @live THEN 'unknown' ELSE m.state END AS state,
                  CASE WHEN m.state = 'sending' AND m.run_id IS NOT @live THEN '${DIED}' ELSE m.error END AS error,
                  (SELECT group_concat(c.order_id, ', ') FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS orderIds
           FROM messages m WHERE m.email_key = @email ORDER BY m.id DESC`,
        )
        .all({ email: emailKey, live: liveSendRun(db) }),
    clearRejection: async (emailKey) => db.prepare("UPDATE messages SET permanent = 0 WHERE email_key = ? AND state = 'failed' AND permanent = 1").run(emailKey).changes,
    transaction: async (work) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
