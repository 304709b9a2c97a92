import type { ReportSource } from '../../app/ports.js';
import type { MessageState } from '../../core/plan.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from '../../core/report.js';
import { CODE_ISSUED, parseDiscount } from '../shared.js';
import type { PgDb } from './connection.js';

/** What the recovery report is computed from. */
export function pgReportSource(db: PgDb): ReportSource {
  return {
    reportData: async () => {
      const cases = await db.rows<ReportCase>(
        `SELECT id, email_key AS "emailKey", currency, status, open_minor AS "openMinor", due_date AS "dueDate", closed_at AS "closedAt",
                email, order_id AS "orderId", TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) AS name FROM cases`,
      );
      const reminders = await db.rows<ReportReminder>(
        `SELECT mc.case_id AS "caseId", m.stage, m.template, m.updated_at AS "sentAt"
         FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE m.state = 'sent'`,
      );
      const payments = await db.rows<ReportPayment>('SELECT case_id AS "caseId", amount_minor AS "amountMinor", recorded_at AS at, kind FROM payments');
      const codes = await db.rows<Omit<ReportCode, 'discount'> & { discount: string | null }>(
        `SELECT p.email_key AS "emailKey", p.stage, p.issued_at AS "issuedAt", p.expires_at AS "expiresAt", p.discount FROM promo_codes p
         WHERE p.email_key IS NOT NULL AND p.issued_at IS NOT NULL AND ${CODE_ISSUED}`,
      );
      return { cases, reminders, payments, codes: codes.map((code) => ({ ...code, discount: parseDiscount(code.discount) })) };
    },
    messagesSince: async (since) => {
      const counts: Record<MessageState, number> = { sending: 0, sent: 0, failed: 0, unknown: 0 };
      for (const row of await db.rows<{ state: MessageState; n: number }>('SELECT state, count(*) AS n FROM messages WHERE updated_at >= $1 GROUP BY state', [since])) counts[row.state] = row.n;
      return counts;
    },
  };
}
