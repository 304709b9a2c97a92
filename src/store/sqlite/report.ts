import type { ReportSource } from '../../app/ports.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from '../../core/report.js';
import type { Db } from './database.js';

/** What the recovery report is computed from. */
export function sqliteReportSource(db: Db): ReportSource {
  return { reportData: async () => reportData(db) };
}

function reportData(db: Db): { cases: ReportCase[]; reminders: ReportReminder[]; payments: ReportPayment[]; codes: ReportCode[] } {
  const cases = db
    .prepare<[], ReportCase>(
      `SELECT id, email_key AS emailKey, currency, status, open_minor AS openMinor, due_date AS dueDate, closed_at AS closedAt FROM cases`,
    )
    .all();
  const reminders = db
    .prepare<[], ReportReminder>(
      `SELECT mc.case_id AS caseId, m.stage, m.template, m.updated_at AS sentAt
       FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE m.state = 'sent'`,
    )
    .all();
  const payments = db.prepare<[], ReportPayment>('SELECT case_id AS caseId, amount_minor AS amountMinor, recorded_at AS at FROM payments').all();
  return { cases, reminders, payments, codes: promoCodes(db) };
}

/** A code counts as issued once its message went out (sent), or may have (unknown): never for a failed or unsent one (issue 21). */
export const CODE_ISSUED = "EXISTS (SELECT 1 FROM messages m WHERE m.id = p.message_id AND m.state IN ('sent', 'unknown'))";

function promoCodes(db: Db): ReportCode[] {
  return db
    .prepare<[], ReportCode>(
      `SELECT p.email_key AS emailKey, p.stage, p.issued_at AS issuedAt, p.expires_at AS expiresAt FROM promo_codes p
       WHERE p.email_key IS NOT NULL AND p.issued_at IS NOT NULL AND ${CODE_ISSUED}`,
    )
    .all();
}
