import type { SentMessageRef, SentRecord, SuppressionList } from '../../app/ports.js';
import type { Suppression } from '../../core/suppression.js';
import type { Db } from './database.js';

const COLUMNS = 'email_key AS emailKey, scope, reason, detail, happened_at AS happenedAt, source';

/** Suppressions and delivery reports (migration 8, issue 23). */
export function sqliteSuppressionList(db: Db): SuppressionList {
  return {
    add: async (entries, runId) => {
      const insert = db.prepare(
        'INSERT INTO suppressions (email_key, scope, reason, detail, happened_at, source, run_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email_key, scope) DO NOTHING',
      );
      let added = 0;
      for (const e of entries) added += insert.run(e.emailKey, e.scope, e.reason, e.detail, e.happenedAt, e.source, runId).changes;
      return added;
    },
    of: async (emailKey) => db.prepare<[string], Suppression>(`SELECT ${COLUMNS} FROM suppressions WHERE email_key = ? ORDER BY scope`).all(emailKey),
    lift: async (emailKey) => db.prepare('DELETE FROM suppressions WHERE email_key = ?').run(emailKey).changes,
    recordReport: async (r, runId) =>
      db
        .prepare(
          `INSERT INTO delivery_reports (report_key, email_key, message_id, kind, status, detail, reported_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (report_key) DO NOTHING`,
        )
        .run(r.reportKey, r.emailKey, r.messageId, r.kind, r.status, r.detail, r.reportedAt, runId).changes > 0,
    temporaryFailures: async (emailKey) =>
      Number(
        db
          .prepare(
            `SELECT count(*) FROM delivery_reports WHERE email_key = ? AND kind = 'temporary'
             AND reported_at > coalesce((SELECT max(m.created_at) FROM messages m WHERE m.email_key = ? AND m.state = 'sent'
               AND NOT EXISTS (SELECT 1 FROM delivery_reports d WHERE d.message_id = m.message_id)), '')`,
          )
          .pluck()
          .get(emailKey, emailKey),
      ),
    messageById: async (messageId) =>
      db.prepare<[string], SentMessageRef>('SELECT email_key AS emailKey, message_id AS messageId FROM messages WHERE message_id = ?').get(messageId),
    messageOfCases: async (caseIds) => {
      if (caseIds.length === 0) return undefined;
      const marks = caseIds.map(() => '?').join(', ');
      return db
        .prepare<number[], SentMessageRef>(
          `SELECT m.email_key AS emailKey, m.message_id AS messageId FROM messages m JOIN message_cases mc ON mc.message_id = m.id
           WHERE mc.case_id IN (${marks}) ORDER BY m.id DESC LIMIT 1`,
        )
        .get(...caseIds);
    },
    sentThrough: async (channel, since) =>
      db
        .prepare<[string, string], SentRecord>(
          `SELECT email_key AS emailKey, recipient, message_id AS messageId, provider_id AS providerId, created_at AS sentAt
           FROM messages WHERE channel = ? AND state = 'sent' AND created_at >= ? ORDER BY id`,
        )
        .all(channel, since.toISOString()),
    transaction: (work) => inTransaction(db, work),
  };
}

async function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
