import type { SentMessageRef, SentRecord, SuppressionList } from '../../app/ports.js';
import type { Suppression } from '../../core/suppression.js';
import type { PgDb } from './connection.js';

const COLUMNS = 'email_key AS "emailKey", scope, reason, detail, happened_at AS "happenedAt", source';

/** Suppressions and delivery reports (migration 9, issue 23). */
export function pgSuppressionList(db: PgDb): SuppressionList {
  return {
    add: async (entries, runId) => {
      if (entries.length === 0) return 0;
      const column = <K extends keyof Suppression>(key: K): Suppression[K][] => entries.map((e) => e[key]);
      // One statement for the lot; an address listed twice in it keeps its first row, as one by one would.
      return db.run(
        `INSERT INTO suppressions (email_key, scope, reason, detail, happened_at, source, run_id)
         SELECT e.email_key, e.scope, e.reason, e.detail, e.happened_at::timestamptz, e.source, $7
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(email_key, scope, reason, detail, happened_at, source, n)
         ORDER BY e.n ON CONFLICT (email_key, scope) DO NOTHING`,
        [column('emailKey'), column('scope'), column('reason'), column('detail'), column('happenedAt'), column('source'), runId],
      );
    },
    of: async (emailKey) => db.rows<Suppression>(`SELECT ${COLUMNS} FROM suppressions WHERE email_key = $1 ORDER BY scope`, [emailKey]),
    lift: async (emailKey) => db.run('DELETE FROM suppressions WHERE email_key = $1', [emailKey]),
    recordReport: async (r, runId) =>
      (await db.run(
        `INSERT INTO delivery_reports (report_key, email_key, message_id, kind, status, detail, reported_at, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (report_key) DO NOTHING`,
        [r.reportKey, r.emailKey, r.messageId, r.kind, r.status, r.detail, r.reportedAt, runId],
      )) > 0,
    temporaryFailures: async (emailKey) =>
      (
        await db.row<{ n: number }>(
          `SELECT count(*) AS n FROM delivery_reports WHERE email_key = $1 AND kind = 'temporary'
           AND reported_at > coalesce((SELECT max(m.created_at) FROM messages m WHERE m.email_key = $1 AND m.state = 'sent'
             AND NOT EXISTS (SELECT 1 FROM delivery_reports d WHERE d.message_id = m.message_id)), '-infinity')`,
          [emailKey],
        )
      )?.n ?? 0,
    messageById: async (messageId) => db.row<SentMessageRef>('SELECT email_key AS "emailKey", message_id AS "messageId" FROM messages WHERE message_id = $1', [messageId]),
    messageOfCases: async (caseIds) => {
      if (caseIds.length === 0) return undefined;
      return db.row<SentMessageRef>(
        `SELECT m.email_key AS "emailKey", m.message_id AS "messageId" FROM messages m JOIN message_cases mc ON mc.message_id = m.id
         WHERE mc.case_id = ANY($1::bigint[]) ORDER BY m.id DESC LIMIT 1`,
        [[...caseIds]],
      );
    },
    sentThrough: async (channel, since) =>
      db.rows<SentRecord>(
        `SELECT email_key AS "emailKey", recipient, message_id AS "messageId", provider_id AS "providerId", created_at AS "sentAt"
         FROM messages WHERE channel = $1 AND state = 'sent' AND created_at >= $2 ORDER BY id`,
        [channel, since.toISOString()],
      ),
    transaction: (work) => db.transaction(work),
  };
}
