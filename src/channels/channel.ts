import type { ChannelName, Config } from '../config/schema.js';

/** A name and an address; recipients are always passed as this object, never as one string (CWE-93). */
export interface Mailbox {
  name: string;
  address: string;
}

/** One message ready to leave, whatever the channel: rendered parts plus the flat data providers' templates use. */
export interface OutgoingMessage {
  /** Our stable Message-ID (`<…@dunning.local>`), also the message's key in the store. */
  messageId: string;
  /** Lower-cased address: the customer. */
  customerKey: string;
  stage: string;
  /** Position of the stage in the sequence, 1-based. */
  stageNumber: number;
  caseIds: readonly number[];
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
  /** Flat merge variables (first_name, manage_link, open_amount, …) for provider templates and merge fields. */
  variables: Record<string, string | number>;
  /** One flat record per order, for loops in provider templates. */
  orders: readonly Record<string, string | number>[];
  /** The merchant's own provider template for this stage (Mailjet TemplateID), when configured. */
  providerTemplateId?: number;
  /** A tag that starts the merchant's automation (Mailchimp), when the channel uses one. */
  tag?: string;
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
  readonly name: ChannelName;
  /** How many messages one send() takes (SMTP 1, Mailjet 50, Mailchimp 500). */
  readonly batchSize: number;
  /** Delivers a batch and returns one outcome per message, in order. Throws ChannelStopError when the channel is unusable. */
  send(messages: readonly OutgoingMessage[]): Promise<DeliveryOutcome[]>;
  /** Starts work on a message the next send() will probably carry, while the rest of its batch is prepared (SMTP composes it). */
  prepare?(message: OutgoingMessage): void;
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
