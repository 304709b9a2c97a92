/** The store ports: what app/ needs of a database, split by what it serves. See ../ports.ts. */
import type { ImportStore } from './import.js';
import type { SuppressionList } from './suppression.js';
import type { StoreTables } from './tables.js';
import type { Hold, StoredCase } from '../../core/case.js';
import type { CustomerFacts, MessageState } from '../../core/plan.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from '../../core/report.js';
import type { SourceImport } from '../../core/send-window.js';
import type { PushedCustomer, TagRemovalState } from '../../core/tag-removal.js';

/** The store of one database: its parts, split by what they serve. */
export interface Store {
  /** What it is, for messages: the SQLite file's path, or the server URL without its password. */
  readonly location: string;
  readonly runs: RunLog;
  readonly imports: ImportStore;
  readonly plan: PlanSource;
  readonly cases: CaseLookup;
  readonly customers: CustomerBook;
  readonly messages: MessageLog;
  readonly promos: PromoCodes;
  readonly suppressions: SuppressionList;
  readonly report: ReportSource;
  readonly locks: Locks;
  readonly tables: StoreTables;
  close(): Promise<void>;
}

/** How a store is opened. */
export interface OpenStoreOptions {
  /** Refuse to create the database: the command needs data an import puts there. */
  mustExist?: boolean;
  /** Open without creating or migrating anything. */
  readonly?: boolean;
}

/** Opens the store at a location (`--db`); an adapter's own. */
export type StoreOpener = (location: string, options?: OpenStoreOptions) => Promise<Store>;

/** One command invocation as the run log keeps it. */
export interface RunRecord {
  id: number;
  command: string;
  args: string[];
  startedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  summary: Record<string, unknown> | null;
  pid: number;
  host: string;
}

/** The run log: one row per command invocation. */
export interface RunLog {
  /** Writes the start of a run; `args` must already have secrets masked. */
  start(command: string, args: readonly string[], at: Date): Promise<number>;
  finish(runId: number, at: Date, exitCode: number, summary: Record<string, unknown>): Promise<void>;
  /** The newest runs first. */
  list(last: number): Promise<RunRecord[]>;
}

/** The order customers are read in: `send` (the oldest open case first, then by address) or whichever is cheapest. */
export type PlanOrder = 'send' | 'any';

/** What the planner reads: every customer with open cases, customer by customer. */
export interface PlanSource {
  /**
   * Every customer with open cases and what the planner looks at about them, in pages. With order
   * `send`, in the order they are planned and sent: the customer with the oldest open case first,
   * then by address (what a cap holds back goes first next time); with `any`, in the order cheapest
   * to read (by address), for a plan whose order decides nothing. Memory stays flat however many
   * customers there are.
   */
  customers(options: { order: PlanOrder; emailKey?: string | undefined }): AsyncIterable<CustomerFacts[]>;
  /** For every source with open cases, when its data was last refreshed. */
  newestImports(): Promise<SourceImport[]>;
  /** Messages that went out (or may have) between two instants: what counts against limits.perDay. */
  countSentBetween(start: Date, end: Date): Promise<number>;
}

/** Cases looked up by order or customer. */
export interface CaseLookup {
  /** Every case (open or closed) of an order ID, in any source, oldest due date first. */
  ofOrder(orderId: string): Promise<StoredCase[]>;
  /** Every case of a customer, newest due date first. */
  ofCustomer(emailKey: string): Promise<StoredCase[]>;
  /** The extra column names of the newest case, so checks can try templates with them. */
  extraColumnNames(): Promise<string[]>;
  /** What late charges need of these cases: their partial payments, and the stage of each message sent about any of them. */
  lateChargeHistory(caseIds: readonly number[]): Promise<LateChargeHistory>;
  /** Open cases not stopped whose `stage` message went out, each with every message sent about it, oldest first. */
  sentTheStage(stage: string): Promise<{ case: StoredCase; reminders: SentReminder[] }[]>;
}

/** A message that went out about a case: the proof of sending. */
export interface SentReminder {
  stage: string;
  sentAt: string;
  messageId: string;
}

/** Partial payments (with when an import saw them) and the stages of the messages that went out. */
export interface LateChargeHistory {
  payments: { caseId: number; minor: number; at: string }[];
  /** One entry per message sent, its stage. */
  sentStages: string[];
}

/** A customer-wide hold: what the merchant decided about all of a customer's cases. */
export type CustomerHold = Hold;

/** A message about a customer as `dunning customer` lists it. */
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

