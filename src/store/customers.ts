import type { Db } from './database.js';

/** What the merchant decided for a customer or a case: held until a day, or stopped. */
export interface Control {
  snoozedUntil: string | null;
  stoppedAt: string | null;
  stopReason: string | null;
}

/** A case as `dunning customer` lists it. */
export interface CustomerCase extends Control {
  id: number;
  source: string;
  orderId: string;
  dueDate: string;
  product: string;
  openMinor: number;
  paidMinor: number;
  currency: string;
  status: string;
  closedReason: string | null;
  closedAt: string | null;
  email: string;
  firstName: string;
  lastName: string;
}

/** A message about a customer, newest first. */
export interface CustomerMessage {
  id: number;
  runId: number;
  stage: string;
  channel: string;
  state: string;
  recipient: string;
  createdAt: string;
  updatedAt: string;
  error: string | null;
  orderIds: string;
}

/** A dated note. */
export interface CustomerNote {
  text: string;
  createdAt: string;
  orderId: string | null;
  runId: number;
}

const CONTROL = 'snoozed_until AS snoozedUntil, stopped_at AS stoppedAt, stop_reason AS stopReason';

/** Every case of a customer, newest due date first. */
export function casesOfCustomer(db: Db, emailKey: string): CustomerCase[] {
  return db
    .prepare<[string], CustomerCase>(
      `SELECT id, source, order_id AS orderId, due_date AS dueDate, product, open_minor AS openMinor, paid_minor AS paidMinor, currency,
              status, closed_reason AS closedReason, closed_at AS closedAt, email, first_name AS firstName, last_name AS lastName, ${CONTROL}
       FROM cases WHERE email_key = ? ORDER BY due_date DESC, id DESC`,
    )
    .all(emailKey);
}

/** The customer-wide control, if any. */
export function customerControl(db: Db, emailKey: string): Control | undefined {
  return db.prepare<[string], Control>(`SELECT ${CONTROL} FROM customer_controls WHERE email_key = ?`).get(emailKey);
}

/** Sets (or clears, with nulls) what holds a customer's messages. */
export function setCustomerControl(db: Db, emailKey: string, control: Control): void {
  db.prepare(
    `INSERT INTO customer_controls (email_key, snoozed_until, stopped_at, stop_reason) VALUES (?, ?, ?, ?)
     ON CONFLICT (email_key) DO UPDATE SET snoozed_until = excluded.snoozed_until, stopped_at = excluded.stopped_at, stop_reason = excluded.stop_reason`,
  ).run(emailKey, control.snoozedUntil, control.stoppedAt, control.stopReason);
}

/** Sets (or clears) what holds the messages about some cases. */
export function setCaseControl(db: Db, caseIds: readonly number[], control: Control): void {
  const update = db.prepare('UPDATE cases SET snoozed_until = ?, stopped_at = ?, stop_reason = ? WHERE id = ?');
  for (const id of caseIds) update.run(control.snoozedUntil, control.stoppedAt, control.stopReason, id);
}

/** Adds a dated note to a customer (and optionally one case). */
export function addNote(db: Db, emailKey: string, caseId: number | null, runId: number, text: string, at: string): void {
  db.prepare('INSERT INTO notes (email_key, case_id, run_id, text, created_at) VALUES (?, ?, ?, ?, ?)').run(emailKey, caseId, runId, text, at);
}

/** The notes of a customer, oldest first. */
export function notesOf(db: Db, emailKey: string): CustomerNote[] {
  return db
    .prepare<[string], CustomerNote>(
      `SELECT n.text, n.created_at AS createdAt, c.order_id AS orderId, n.run_id AS runId
       FROM notes n LEFT JOIN cases c ON c.id = n.case_id WHERE n.email_key = ? ORDER BY n.id`,
    )
    .all(emailKey);
}

/** The messages sent (or tried) to a customer, newest first. */
export function messagesOf(db: Db, emailKey: string): CustomerMessage[] {
  return db
    .prepare<[string], CustomerMessage>(
      `SELECT m.id, m.run_id AS runId, m.stage, m.channel, m.state, m.recipient, m.created_at AS createdAt, m.updated_at AS updatedAt, m.error,
              (SELECT group_concat(c.order_id, ', ') FROM message_cases mc JOIN cases c ON c.id = mc.case_id WHERE mc.message_id = m.id) AS orderIds
       FROM messages m WHERE m.email_key = ? ORDER BY m.id DESC`,
    )
    .all(emailKey);
}
