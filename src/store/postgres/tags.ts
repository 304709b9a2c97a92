import type { TagRemovalRecord } from '../../app/ports.js';
import type { PushedCustomer, TagRemovalState } from '../../core/tag-removal.js';
import type { PgDb } from './connection.js';

interface PushedRow {
  emailKey: string;
  email: string;
  pushedInRun: number;
  casesInDunning: number;
  removalRun: number | null;
  removalState: TagRemovalState | null;
  removalPermanent: number | null;
}

/** Every customer a channel's push tagged or may have tagged, with their newest push, their open cases and their newest tag removal. */
export async function automatedCustomers(db: PgDb, channel: string): Promise<PushedCustomer[]> {
  const rows = await db.rows<PushedRow>(
    `SELECT p.email_key AS "emailKey", m.recipient AS email, p.run_id AS "pushedInRun", CASE WHEN cc.stopped_at IS NULL THEN coalesce(o.n, 0) ELSE 0 END AS "casesInDunning",
            r.run_id AS "removalRun", r.state AS "removalState", r.permanent AS "removalPermanent"
     FROM (SELECT email_key, max(id) AS id, max(run_id) AS run_id FROM messages
           WHERE channel = $1 AND state IN ('sent', 'unknown') GROUP BY email_key) p
     JOIN messages m ON m.id = p.id
     LEFT JOIN (SELECT email_key, count(*) AS n FROM cases WHERE status = 'open' AND stopped_at IS NULL GROUP BY email_key) o ON o.email_key = p.email_key
     LEFT JOIN customer_controls cc ON cc.email_key = p.email_key
     LEFT JOIN (SELECT email_key, max(id) AS id FROM mailchimp_tag_removals GROUP BY email_key) newest ON newest.email_key = p.email_key
     LEFT JOIN mailchimp_tag_removals r ON r.id = newest.id
     ORDER BY p.email_key`,
    [channel],
  );
  return rows.map((row) => ({
    emailKey: row.emailKey,
    email: row.email,
    pushedInRun: row.pushedInRun,
    casesInDunning: row.casesInDunning,
    lastRemoval: row.removalRun === null || row.removalState === null ? null : { run: row.removalRun, state: row.removalState, permanent: row.removalPermanent === 1 },
  }));
}

/** Records the removals of one run: which tags were set inactive in which audience, and how each ended. */
export async function recordTagRemovals(db: PgDb, run: { runId: number; listId: string; tags: readonly string[] }, records: readonly TagRemovalRecord[], now: Date): Promise<void> {
  if (records.length === 0) return;
  await db.run(
    `INSERT INTO mailchimp_tag_removals (run_id, email_key, email, list_id, tags, state, permanent, error, attempted_at)
     SELECT $1, r.email_key, r.email, $2, $3, r.state, r.permanent, r.error, $4
     FROM unnest($5::text[], $6::text[], $7::text[], $8::int[], $9::text[]) WITH ORDINALITY AS r(email_key, email, state, permanent, error, n) ORDER BY r.n`,
    [run.runId, run.listId, JSON.stringify(run.tags), now.toISOString(), records.map((r) => r.emailKey), records.map((r) => r.email), records.map((r) => r.state), records.map((r) => (r.permanent ? 1 : 0)), records.map((r) => r.error)],
  );
}
