import type { ReportSource } from '../../app/ports.js';
import type { MessageState } from '../../core/plan.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from '../../core/report.js';
import { CODE_ISSUED, parseDiscount } from '../shared.js';
import type { Db } from './database.js';

/** What the recovery report is computed from. */
export function sqliteReportSource(db: Db): ReportSource {
  return { reportData: async () => reportData(db), messagesSince: async (since) => messagesSince(db, since) };
}

function reportData(db: Db): { cases: ReportCase[]; reminders: ReportReminder[]; payments: ReportPayment[]; codes: ReportCode[] } {
  const cases = db
    .prepare<[], ReportCase>(
      `SELECT id, email_key AS emailKey, currency, status, open_minor AS openMinor, due_date AS dueDate, closed_at AS closedAt,
              email, order_id AS orderId, TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, '')) AS name FROM cases`,
    )
    .all();
  const reminders = db
    .prepare<[], ReportReminder>(
      `SELECT mc.case_id AS caseId, m.stage, m.template, m.updated_at AS sentAt
       FROM message_cases mc JOIN messages m ON m.id = mc.message_id WHERE m.state = 'sent'`,
    )
    .all();
  const payments = db.prepare<[], ReportPayment>('SELECT case_id AS caseId, amount_minor AS amountMinor, recorded_at AS at, kind FROM payments').all();
  return { cases, reminders, payments, codes: promoCodes(db) };
}

function messagesSince(db: Db, since: string): Record<MessageState, number> {
  const counts: Record<MessageState, number> = { sending: 0, sent: 0, failed: 0, unknown: 0 };
  const rows = db.prepare<[string], { state: MessageState; n: number }>('SELECT state, count(*) AS n FROM messages WHERE updated_at >= ? GROUP BY state').all(since);
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

function promoCodes(db: Db): ReportCode[] {
  return db
    .prepare<[], Omit<ReportCode, 'discount'> & { discount: string | null }>(
      `SELECT p.email_key AS emailKey, p.stage, p.issued_at AS issuedAt, p.expires_at AS expiresAt, p.discount FROM promo_codes p
       WHERE p.email_key IS NOT NULL AND p.issued_at IS NOT NULL AND ${CODE_ISSUED}`,
    )
    .all()
    .map((code) => ({ ...code, discount: parseDiscount(code.discount) }));
}
