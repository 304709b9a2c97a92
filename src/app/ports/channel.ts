/** The channel and renderer ports: where messages go, and how they are rendered. See ../ports.ts. */
import type { Config } from '../../config/schema.js';
import type { TagRemovalState } from '../../core/tag-removal.js';
import type { RenderedMessage, RenderRequest, MessageData } from '../message.js';
import type { ProviderFeedback, SentRecord } from './suppression.js';

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
  /** Files carried along (the digest's full HTML report); the outbox and SMTP attach them. */
  attachments?: readonly Attachment[];
}

/** A file attached to a message. */
export interface Attachment {
  filename: string;
  contentType: string;
  /** The file: text as it is, or with `encoding` "base64" binary (a PDF), so it crosses worker threads as a string. */
  content: string;
  encoding?: 'base64';
}

/**
 * What became of one message. A channel reports this per message and never throws for one message's
 * failure. `unknown`: the request may have reached the provider but no answer came; the message is
 * recorded unknown and never resent automatically (DESIGN.md "Sending safety").
 */
export type DeliveryOutcome =
  | { state: 'sent'; providerId: string | null; response: string; listSync?: ListSync }
  | { state: 'failed'; permanent: boolean; error: string; retryAfterMs?: number }
  | { state: 'unknown'; error: string };

/** Whether a channel's contact list took a sent message's customer (Mailjet's contactListId); the reminder itself went out either way. */
export type ListSync = { ok: true } | { ok: false; error: string };

/** What became of one customer's automation (a Mailchimp tag) once nothing of theirs is pursued. */
export interface AutomationStop {
  email: string;
  state: TagRemovalState;
  error?: string;
  /** For a failure: true when the provider refused the call itself, so trying again cannot help. */
  permanent?: boolean;
}

/**
 * A failure of the whole channel (bad credentials, unverified sender, a full disk): the run stops
 * and says what to fix. `done`: the outcomes of the batch's first messages, handled before the stop
 * (a message written or sent is recorded as such, never failed and sent again).
 */
export class ChannelStopError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly done: readonly DeliveryOutcome[] = [],
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
  /** How many send() calls may be on their way at once (1 when not set). */
  readonly batchesInFlight?: number;
  /** Delivers a batch and returns one outcome per message, in order. Throws ChannelStopError when the channel is unusable. */
  send(messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome[]>;
  /**
   * Resolves when the channel could take these messages at once (composed, a connection open), so
   * that what is claimed after it leaves at once; throws ChannelStopError when it never will (a
   * refused login). Not called for a dry run.
   */
  ready?(messages: readonly OutgoingMessage[]): Promise<void>;
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
  /** What the provider knows of the messages (or members) we sent it: bounces, complaints, opt-outs (issue 23, `bounces sync`). */
  feedback?: (options: ChannelOptions, sent: readonly SentRecord[]) => Promise<ProviderFeedback[]>;
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
  /** The promo stages whose template, rendered with a code in every locale, does not show it in its text or HTML part. */
  promoProblems(stages: readonly { name: string; template: string; number: number }[], today: string, now: Date): TemplateProblem[];
  /** The message as a formal letter (the PDF's content), every text in the customer's language; `subject` is the rendered message's. */
  letter(request: RenderRequest, subject: string): Letter;
}

/** A label and its value, one line of a letter's table or facts. */
export interface LetterLine {
  label: string;
  value: string;
}

/** A formal notice as a letter (DIN 5008-like): what the PDF prints, every text already written out. */
export interface Letter {
  /** The language it is written in (the PDF's /Lang). */
  locale: string;
  /** The small return-address line above the address block. */
  senderLine: string;
  /** The address block: the customer's name and, when the export had them, their postal address lines. */
  recipient: string[];
  /** Date, order, customer: the information block beside the address. */
  facts: LetterLine[];
  subject: string;
  salutation: string;
  /** Paragraphs before the claim table. */
  opening: string[];
  /** The claim's lines (principal per order, interest, fees) and its total. */
  claim: { heading: string; lines: LetterLine[]; total: LetterLine };
  /** Paragraphs after it: the deadline, how to pay, what follows. */
  closing: string[];
  /** Bank transfer details when `sender.bank` is set. */
  bank: { heading: string; lines: LetterLine[] } | null;
  /** Greeting and signature lines. */
  signature: string[];
  /** The creditor's company, address and contact, for the foot of the page. */
  footer: string[];
  /** The attachment's file name: `Mahnung-ORDER.pdf`. */
  fileName: string;
}

/** Prints a letter as a PDF; `at` is the document's creation time (the program's clock). */
export type LetterPrinter = (letter: Letter, at: Date) => Promise<Buffer>;

/** Makes the renderer of a configuration (the shipped templates, and the merchant's folder over them). */
export type RendererFactory = (config: Config & { timeZone: string }, baseDir: string) => Renderer;
