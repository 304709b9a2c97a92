import type { HeldCode, PromoCodes } from '../../app/ports.js';
import { CODE_ISSUED } from '../shared.js';
import type { PgDb } from './connection.js';

/** Promo code pools and holders in `promo_codes`. A pool code is given to one customer, never reused. */
export function pgPromoCodes(db: PgDb): PromoCodes {
  return {
    addPoolCodes: async (pool, codes, at) => {
      if (codes.length === 0) return 0;
      return db.run(
        `INSERT INTO promo_codes (stage, code, pool, loaded_at) SELECT $1, code, $1, $2 FROM unnest($3::text[]) AS c(code)
         ON CONFLICT (pool, code) WHERE pool IS NOT NULL DO NOTHING`,
        [pool, at, [...codes]],
      );
    },
    takenPoolCodes: async (pool) => new Set((await db.rows<{ code: string }>('SELECT code FROM promo_codes WHERE pool = $1 AND email_key IS NOT NULL', [pool])).map((r) => r.code)),
    heldCodeOf: async (stage, emailKey) => (await db.row<{ code: string }>('SELECT code FROM promo_codes WHERE stage = $1 AND email_key = $2 ORDER BY id DESC LIMIT 1', [stage, emailKey]))?.code,
    heldCodes: async (emailKey) =>
      db.rows<HeldCode>(
        `SELECT coalesce((SELECT email FROM cases c WHERE c.email_key = p.email_key ORDER BY c.id DESC LIMIT 1), p.email_key) AS email,
                p.email_key AS "emailKey", p.stage, p.code, p.issued_at AS "issuedAt", p.expires_at AS "expiresAt",
                NOT EXISTS (SELECT 1 FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = p.message_id AND c.status <> 'paid') AS paid
         FROM promo_codes p
         WHERE p.email_key IS NOT NULL AND p.issued_at IS NOT NULL AND ${CODE_ISSUED} AND ($1::text IS NULL OR p.email_key = $1)
         ORDER BY p.issued_at DESC, p.id DESC`,
        [emailKey ?? null],
      ),
  };
}
