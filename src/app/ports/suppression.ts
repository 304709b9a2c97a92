/** The suppression port (issue 23): who gets no more offers or no more messages, and the reports that said so. See ../ports.ts. */
import type { DeliveryReport } from '../../core/delivery-report.js';
import type { Suppression } from '../../core/suppression.js';

/** What a delivery report said about one address, as the store keeps it (once per report). */
export interface DeliveryReportRecord {
  /** The report's own Message-ID (or, without one, a hash of it): a report counts once. */
  reportKey: string;
  emailKey: string | null;
  /** Our message the report is about, when it could be matched. */
  messageId: string | null;
  kind: 'permanent' | 'temporary' | 'complaint' | 'unsubscribed' | 'unmatched';
  status: string;
  detail: string;
  reportedAt: string;
}

/** One of our messages, found by its Message-ID or a case of it. */
export interface SentMessageRef {
  emailKey: string;
  messageId: string;
}

/** Suppressed addresses and the delivery reports read. */
export interface SuppressionList {
  /** Adds suppressions in one go; an address suppressed in that scope already keeps its first row. Returns how many were new. */
  add(entries: readonly Suppression[], runId: number): Promise<number>;
  /** Every suppression of an address. */
  of(emailKey: string): Promise<Suppression[]>;
  /** Lifts every suppression of an address (`customer --resume`); returns how many. */
  lift(emailKey: string): Promise<number>;
  /** Records a report once; false when it was read before (re-importing a file changes nothing). */
  recordReport(report: DeliveryReportRecord, runId: number): Promise<boolean>;
  /** Temporary failures reported for an address after its newest message that went out without one. */
  temporaryFailures(emailKey: string): Promise<number>;
  /** Our message with this Message-ID (`<…>`), if we sent it. */
  messageById(messageId: string): Promise<SentMessageRef | undefined>;
  /** The newest message about one of these cases (the `X-Dunning-Case` header), if any. */
  messageOfCases(caseIds: readonly number[]): Promise<SentMessageRef | undefined>;
  /** Messages that went out through a channel since an instant: what `bounces sync` asks the provider about. */
  sentThrough(channel: string, since: Date): Promise<SentRecord[]>;
  /** Runs the changes in one transaction. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
}

/** A file or folder a command was given: its path, and how the user wrote it (for messages). */
export interface ReportFile {
  path: string;
  shown: string;
}

/** Reads the reports of mbox files, Maildir folders and .eml files (the SMTP channel's adapter). */
export type ReportReader = (files: readonly ReportFile[]) => Promise<DeliveryReport[]>;

/** A message that went out through a provider, as `bounces sync` asks about it. */
export interface SentRecord {
  emailKey: string;
  recipient: string;
  messageId: string;
  /** The provider's ID of it (Mailjet's MessageID), when it gave one. */
  providerId: string | null;
  sentAt: string;
}

/** What a provider says became of a message we sent (issue 23), or of the member we pushed. */
export interface ProviderFeedback {
  emailKey: string;
  /** Our Message-ID, when the state is of one message. */
  messageId: string | null;
  kind: 'permanent' | 'temporary' | 'complaint' | 'unsubscribed';
  /** The provider's word for it: "hardbounced", "blocked", "spam", "cleaned", "unsubscribed". */
  state: string;
  detail: string;
}
