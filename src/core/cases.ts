import type { ClosedReason, CaseStatus, StoredCase } from './case.js';
import type { OrderLine } from './order-line.js';

export type { CaseStatus, ClosedReason } from './case.js';

/** What the store knows of a case, as far as an import compares it: the stored case with its extra columns as JSON. */
export type KnownCase = Pick<StoredCase, 'id' | 'status' | 'closedReason' | 'dueAt' | 'email' | 'firstName' | 'lastName' | 'product' | 'openMinor' | 'paidMinor' | 'currency' | 'token' | 'localeHint' | 'payLink' | 'customerType'> & {
  extraJson: string;
};

/** An order line as the store takes it: its extra columns already as JSON. */
export type StoredOrder = Omit<OrderLine, 'extra'>;

/** What an export row does to a case. */
export type CaseChange =
  | { kind: 'new'; status: CaseStatus }
  | { kind: 'unchanged' }
  | { kind: 'updated'; status: CaseStatus; closedReason: ClosedReason | null; paymentMinor: number; reopened: boolean };

/** True when an export row owes nothing: its case is paid (a new one is never opened). */
export function isPaidInFull(line: Pick<OrderLine, 'openMinor'>): boolean {
  return line.openMinor === 0;
}

/** Decides what an export row means for the case it names: new, unchanged, a partial payment, paid, reopened. */
export function compareCase(known: KnownCase | undefined, line: StoredOrder, extraJson: string): CaseChange {
  const paid = isPaidInFull(line);
  if (known === undefined) return { kind: 'new', status: paid ? 'paid' : 'open' };
  const sameData =
    known.email === line.email &&
    known.dueAt === line.dueAt &&
    known.firstName === line.firstName &&
    known.lastName === line.lastName &&
    known.product === line.product &&
    known.openMinor === line.openMinor &&
    known.paidMinor === line.paidMinor &&
    known.currency === line.currency &&
    known.token === line.token &&
    known.localeHint === line.localeHint &&
    (known.payLink ?? null) === (line.payLink ?? null) &&
    (known.customerType ?? null) === (line.customerType ?? null) &&
    known.extraJson === extraJson;
  // A case closed because a snapshot lacked it, that an export lists as open again, was not paid after all.
  const reopened = known.status === 'paid' && !paid;
  if (sameData && !reopened) return { kind: 'unchanged' };
  if (known.status === 'cancelled') return { kind: 'updated', status: 'cancelled', closedReason: known.closedReason, paymentMinor: 0, reopened: false };
  const drop = known.currency === line.currency ? known.openMinor - line.openMinor : 0;
  return {
    kind: 'updated',
    status: paid ? 'paid' : 'open',
    closedReason: paid ? 'paid_in_full' : null,
    paymentMinor: known.status === 'open' && drop > 0 ? drop : 0,
    reopened,
  };
}

/** What a snapshot import does about the open cases of its source that it no longer lists. */
export type SnapshotClosing =
  /** Close them as paid. */
  | { kind: 'close' }
  /** Keep them open: rejected rows may be theirs, so the export may list them after all. */
  | { kind: 'hold' }
  /** Refuse the import: it would close more than half of the source's open cases. */
  | { kind: 'needs_force' };

/** The facts of one source after its snapshot files were read. */
export interface SnapshotFacts {
  /** Open cases of the source before the import. */
  openBefore: number;
  /** Of those, the ones no row of the import listed. */
  missing: number;
  /** Rows of the source's files that were rejected. */
  rejectedRows: number;
  force: boolean;
}

/**
 * The snapshot rule: open cases a complete export no longer lists have been paid. While any row was
 * rejected they stay open (the rejected row may be theirs), and a snapshot that would close more
 * than half of a source's open cases is more likely a wrong file than a wave of payments: it needs
 * `--force`.
 */
export function snapshotClosing(facts: SnapshotFacts): SnapshotClosing {
  if (facts.rejectedRows > 0) return { kind: 'hold' };
  if (facts.missing > 0 && facts.missing * 2 > facts.openBefore && !facts.force) return { kind: 'needs_force' };
  return { kind: 'close' };
}
