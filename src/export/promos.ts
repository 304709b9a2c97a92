import type { Config } from '../config/schema.js';
import type { PlannedMessage } from '../core/plan.js';
import { PromoDesk, type MessageCode } from '../send/promo.js';
import type { Db } from '../store/database.js';
import { previewPromo } from '../templates/message-request.js';
import type { MessagePromo } from '../templates/types.js';

/** The promo codes of an export: each customer's code, and the promo to show in the customer's row. */
export interface ExportPromos {
  /** Codes handed out, by customer; only filled when the export is marked as mailed. */
  codes: ReadonlyMap<string, MessageCode | undefined>;
  promoOf: (message: PlannedMessage) => MessagePromo | undefined;
}

/**
 * Chooses the codes of an export. Marked as mailed (--mark-sent), customers get their codes as a
 * send would hand them out, pool codes included; a plain export takes no pool code and shows only
 * a stage's fixed code, the same for everyone.
 */
export function exportPromos(db: Db, config: Config, baseDir: string, messages: readonly PlannedMessage[], now: Date, marking: boolean): ExportPromos {
  if (!marking) {
    return { codes: new Map(), promoOf: (m) => fixedPromo(config, m, now) };
  }
  const codes = new Map<string, MessageCode | undefined>();
  const desk = PromoDesk.prepare(db, config, baseDir, messages, now, false);
  for (const m of messages) codes.set(m.customer.emailKey, desk.codeFor(m, now));
  return { codes, promoOf: (m) => codes.get(m.customer.emailKey)?.promo };
}

/** A stage's fixed code (the same for everyone, so a plain export can show it); pool codes need --mark-sent. */
function fixedPromo(config: Config, message: PlannedMessage, now: Date): MessagePromo | undefined {
  const stage = config.sequence.stages.find((s) => s.name === message.stage.name);
  return stage?.promo?.code === undefined ? undefined : previewPromo(stage, now, message.cases[0]?.currency ?? config.currency);
}
