import type { ReportSource } from '../../app/ports.js';
import type { MessageState } from '../../core/plan.js';
import type { Discount } from '../../core/promo.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from '../../core/report.js';
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

/** A code counts as issued once its message went out (sent), or may have (unknown): never for a failed or unsent one (issue 21). */
export const CODE_ISSUED = "EXISTS (SELECT 1 FROM messages m WHERE m.id = p.message_id AND m.state IN ('sent', 'unknown'))";

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

/** The discount a code was handed out with, as the send wrote it (JSON of a Discount), or null. */
export function parseDiscount(json: string | null): Discount | null {
  if (json === null) return null;
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null) return null;
  if ('percentOff' in value && typeof value.percentOff === 'number') return { percentOff: value.percentOff };
  if ('amountOff' in value && typeof value.amountOff === 'object' && value.amountOff !== null) {
    const off = value.amountOff;
    if ('minor' in off && 'currency' in off && typeof off.minor === 'number' && typeof off.currency === 'string') return { amountOff: { minor: off.minor, currency: off.currency } };
  }
  return null;
}
