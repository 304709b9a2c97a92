import type { Config } from '../config/schema.js';
import type { PlannedMessage } from '../core/plan.js';
import type { Db } from '../store/database.js';
import { acquireLock, releaseLock, SEND_LOCK } from '../store/lock.js';
import { claimMessages, recordOutcomes } from '../store/messages.js';
import { plannedMessageId } from '../send/build-message.js';
import type { MessageCode } from '../send/promo.js';

/**
 * Records that the merchant mailed the customers due this stage through another tool: each message
 * is claimed and marked sent (channel "export") like a send would, so the sequence moves on and
 * nobody gets that stage twice. Takes the send lock, as a send does.
 */
export function markSent(
  db: Db,
  config: Config,
  messages: readonly PlannedMessage[],
  stage: string,
  runId: number,
  now: Date,
  codes: ReadonlyMap<string, MessageCode | undefined>,
): number {
  acquireLock(db, SEND_LOCK, { runId, pid: process.pid, since: now.toISOString() });
  try {
    const chosen = messages.filter((m) => m.stage.name === stage);
    const claims = claimMessages(
      db,
      chosen.map((m) => ({
        runId, emailKey: m.customer.emailKey, stage, channel: 'export', template: m.stage.template, recipient: m.customer.email,
        messageId: plannedMessageId(m, config), cases: m.cases.map((c) => ({ caseId: c.id, stage: c.stage })), code: codes.get(m.customer.emailKey)?.assignment,
      })),
      now,
    );
    const ids = claims.flatMap((c) => (c.ok ? [c.id] : []));
    recordOutcomes(db, ids.map((id) => ({ id, state: 'sent', providerId: null, response: 'marked as sent by dunning export' })), now);
    return ids.length;
  } finally {
    releaseLock(db, SEND_LOCK, runId);
  }
}
