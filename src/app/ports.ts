/**
 * The interfaces the use cases need, implemented by the adapters and handed in by src/cli.ts: the
 * store (src/store/), the channels (src/channels/), the renderer (src/templates/) and the clock.
 *
 * Every store method returns a promise. SQLite (better-sqlite3) answers synchronously and gains
 * nothing from it, but a database server's driver (PostgreSQL, the store's second adapter) only
 * answers asynchronously; a synchronous port would force that adapter to block a thread per call.
 * The calls are coarse (a page of customers, a batch of rows, a batch of claims), so the promise
 * costs a microtask per batch, not per row. See docs/ARCHITECTURE.md.
 */
import type { Config } from '../config/schema.js';
import type { KnownCase, StoredOrder } from '../core/cases.js';
import type { Customer, Hold, StoredCase } from '../core/case.js';
import type { MessageState } from '../core/plan.js';
import type { CustomerFacts } from '../core/plan.js';
import type { ReportCase, ReportCode, ReportPayment, ReportReminder } from '../core/report.js';
import type { SourceImport } from '../core/send-window.js';
import type { PushedCustomer, TagRemovalState } from '../core/tag-removal.js';
import type { MessageData, RenderedMessage, RenderRequest } from './message.js';

/** The program's one clock; `--now` fixes it for reproducible runs. */
export interface Clock {
  now(): Date;
}

// ---------------------------------------------------------------------------------------------
// The store

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
  readonly report: ReportSource;
  readonly locks: Locks;
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
  /** Closes cases as paid because a complete export no longer lists them. */
  closeMissing(caseIds: readonly number[], importId: number, at: string): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** What the planner reads: every customer with open cases, customer by customer. */
export interface PlanSource {
  /**
   * Every customer with open cases and what the planner looks at about them, in pages, in the
   * order they are planned and sent: the customer with the oldest open case first, then by address.
   * Memory stays flat however many customers there are.
   */
  customers(options?: { emailKey?: string | undefined }): AsyncIterable<CustomerFacts[]>;
  /** One customer's facts (the same as customers() would give), or undefined without open cases. */
  customer(emailKey: string): Promise<CustomerFacts | undefined>;
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
  cases: readonly { caseId: number; stage: string }[];
  /** A promo code handed out with the message, in the same transaction. */
  code?: CodeAssignment | undefined;
}

/** The claim went in, or why it could not. */
export type ClaimResult = { ok: true; id: number } | { ok: false; reason: 'already_claimed' | 'closed' | 'code_taken'; detail: string };

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

/** Messages: claimed once per (case, stage), ever, and their outcomes. */
export interface MessageLog {
  /**
   * Records messages as `sending` and claims their (case, stage) pairs, each message atomically:
   * a second claim of the same stage fails, whoever tries it; so does a claim of a case closed since.
   */
  claim(messages: readonly NewMessage[], at: Date): Promise<ClaimResult[]>;
  /** Stores how messages ended; a failed one releases its claims so a later run may try again. */
  record(outcomes: readonly MessageOutcome[], at: Date): Promise<void>;
  /** Marks messages left `sending` by a run that died as `unknown`; call it holding the send lock. */
  sweepSending(at: Date): Promise<number>;
  /** `--retry-unknown`: unknown messages become failed and release their stages. */
  releaseUnknown(runId: number, at: Date): Promise<number>;
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

// ---------------------------------------------------------------------------------------------
// Channels and the renderer

/** A name and an address; recipients are always passed as this object, never as one string (CWE-93). */
export interface Mailbox {
  name: string;
  address: string;
}

/** One message ready to leave, whatever the channel: the rendered parts, and the data they were rendered from. */
export interface OutgoingMessage {
  /** Our stable Message-ID (`<…@domain>`), also the message's key in the store. */
  messageId: string;
  to: Mailbox;
  from: Mailbox;
  replyTo?: Mailbox;
  bcc?: Mailbox;
  subject: string;
  text: string;
  html: string;
  /** The Date header: the program's clock (so --now gives reproducible messages). */
  date?: Date;
  /** Extra headers such as X-Dunning-Case; values never contain CR or LF. */
  headers: Record<string, string>;
  /** What the message says, as data: a provider's template or merge fields are made from it. */
  data: MessageData;
}

/**
 * What became of one message. A channel reports this per message and never throws for one message's
 * failure. `unknown`: the request may have reached the provider but no answer came; the message is
 * recorded unknown and never resent automatically (DESIGN.md "Sending safety").
 */
export type DeliveryOutcome =
  | { state: 'sent'; providerId: string | null; response: string }
  | { state: 'failed'; permanent: boolean; error: string; retryAfterMs?: number }
  | { state: 'unknown'; error: string };

/** What became of one customer's automation (a Mailchimp tag) once nothing of theirs is pursued. */
export interface AutomationStop {
  email: string;
  state: TagRemovalState;
  error?: string;
  /** For a failure: true when the provider refused the call itself, so trying again cannot help. */
  permanent?: boolean;
}

/** A failure of the whole channel (bad credentials, unverified sender): the run stops and says what to fix. */
export class ChannelStopError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ChannelStopError';
  }
}

