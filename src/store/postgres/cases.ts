import type { CaseLookup, SentReminder } from '../../app/ports.js';
import { caseColumns, toStoredCase, type CaseRow } from '../rows.js';
import type { PgDb } from './connection.js';

const CASE = caseColumns(undefined, true);

/** Cases by order and by customer. */
export function pgCaseLookup(db: PgDb): CaseLookup {
  return {
    ofOrder: async (orderId) => (await db.rows<CaseRow>(`SELECT ${CASE} FROM cases WHERE order_id = $1 ORDER BY due_date, id`, [orderId])).map(toStoredCase),
    ofCustomer: async (emailKey) => (await db.rows<CaseRow>(`SELECT ${CASE} FROM cases WHERE email_key = $1 ORDER BY due_date DESC, id DESC`, [emailKey])).map(toStoredCase),
    extraColumnNames: async () => {
      const row = await db.row<{ extra: string }>('SELECT extra FROM cases ORDER BY id DESC LIMIT 1');
      return row === undefined ? [] : Object.keys(JSON.parse(row.extra) as Record<string, unknown>);
    },
    lateChargeHistory: async (caseIds) => {
      const ids = [...caseIds];
      const payments = await db.rows<{ caseId: number; minor: number; at: string }>(
        `SELECT case_id AS "caseId", amount_minor AS minor, recorded_at AS at FROM payments
         WHERE kind = 'partial' AND case_id = ANY($1::bigint[]) ORDER BY recorded_at, id`,
        [ids],
      );
      const stages = await db.rows<{ stage: string }>(
        `SELECT m.stage FROM messages m WHERE m.state = 'sent'
         AND m.id IN (SELECT message_id FROM message_cases WHERE case_id = ANY($1::bigint[])) ORDER BY m.id`,
        [ids],
      );
      return { payments, sentStages: stages.map((s) => s.stage) };
    },
    sentTheStage: async (stage) => {
      const cases = (
        await db.rows<CaseRow>(
          `SELECT ${caseColumns('c', true)} FROM cases c WHERE c.status = 'open' AND c.stopped_at IS NULL
           AND EXISTS (SELECT 1 FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE mc.case_id = c.id AND m.stage = $1 AND m.state = 'sent')
           ORDER BY c.due_date, c.id`,
          [stage],
        )
      ).map(toStoredCase);
      const result: { case: (typeof cases)[number]; reminders: SentReminder[] }[] = [];
      for (const c of cases) {
        const reminders = await db.rows<SentReminder>(
          `SELECT m.stage, m.updated_at AS "sentAt", m.message_id AS "messageId" FROM message_cases mc JOIN messages m ON m.id = mc.message_id
           WHERE mc.case_id = $1 AND m.state = 'sent' ORDER BY m.updated_at, m.id`,
          [c.id],
        );
        result.push({ case: c, reminders });
      }
      return result;
    },
  };
}
