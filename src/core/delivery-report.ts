/**
 * Delivery status notifications (RFC 3464) and abuse reports (RFC 5965, ARF), read from their
 * machine-readable parts (issue 23). Pure: the MIME is taken apart by the adapter.
 */

/** One MIME part of a report: its type and its text. */
export interface ReportPart {
  contentType: string;
  text: string;
}

/** One recipient of a DSN. */
export interface DsnRecipient {
  address: string;
  /** failed, delayed, delivered, relayed, expanded */
  action: string;
  /** e.g. 5.1.1 */
  status: string;
  diagnostic: string;
}

/** A report, read: what it says and which of our messages it is about. */
export interface DeliveryReport {
  /** Where it was read: "bounces.mbox, message 3". */
  where: string;
  /** The report's own Message-ID, or a hash of its bytes. */
  reportKey: string;
  /** The report's date (ISO), when it has one. */
  date: string | null;
  kind: 'dsn' | 'arf' | 'none';
  recipients: DsnRecipient[];
  /** ARF: the address that complained (Original-Rcpt-To). */
  complainant: string | null;
  /** ARF: abuse, fraud, … */
  feedbackType: string;
  /** The message the report is about, from its returned headers. */
  original: { messageId: string | null; caseIds: number[] };
}

/** Header-like fields in blocks separated by blank lines (RFC 3464 section 2.1), folded lines joined, names lower-cased. */
export function fieldBlocks(text: string): Record<string, string>[] {
  const blocks: Record<string, string>[] = [];
  let current: Record<string, string> = {};
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (Object.keys(current).length > 0) blocks.push(current);
      current = {};
      last = null;
    } else if (/^[ \t]/.test(line) && last !== null) {
      current[last] = `${current[last] ?? ''} ${line.trim()}`;
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      current[last] ??= line.slice(colon + 1).trim();
    }
  }
  if (Object.keys(current).length > 0) blocks.push(current);
  return blocks;
}

/** `rfc822; anna@example.de` -> `anna@example.de` */
function addressOf(field: string | undefined): string {
  if (field === undefined) return '';
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  return value.trim().replace(/^<|>$/g, '');
}

/** The diagnostic as people read it: `smtp; 550 5.1.1 <a@b>: Recipient address rejected: User unknown` -> `Recipient address rejected: User unknown`. */
function shortDiagnostic(field: string | undefined, status: string): string {
  if (field === undefined) return '';
  let text = field.includes(';') ? field.slice(field.indexOf(';') + 1).trim() : field.trim();
  text = text.replace(/^\d{3}[- ]/, '').replace(/^\d\.\d{1,3}\.\d{1,3}\s*/, '').replace(/^<[^>]*>:?\s*/, '');
  const cut = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return cut === status ? '' : cut;
}

/** The recipients of a DSN's message/delivery-status part. */
export function dsnRecipients(text: string): DsnRecipient[] {
  return fieldBlocks(text)
    .filter((b) => b['final-recipient'] !== undefined || b['original-recipient'] !== undefined)
    .map((b) => {
      const status = (/\d\.\d{1,3}\.\d{1,3}/.exec(b.status ?? '') ?? [''])[0];
      return {
        address: addressOf(b['final-recipient'] ?? b['original-recipient']),
        action: (b.action ?? '').toLowerCase(),
        status,
        diagnostic: shortDiagnostic(b['diagnostic-code'], status),
      };
    });
}

/** What a DSN recipient means for the address: a permanent or temporary failure, or nothing (delivered, relayed). */
export function failureOf(r: DsnRecipient): 'permanent' | 'temporary' | null {
  if (r.status.startsWith('5.') && (r.action === 'failed' || r.action === '')) return 'permanent';
  if (r.status.startsWith('4.') || r.action === 'delayed') return 'temporary';
  if (r.action === 'failed') return 'permanent';
  return null;
}

/** The Message-ID and X-Dunning-Case of the returned message (its headers, or the whole message). */
export function originalOf(text: string): { messageId: string | null; caseIds: number[] } {
  const head = fieldBlocks(text.split(/\r?\n\r?\n/, 1)[0] ?? '')[0] ?? {};
  const id = head['message-id'];
  const messageId = id === undefined ? null : (/<[^<>\s]+>/.exec(id) ?? [null])[0];
  const caseIds = (head['x-dunning-case'] ?? '')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  return { messageId, caseIds };
}

/** Reads a report from its parts; `reportType` is the multipart/report's report-type parameter. */
export function readReport(meta: { where: string; reportKey: string; date: string | null; reportType: string | null }, parts: readonly ReportPart[]): DeliveryReport {
  const base = { where: meta.where, reportKey: meta.reportKey, date: meta.date, recipients: [], complainant: null, feedbackType: '' };
  const originalPart = parts.find((p) => /^(message\/rfc822|text\/rfc822-headers|message\/rfc822-headers|message\/global|message\/global-headers)$/.test(p.contentType));
  const original = originalPart === undefined ? { messageId: null, caseIds: [] } : originalOf(originalPart.text);
  const status = parts.find((p) => p.contentType === 'message/delivery-status' || p.contentType === 'message/global-delivery-status');
  if (status !== undefined && meta.reportType !== 'feedback-report') return { ...base, kind: 'dsn', recipients: dsnRecipients(status.text), original };
  const feedback = parts.find((p) => p.contentType === 'message/feedback-report');
  if (feedback !== undefined) {
    const fields = fieldBlocks(feedback.text)[0] ?? {};
    const complainant = addressOf(fields['original-rcpt-to'] ?? fields['removal-recipient']);
    return { ...base, kind: 'arf', complainant: complainant === '' ? null : complainant, feedbackType: (fields['feedback-type'] ?? 'abuse').toLowerCase(), original };
  }
  return { ...base, kind: 'none', original };
}
