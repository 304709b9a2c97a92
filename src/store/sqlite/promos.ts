import type { HeldCode, PromoCodes } from '../../app/ports.js';
import type { Db } from './database.js';
import { CODE_ISSUED } from '../shared.js';

/** Promo code pools and holders in `promo_codes`. A pool code is given to one customer, never reused. */
export function sqlitePromoCodes(db: Db): PromoCodes {
  const heldCode = db.prepare<[string, string], string>('SELECT code FROM promo_codes WHERE stage = ? AND email_key = ? ORDER BY id DESC LIMIT 1').pluck();
  return {
    addPoolCodes: async (pool, codes, at) => {
      const insert = db.prepare('INSERT OR IGNORE INTO promo_codes (stage, code, pool, loaded_at) VALUES (?, ?, ?, ?)');
      return db.transaction(() => codes.reduce((added, code) => added + insert.run(pool, code, pool, at).changes, 0))();
    },
    takenPoolCodes: async (pool) => new Set(db.prepare<[string], string>('SELECT code FROM promo_codes WHERE pool = ? AND email_key IS NOT NULL').pluck().all(pool)),
    heldCodeOf: async (stage, emailKey) => heldCode.get(stage, emailKey),
    heldCodes: async (emailKey) =>
      db
        .prepare<{ key: string | null }, Omit<HeldCode, 'paid'> & { paid: number }>(
          `SELECT coalesce((SELECT email FROM cases c WHERE c.email_key = p.email_key ORDER BY c.id DESC LIMIT 1), p.email_key) AS email,
                  p.email_key AS emailKey, p.stage, p.code, p.issued_at AS issuedAt, p.expires_at AS expiresAt,
                  NOT EXISTS (SELECT 1 FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = p.message_id AND c.status <> 'paid') AS paid
           FROM promo_codes p
           WHERE p.email_key IS NOT NULL AND p.issued_at IS NOT NULL AND ${CODE_ISSUED} AND (:key IS NULL OR p.email_key = :key)
           ORDER BY p.issued_at DESC, p.id DESC`,
        )
        .all({ key: emailKey ?? null })
        .map((row) => ({ ...row, paid: row.paid === 1 })),
  };
}
