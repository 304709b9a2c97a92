import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** A code handed to a customer in the same transaction as their message's claim. */
export interface CodeAssignment {
  stage: string;
  code: string;
  /** The pool (the stage's name) a code came from, or null for the stage's fixed code. */
  pool: string | null;
  emailKey: string;
  discountJson: string;
  issuedAt: string;
  expiresAt: string;
}

/** A code some customer holds, as `promo export` and `customer` list it. */
export interface HeldCode {
  email: string;
  emailKey: string;
  stage: string;
  code: string;
  issuedAt: string;
  expiresAt: string;
}

/** Adds the codes of a pool file that the store does not know yet; returns how many were new. */
export function addPoolCodes(db: Db, pool: string, codes: readonly string[], at: string): number {
  const insert = db.prepare('INSERT OR IGNORE INTO promo_codes (stage, code, pool, loaded_at) VALUES (?, ?, ?, ?)');
  return db.transaction(() => codes.reduce((added, code) => added + insert.run(pool, code, pool, at).changes, 0))();
}

/** Codes of a pool that someone holds (never to be handed out again). */
export function takenPoolCodes(db: Db, pool: string): Set<string> {
  return new Set(db.prepare<[string], string>('SELECT code FROM promo_codes WHERE pool = ? AND email_key IS NOT NULL').pluck().all(pool));
}

// A send asks once or twice per message: the statement is prepared once per database.
const heldCodeStatements = new WeakMap<Db, Statement<[string, string], string>>();

/** The code a customer already holds for a stage, if any (a retry gets the same code again). */
export function heldCodeOf(db: Db, stage: string, emailKey: string): string | undefined {
  let statement = heldCodeStatements.get(db);
  if (statement === undefined) {
    statement = db.prepare<[string, string], string>('SELECT code FROM promo_codes WHERE stage = ? AND email_key = ? ORDER BY id DESC LIMIT 1').pluck();
    heldCodeStatements.set(db, statement);
  }
  return statement.get(stage, emailKey);
}

/**
 * Returns the function that hands a code out inside a claim transaction: a pool code only if no
 * one else holds it, a fixed code as a new row. False means the code was taken meanwhile.
 */
export function codeAssigner(db: Db): (assignment: CodeAssignment, messageRowId: number) => boolean {
  const takePool = db.prepare(
    `UPDATE promo_codes SET email_key = ?, message_id = ?, discount = ?, issued_at = ?, expires_at = ?
     WHERE pool = ? AND code = ? AND (email_key IS NULL OR email_key = ?)`,
  );
  const giveFixed = db.prepare(
    `INSERT INTO promo_codes (stage, code, pool, email_key, message_id, discount, issued_at, expires_at, loaded_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  return (a, messageRowId) => {
    if (a.pool === null) {
      giveFixed.run(a.stage, a.code, a.emailKey, messageRowId, a.discountJson, a.issuedAt, a.expiresAt, a.issuedAt);
      return true;
    }
    return takePool.run(a.emailKey, messageRowId, a.discountJson, a.issuedAt, a.expiresAt, a.pool, a.code, a.emailKey).changes === 1;
  };
}

/** Every code a customer holds, newest first, with the holder's address from their newest case. */
export function heldCodes(db: Db, emailKey?: string): HeldCode[] {
  return db
    .prepare<{ key: string | null }, HeldCode>(
      `SELECT coalesce((SELECT email FROM cases c WHERE c.email_key = p.email_key ORDER BY c.id DESC LIMIT 1), p.email_key) AS email,
              p.email_key AS emailKey, p.stage, p.code, p.issued_at AS issuedAt, p.expires_at AS expiresAt
       FROM promo_codes p
       WHERE p.email_key IS NOT NULL AND p.issued_at IS NOT NULL AND (:key IS NULL OR p.email_key = :key)
       ORDER BY p.issued_at DESC, p.id DESC`,
    )
    .all({ key: emailKey ?? null });
}
