import type { CustomerBook, CustomerHold, CustomerMessage, CustomerNote } from '../../app/ports.js';
import { DIED_WHILE_SENDING as DIED } from '../shared.js';
import type { PgDb } from './connection.js';
import { liveSendRun } from './locks.js';

const HOLD = 'snoozed_until AS "snoozedUntil", stopped_at AS "stoppedAt", stop_reason AS "stopReason"';

/** Holds and notes of customers, and what they were sent. */
export function pgCustomerBook(db: PgDb): CustomerBook {
  return {
    hold: async (emailKey) => db.row<CustomerHold>(`SELECT ${HOLD} FROM customer_controls WHERE email_key = $1`, [emailKey]),
    setHold: async (emailKey, hold) => {
      await db.run(
        `INSERT INTO customer_controls (email_key, snoozed_until, stopped_at, stop_reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email_key) DO UPDATE SET snoozed_until = excluded.snoozed_until, stopped_at = excluded.stopped_at, stop_reason = excluded.stop_reason`,
        [emailKey, hold.snoozedUntil, hold.stoppedAt, hold.stopReason],
      );
    },
    setCaseHolds: async (holds) => {
      if (holds.length === 0) return;
      await db.run(
        `UPDATE cases c SET snoozed_until = h.snoozed_until, stopped_at = h.stopped_at::timestamptz, stop_reason = h.stop_reason
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS h(id, snoozed_until, stopped_at, stop_reason) WHERE c.id = h.id`,
        [holds.map((h) => h.caseId), holds.map((h) => h.hold.snoozedUntil), holds.map((h) => h.hold.stoppedAt), holds.map((h) => h.hold.stopReason)],
      );
    },
    addNote: async (emailKey, caseId, runId, text, at) => {
      await db.run('INSERT INTO notes (email_key, case_id, run_id, text, created_at) VALUES ($1, $2, $3, $4, $5)', [emailKey, caseId, runId, text, at]);
    },
    notes: async (emailKey) =>
      db.rows<CustomerNote>(
        `SELECT n.text, n.created_at AS "createdAt", c.order_id AS "orderId", n.run_id AS "runId"
         FROM notes n LEFT JOIN cases c ON c.id = n.case_id WHERE n.email_key = $1 ORDER BY n.id`,
        [emailKey],
      ),
    messages: async (emailKey) => {
      const live = await liveSendRun(db);
      // A message left `sending` by a run that died shows as what the next send will call it: unknown.
      return db.rows<CustomerMessage>(
        `SELECT m.id, m.run_id AS "runId", m.stage, m.channel, m.recipient, m.created_at AS "createdAt", m.updated_at AS "updatedAt",
                CASE WHEN m.state = 'sending' AND m.run_id IS DISTINCT FROM $2::bigint THEN 'unknown' ELSE m.state END AS state,
                CASE WHEN m.state = 'sending' AND m.run_id IS DISTINCT FROM $2::bigint THEN '${DIED}' ELSE m.error END AS error,
                (SELECT string_agg(c.order_id, ', ' ORDER BY mc.case_id) FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS "orderIds"
         FROM messages m WHERE m.email_key = $1 ORDER BY m.id DESC`,
        [emailKey, live],
      );
    },
    clearRejection: async (emailKey) => db.run("UPDATE messages SET permanent = 0 WHERE email_key = $1 AND state = 'failed' AND permanent = 1", [emailKey]),
    transaction: async (work) => db.transaction(work),
  };
}
