import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportFile } from '../../app/ports.js';
import { readReport, type DeliveryReport, type ReportPart } from '../../core/delivery-report.js';
import { DunningError } from '../../core/errors.js';

/** One message of a file or folder, with where it was. */
interface RawMessage {
  where: string;
  raw: Buffer;
}

/**
 * Reads delivery status notifications and abuse reports (issue 23) from mbox files, Maildir folders
 * (cur/ and new/) or single `.eml` files. Every path is checked before any is read: a missing one
 * is an input error (exit 2). mailparser takes the MIME apart; it is loaded only by this command.
 */
export async function readDeliveryReports(files: readonly ReportFile[]): Promise<DeliveryReport[]> {
  const messages = files.flatMap(messagesOf);
  const { simpleParser } = await import('mailparser');
  const reports: DeliveryReport[] = [];
  for (const message of messages) {
    // keepDeliveryStatus: the message/delivery-status part as a part of its own, not merged into the text.
    const parsed = await simpleParser(message.raw, { keepDeliveryStatus: true, skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, skipTextLinks: true });
    const reportType = reportTypeOf(parsed.headers.get('content-type'));
    const parts: ReportPart[] = parsed.attachments.map((a) => ({ contentType: a.contentType.toLowerCase(), text: a.content.toString('utf8') }));
    const reportKey = parsed.messageId ?? `sha256:${createHash('sha256').update(message.raw).digest('hex')}`;
    reports.push(readReport({ where: message.where, reportKey, date: parsed.date?.toISOString() ?? null, reportType }, parts));
  }
  return reports;
}

function messagesOf(file: ReportFile): RawMessage[] {
  let isDir: boolean;
  try {
    isDir = statSync(file.path).isDirectory();
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new DunningError(`${file.shown}: ${code === 'ENOENT' ? 'no such file or folder' : `cannot read it (${code})`}`, {
      hint: 'give mbox files, Maildir folders or .eml files with the bounces and complaints',
    });
  }
  if (isDir) return maildir(file);
  const raw = readFileSync(file.path);
  return raw.subarray(0, 5).toString('latin1') === 'From ' ? mbox(file.shown, raw) : [{ where: file.shown, raw }];
}

/** A Maildir folder: every file in cur/ and new/, in name order. */
function maildir(file: ReportFile): RawMessage[] {
  const folders = ['cur', 'new'].map((d) => join(file.path, d)).filter((d) => existsSync(d));
  if (folders.length === 0) {
    throw new DunningError(`${file.shown}: a folder, but not a Maildir folder (no cur/ or new/ in it)`, { hint: 'give the Maildir folder itself, an mbox file, or .eml files' });
  }
  return folders.flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => ({ where: join(file.shown, folder.slice(file.path.length + 1), name), raw: readFileSync(join(folder, name)) })),
  );
}

/** An mbox file: messages start at a "From " line after a blank line; ">From " lines are unescaped (mboxrd). */
function mbox(shown: string, raw: Buffer): RawMessage[] {
  const text = raw.toString('latin1');
  const starts: number[] = [];
  const pattern = /(^|\n)From [^\n]*\n/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) starts.push(m.index + m[1]!.length);
  return starts.map((start, i) => {
    const body = text.slice(text.indexOf('\n', start) + 1, starts[i + 1] ?? text.length).replace(/^>(>*From )/gm, '$1');
    return { where: `${shown}, message ${i + 1}`, raw: Buffer.from(body, 'latin1') };
  });
}

/** The report-type parameter of a multipart/report (delivery-status, feedback-report). */
function reportTypeOf(header: unknown): string | null {
  if (typeof header !== 'object' || header === null || !('params' in header)) return null;
  const params: unknown = header.params;
  if (typeof params !== 'object' || params === null || !('report-type' in params)) return null;
  const type: unknown = params['report-type'];
  return typeof type === 'string' ? type.toLowerCase() : null;
}
