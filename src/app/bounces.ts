import { calendarDateIn } from '../core/dates.js';
import { failureOf, type DeliveryReport } from '../core/delivery-report.js';
import { describeSuppression, TEMPORARY_FAILURES_AS_PERMANENT, type Suppression } from '../core/suppression.js';
import type { DeliveryReportRecord, ReportFile, ReportReader, SentMessageRef, Store } from './ports.js';

/** What `bounces import` found and did. */
export interface BounceSummary {
  /** Messages read from the files. */
  read: number;
  /** Reports about our mail: hard bounces, temporary failures, complaints. */
  permanent: number;
  temporary: number;
  complaints: number;
  /** Reports about other mail (or another recipient of ours, such as the Bcc copy): counted, ignored. */
  otherMail: number;
  /** Messages that are no delivery report or complaint (an auto-reply, say). */
  notReports: number;
  /** Reports read before: importing a file again changes nothing. */
  already: number;
  /** Addresses that get no more messages since this import. */
  stopped: { email: string; said: string; where: string }[];
}

/** What `bounces import` needs. */
export interface BounceDeps {
  store: Store;
  runId: number;
  now: Date;
  timeZone: string;
  readReports: ReportReader;
}

/**
 * `dunning bounces import FILE...` (issue 23): reads DSNs and ARF complaints, matches each to our
 * message by its Message-ID (X-Dunning-Case as a fallback), and stops every further message to an
 * address that bounced for good, complained, or failed temporarily three times in a row. Every file
 * is read before anything is written; the changes go in as one transaction.
 */
export async function importBounces(deps: BounceDeps, files: readonly ReportFile[]): Promise<BounceSummary> {
  const reports = await deps.readReports(files);
  const summary: BounceSummary = { read: reports.length, permanent: 0, temporary: 0, complaints: 0, otherMail: 0, notReports: 0, already: 0, stopped: [] };
  await deps.store.suppressions.transaction(async () => {
    for (const report of reports) await applyReport(deps, report, summary);
  });
  return summary;
}

async function applyReport(deps: BounceDeps, report: DeliveryReport, summary: BounceSummary): Promise<void> {
  if (report.kind === 'none') {
    summary.notReports++;
    return;
  }
  const { store } = deps;
  const message = await ourMessage(store, report);
  const at = report.date ?? deps.now.toISOString();
  const record = (r: Omit<DeliveryReportRecord, 'reportKey' | 'reportedAt' | 'messageId'>): Promise<boolean> =>
    store.suppressions.recordReport({ reportKey: report.reportKey, reportedAt: at, messageId: message?.messageId ?? null, ...r }, deps.runId);
  const other = async (): Promise<void> => {
    if (await record({ emailKey: null, kind: 'unmatched', status: '', detail: '' })) summary.otherMail++;
    else summary.already++;
  };
  if (message === undefined) return other();
  if (report.kind === 'arf') {
    if (!(await record({ emailKey: message.emailKey, kind: 'complaint', status: '', detail: report.feedbackType }))) return void summary.already++;
    summary.complaints++;
    return stop(deps, summary, report, { emailKey: message.emailKey, reason: 'complained', detail: `${report.feedbackType} report`, happenedAt: at });
  }
  // Only the customer's own recipient counts: a DSN about the Bcc copy is about other mail.
  const own = report.recipients.find((r) => r.address.toLowerCase() === message.emailKey);
  const failure = own === undefined ? null : failureOf(own);
  if (own === undefined || failure === null) return other();
  const detail = [own.status, own.diagnostic].filter((s) => s !== '').join(' ');
  if (!(await record({ emailKey: message.emailKey, kind: failure, status: own.status, detail: own.diagnostic }))) return void summary.already++;
  if (failure === 'permanent') {
    summary.permanent++;
    return stop(deps, summary, report, { emailKey: message.emailKey, reason: 'bounced', detail, happenedAt: at });
  }
  summary.temporary++;
  const inARow = await store.suppressions.temporaryFailures(message.emailKey);
  if (inARow >= TEMPORARY_FAILURES_AS_PERMANENT) {
    await stop(deps, summary, report, { emailKey: message.emailKey, reason: 'bounced', detail: `${inARow} temporary failures in a row, the last ${detail}`, happenedAt: at });
  }
}

/** Our message a report is about: by the returned Message-ID, else by the X-Dunning-Case header. */
async function ourMessage(store: Store, report: DeliveryReport): Promise<SentMessageRef | undefined> {
  const byId = report.original.messageId === null ? undefined : await store.suppressions.messageById(report.original.messageId);
  return byId ?? (await store.suppressions.messageOfCases(report.original.caseIds));
}

async function stop(deps: BounceDeps, summary: BounceSummary, report: DeliveryReport, s: Omit<Suppression, 'scope' | 'source'>): Promise<void> {
  await stopAddress(deps, summary, report.where, s);
}

/** Stops every further message to an address (a suppression of scope 'all'), and lists it when it is new. */
export async function stopAddress(deps: Pick<BounceDeps, 'store' | 'runId' | 'timeZone'>, summary: Pick<BounceSummary, 'stopped'>, where: string, s: Omit<Suppression, 'scope' | 'source'>): Promise<void> {
  const added = await deps.store.suppressions.add([{ ...s, scope: 'all', source: where }], deps.runId);
  if (added > 0) summary.stopped.push({ email: s.emailKey, said: describeSuppression(s, calendarDateIn(new Date(s.happenedAt), deps.timeZone)), where });
}
