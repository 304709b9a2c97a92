/** The import port of the store: one import is one transaction. See ../ports.ts. */
import type { KnownCase, StoredOrder } from '../../core/cases.js';
import type { StoredCase } from '../../core/case.js';

/** An earlier import, to recognise a file that was imported before. */
export interface PastImport {
  id: number;
  fileSize: number;
  sha256: string;
  settingsHash: string;
  importedAt: string;
  rows: number;
  rejected: number;
}

/** What an import of one file found. */
export interface ImportCounts {
  rows: number;
  new: number;
  updated: number;
  closed: number;
  unchanged: number;
  rejected: number;
}

/** A new case from an export row. */
export interface NewCase {
  order: StoredOrder;
  extraJson: string;
}

/** A known case and what a newer export says about it. */
export interface CaseUpdate {
  known: KnownCase;
  order: StoredOrder;
  extraJson: string;
  status: StoredCase['status'];
  closedReason: StoredCase['closedReason'];
  /** The payment the change implies (an open amount that dropped), 0 for none. */
  paymentMinor: number;
}

/** Imports run in one transaction each. */
export interface ImportStore {
  /**
   * Begins an import: everything written through the session lands with commit() or not at all.
   * `bulk`: a first import of many rows may be written in the way fastest for the adapter.
   */
  begin(options: { bulk: boolean }): Promise<ImportSession>;
}

/** One import's transaction. */
export interface ImportSession {
  latestImport(source: string): Promise<PastImport | undefined>;
  hasCases(source: string): Promise<boolean>;
  countOpen(source: string): Promise<number>;
  /** Records an import of one file; counts are written by finishImport. */
  startImport(runId: number, source: string, file: string, mode: 'snapshot' | 'partial', settingsHash: string, at: string): Promise<number>;
  finishImport(importId: number, fileSize: number, sha256: string, counts: ImportCounts): Promise<void>;
  /** The stored cases with these keys, in order (undefined for a key the store lacks). */
  findCases(source: string, keys: readonly { orderId: string; dueDate: string }[]): Promise<(KnownCase | undefined)[]>;
  /**
   * Adds new open cases of a source in order; returns each one's id, or undefined for a case whose
   * key a case written before already has (the run lists it twice).
   */
  addCases(source: string, cases: readonly NewCase[], importId: number, at: string): Promise<(number | undefined)[]>;
  /** Writes what newer export rows say about known cases, and the payments they imply. */
  updateCases(updates: readonly CaseUpdate[], importId: number, at: string): Promise<void>;
  /** Ids of the open cases of a source that are not in `listed`. */
  openCasesNotIn(source: string, listed: { has(id: number): boolean }): Promise<number[]>;
  /** Ids and statuses of every case of one order (all its due dates). */
  findOrderCases(source: string, orderId: string): Promise<{ id: number; status: StoredCase['status'] }[]>;
  /**
   * Closes open cases because the export says their order is paid (recording the open amount as
   * paid in full) or refunded, cancelled or voided (closed as cancelled, no payment).
   */
  closeOrderCases(caseIds: readonly number[], as: 'paid' | 'cancelled', importId: number, at: string): Promise<void>;
  /** Closes cases as paid because a complete export no longer lists them. */
  closeMissing(caseIds: readonly number[], importId: number, at: string): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
