import type { TagRemovalRecord } from '../../app/ports.js';
import type { PushedCustomer, TagRemovalState } from '../../core/tag-removal.js';
import type { Db } from './database.js';

interface PushedRow {
  emailKey: string;
  email: string;
  pushedInRun: number;
  casesInDunning: number;
  removalRun: number | null;
  removalState: TagRemovalState | null;
  removalPermanent: number | null;
}

/**
 * Every customer a channel's push tagged (message sent) or may have tagged (unknown), with their
 * newest push, how many of their cases are still pursued (open and not stopped), and their newest
 * tag removal.
 */
export function automatedCustomers(db: Db, channel: string): PushedCustomer[] {
  return db
    .prepare<[string], PushedRow>(
      `SELECT p.email_key AS emailKey, m.recipient AS email, p.run_id AS pushedInRun, CASE WHEN cc.stopped_at IS NULL THEN coalesce(o.n, 0) ELSE 0 END AS casesInDunning,
              r.run_id AS removalRun, r.state AS removalState, r.permanent AS removalPermanent
       FROM (SELECT email_key, max(id) AS id, max(run_id) AS run_id FROM messages
             WHERE channel = ? AND state IN ('sent', 'unknown') GROUP BY email_key) p
       JOIN messages m ON m.id = p.id
       LEFT JOIN (SELECT email_key, count(*) AS n FROM cases WHERE status = 'open' AND stopped_at IS NULL GROUP BY email_key) o ON o.email_key = p.email_key
       LEFT JOIN customer_controls cc ON cc.email_key = p.email_key
       LEFT JOIN (SELECT email_key, max(id) AS id FROM mailchimp_tag_removals GROUP BY email_key) newest ON newest.email_key = p.email_key
       LEFT JOIN mailchimp_tag_removals r ON r.id = newest.id
       ORDER BY p.email_key`,
    )
    .all(channel)
    .map((row) => ({
      emailKey: row.emailKey,
      email: row.email,
      pushedInRun: row.pushedInRun,
      casesInDunning: row.casesInDunning,
      lastRemoval: row.removalRun === null || row.removalState === null ? null : { run: row.removalRun, state: row.removalState, permanent: row.removalPermanent === 1 },
    }));
}

/** Records the removals of one run: which tags were set inactive in which audience, and how each ended. */
export function recordTagRemovals(db: Db, run: { runId: number; listId: string; tags: readonly string[] }, records: readonly TagRemovalRecord[], now: Date): void {
  const insert = db.prepare(
    `INSERT INTO mailchimp_tag_removals (run_id, email_key, email, list_id, tags, state, permanent, error, attempted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tags = JSON.stringify(run.tags);
  const at = now.toISOString();
  db.transaction(() => {
    for (const r of records) insert.run(run.runId, r.emailKey, r.email, run.listId, tags, r.state, r.permanent ? 1 : 0, r.error, at);
  }).immediate();
}