/** What the merchant decided about customers, and their notes. */
export interface CustomerBook {
  hold(emailKey: string): Promise<CustomerHold | undefined>;
  /** Sets (or clears, with nulls) what holds a customer's messages. */
  setHold(emailKey: string, hold: CustomerHold): Promise<void>;
  /** Sets (or clears) what holds the messages about some cases. */
  setCaseHolds(holds: readonly { caseId: number; hold: Hold }[]): Promise<void>;
  addNote(emailKey: string, caseId: number | null, runId: number, text: string, at: string): Promise<void>;
  notes(emailKey: string): Promise<CustomerNote[]>;
  messages(emailKey: string): Promise<CustomerMessage[]>;
  /** Lets a customer whose last message was refused get messages again. */
  clearRejection(emailKey: string): Promise<number>;
  /** Runs the changes in one transaction. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

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

/** A message about to leave, with the (case, stage) pairs it claims. */
export interface NewMessage {
  runId: number;
  emailKey: string;
  stage: string;
  channel: string;
  template: string;
  recipient: string;
  messageId: string;
  /** Each case's claim, and its snooze as the plan saw it (another one found by the claim skips the message). */
  cases: readonly { caseId: number; stage: string; repeat: number; snoozedUntil?: string | null }[];
  /** The customer's snooze as the plan saw it. */
  customerSnoozedUntil?: string | null;
  /** A promo code handed out with the message, in the same transaction. */
  code?: CodeAssignment | undefined;
}

/** The claim went in, or why it could not. */
export type ClaimResult = { ok: true; id: number } | { ok: false; reason: ClaimRefusal; detail: string };

/** Why a claim did not go in: the stage was claimed already, a case was closed, snoozed or stopped since the plan, or the promo code went to someone else. */
export type ClaimRefusal = 'already_claimed' | 'closed' | 'snoozed' | 'stopped' | 'code_taken';

/** How one message ended. */
export type MessageOutcome =
  | { id: number; state: 'sent'; providerId: string | null; response: string }
  | { id: number; state: 'failed'; permanent: boolean; error: string }
  | { id: number; state: 'unknown'; error: string };

/** A message whose fate is unknown, as status lists it. */
export interface UnknownMessage {
  id: number;
  runId: number;
  recipient: string;
  stage: string;
  channel: string;
  messageId: string;
  createdAt: string;
  orderIds: string;
}

/** How one customer's automation tags were removed, as the store keeps it. */
export interface TagRemovalRecord {
  emailKey: string;
  email: string;
  state: TagRemovalState;
  permanent: boolean;
  error: string | null;
}

/** Which unknown messages `send --retry-unknown` releases: those of an address, of a stage, at most `limit` (oldest first). */
export interface UnknownSelection {
  emailKey?: string | undefined;
  stage?: string | undefined;
  limit?: number | undefined;
}

/** Messages: claimed once per (case, stage), ever, and their outcomes. */
export interface MessageLog {
  /**
   * Records messages as `sending` and claims their (case, stage) pairs, each message atomically:
   * a second claim of the same stage fails, whoever tries it; so does a claim of a case closed,
   * stopped or snoozed again since the plan was made (the last look before the message leaves).
   */
  claim(messages: readonly NewMessage[], at: Date): Promise<ClaimResult[]>;
  /** Stores how messages ended; a failed one releases its claims so a later run may try again. */
  record(outcomes: readonly MessageOutcome[], at: Date): Promise<void>;
  /** Marks messages left `sending` by a run that died as `unknown`; call it holding the send lock. */
  sweepSending(at: Date): Promise<number>;
  /** `--retry-unknown`: unknown messages become failed and release their stages. */
  releaseUnknown(runId: number, at: Date, only?: UnknownSelection): Promise<number>;
  listUnknown(): Promise<UnknownMessage[]>;
  countByState(): Promise<Record<MessageState, number>>;
  /** Every customer a channel's automation was started for, with what is left open for them (Mailchimp tags). */
  automatedCustomers(channel: string): Promise<PushedCustomer[]>;
  recordTagRemovals(run: { runId: number; listId: string; tags: readonly string[] }, records: readonly TagRemovalRecord[], at: Date): Promise<void>;
}

/** A code some customer holds, as `promo export` and `customer` list it. */
export interface HeldCode {
  email: string;
  emailKey: string;
  stage: string;
  code: string;
  issuedAt: string;
  expiresAt: string;
  /** Every order of the message that handed the code out is paid now. */
  paid: boolean;
}

/** Promo codes: pools and who holds which code. */
export interface PromoCodes {
  /** Adds the codes of a pool file the store does not know yet; returns how many were new. */
  addPoolCodes(pool: string, codes: readonly string[], at: string): Promise<number>;
  /** Codes of a pool that someone holds (never to be handed out again). */
  takenPoolCodes(pool: string): Promise<Set<string>>;
  /** The code a customer already holds for a stage, if any (a retry gets the same code again). */
  heldCodeOf(stage: string, emailKey: string): Promise<string | undefined>;
  /** Every code a customer (or every customer) holds, newest first. */
  heldCodes(emailKey?: string): Promise<HeldCode[]>;
}

/** Everything the recovery report is computed from. */
export interface ReportSource {
  reportData(): Promise<{ cases: ReportCase[]; reminders: ReportReminder[]; payments: ReportPayment[]; codes: ReportCode[] }>;
  /** Messages whose state last changed at or after an instant, by state (the digest's sent and failed). */
  messagesSince(since: string): Promise<Record<MessageState, number>>;
}

/** Who holds a lock and since when. */
export interface LockHolder {
  runId: number;
  pid: number;
  host: string;
  since: string;
}

/** Named locks across processes (one `send` at a time per database). */
export interface Locks {
  /**
   * Takes the lock for this run, or throws a DunningError (exit 3) naming its holder. A lock left
   * by a run that died is taken over; its holder is returned.
   */
  acquire(name: string, me: { runId: number; pid: number; since: string }): Promise<LockHolder | null>;
  release(name: string, runId: number): Promise<void>;
}


