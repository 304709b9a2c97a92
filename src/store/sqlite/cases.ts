import type { CaseLookup, SentReminder } from '../../app/ports.js';
import type { Db } from './database.js';
import { caseColumns, toStoredCase, type CaseRow } from '../rows.js';

/** Cases by order and by customer. */
export function sqliteCaseLookup(db: Db): CaseLookup {
  return {
    ofOrder: async (orderId) => db.prepare<[string], CaseRow>(`SELECT ${caseColumns()} FROM cases WHERE order_id = ? ORDER BY due_date, id`).all(orderId).map(toStoredCase),
    ofCustomer: async (emailKey) => db.prepare<[string], CaseRow>(`SELECT ${caseColumns()} FROM cases WHERE email_key = ? ORDER BY due_date DESC, id DESC`).all(emailKey).map(toStoredCase),
    extraColumnNames: async () => {
      const extra = db.prepare<[], string>('SELECT extra FROM cases ORDER BY id DESC LIMIT 1').pluck().get();
      return extra === undefined ? [] : Object.keys(JSON.parse(extra) as Record<string, unknown>);
    },
    lateChargeHistory: async (caseIds) => {
      const ids = JSON.stringify(caseIds);
      const payments = db
        .prepare<[string], { caseId: number; minor: number; at: string }>(
          `SELECT case_id AS caseId, amount_minor AS minor, recorded_at AS at FROM payments
           WHERE kind = 'partial' AND case_id IN (SELECT value FROM json_each(?)) ORDER BY recorded_at, id`,
        )
        .all(ids);
      const sentStages = db
        .prepare<[string], string>(
          `SELECT m.stage FROM messages m WHERE m.state = 'sent'
           AND m.id IN (SELECT message_id FROM message_cases WHERE case_id IN (SELECT value FROM json_each(?))) ORDER BY m.id`,
        )
        .pluck()
        .all(ids);
      return { payments, sentStages };
    },
    sentTheStage: async (stage) => {
      const cases = db
        .prepare<[string], CaseRow>(
          `SELECT ${caseColumns('c')} FROM cases c WHERE c.status = 'open' AND c.stopped_at IS NULL
           AND EXISTS (SELECT 1 FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE mc.case_id = c.id AND m.stage = ? AND m.state = 'sent')
           ORDER BY c.due_date, c.id`,
        )
        .all(stage)
        .map(toStoredCase);
      const reminders = db.prepare<[number], SentReminder>(
        `SELECT m.stage, m.updated_at AS sentAt, m.message_id AS messageId FROM message_cases mc JOIN messages m ON m.id = mc.message_id
         WHERE mc.case_id = ? AND m.state = 'sent' ORDER BY m.updated_at, m.id`,
      );
      return cases.map((c) => ({ case: c, reminders: reminders.all(c.id) }));
    },
  };
}