/** Where messages go: the outbox, SMTP, Mailjet, Mailchimp. Adding one touches one folder and one table row. */
export interface Channel {
  readonly name: string;
  /** How many messages one send() takes. */
  readonly batchSize: number;
  /** Delivers a batch and returns one outcome per message, in order. Throws ChannelStopError when the channel is unusable. */
  send(messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome[]>;
  /** Starts work on a message the next send() will probably carry, while the rest of its batch is prepared. */
  prepare?(message: OutgoingMessage): void;
  /**
   * For a channel that starts an automation in the merchant's tool (Mailchimp's tags): stops it for
   * customers nothing of whom is pursued any more. `listId` and `tags` are what the store records.
   */
  readonly automation?: {
    readonly listId: string;
    readonly tags: readonly string[];
    stop(emails: readonly string[]): Promise<AutomationStop[]>;
  };
  /** Where the channel put what it wrote, for the summary (the outbox's folder), once it wrote anything. */
  readonly folder?: string;
  /** Releases connections. */
  close(): Promise<void>;
}

/** What a channel may know of its surroundings; credentials come from `env` only, never from the config. */
export interface ChannelOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  /** Folder relative paths in the config resolve against. */
  baseDir: string;
  runId: number;
}

/** Creates a channel; throws a DunningError (exit 2) when its settings or credentials are missing. */
export type ChannelFactory = (options: ChannelOptions) => Channel;

/** A merge field a channel needs in the merchant's audience, and whether it was there. */
export interface FieldSetup {
  tag: string;
  name: string;
  type: string;
  state: 'created' | 'exists' | 'conflict';
  existingType?: string;
}

/** One channel as the table lists it: how to make it, and, for a provider with an audience, its setup. */
export interface ChannelKit {
  create: ChannelFactory;
  /** Creates what the channel needs in the merchant's account (Mailchimp's merge fields). */
  setup?: (options: ChannelOptions) => Promise<FieldSetup[]>;
  /** The tag that starts a stage's automation in the merchant's tool. */
  stageTag?: (stage: { name: string; mailchimpTag?: string | undefined }) => string;
  /** Its messages start an automation in the merchant's tool that must stop once a customer paid: its channels have `automation`. */
  automates?: boolean;
  /** The merge tag the provider's templates write for one of the shared merge fields (Mailchimp's `OPENAMT`). */
  mergeTag?: (field: string) => string | undefined;
}

/** Every channel by name. */
export type ChannelTable = Readonly<Record<string, ChannelKit>>;

/** One problem `templates check` found: where, and what. */
export interface TemplateProblem {
  template: string;
  locale: string;
  where: string;
  message: string;
}

/** What `templates check` looked at and found. */
export interface TemplateCheckReport {
  checked: { template: string; locale: string; renders: number }[];
  problems: TemplateProblem[];
}

/** Renders messages from the merchant's templates. */
export interface Renderer {
  /** Renders subject, text and HTML for one message; a problem is a DunningError naming file, line and variable. */
  render(request: RenderRequest): RenderedMessage;
  /** Throws a DunningError when a template has no version for a language and no fallback. */
  checkTemplate(name: string, language: string): void;
  /**
   * Renders every template in every locale against example data (with the given extra columns) and
   * an order with every optional field empty, and finds unknown variables, helpers and partials.
   */
  check(stages: readonly { template: string; number: number }[], today: string, now: Date, extraColumns: readonly string[]): TemplateCheckReport;
}

/** Makes the renderer of a configuration (the shipped templates, and the merchant's folder over them). */
export type RendererFactory = (config: Config & { timeZone: string }, baseDir: string) => Renderer;

/** The customer a rendered message goes to, re-exported for the adapters. */
export type { Customer };
