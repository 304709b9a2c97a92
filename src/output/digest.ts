import type { Attention, Digest } from '../core/digest.js';
import type { RecoveryReport } from '../core/report.js';
import { count, localTime, moneyList } from './report-figures.js';
import { renderReportHtml } from './report-html.js';
import { fill, plural, reportLabels, type ReportLabels } from './report-labels/index.js';
import { escapeHtml } from './svg-chart.js';
import type { Terminal } from './terminal.js';

/** The digest as a mail: subject, plain text, HTML, and the full report attached. */
export interface DigestMailParts {
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
}

/** The lines of the digest, shared by the text and HTML parts so both say the same. */
function lines(digest: Digest, locale: string, t: ReportLabels): { label: string; value: string }[] {
  return [
    { label: t.digestSent, value: count(digest.sent, locale) },
    { label: t.digestFailed, value: count(digest.failed, locale) },
    { label: t.digestUnknown, value: count(digest.unknown, locale) },
    { label: t.digestPaid, value: `${count(digest.payers.length, locale)} · ${moneyList(digest.paid, locale)}` },
    { label: t.digestFollowUp, value: count(digest.manualFollowUp, locale) },
    { label: t.digestCodes, value: count(digest.codesExpiringToday, locale) },
  ];
}

/** What needs attention, in the report's language (the JSON keeps the model's English `text`). */
function attentionText(a: Attention, locale: string, t: ReportLabels): string {
  const forms = a.what === 'unknown' ? t.attentionUnknown : a.what === 'failed' ? t.attentionFailed : t.attentionFollowUp;
  return plural(forms, a.count, locale);
}

/** The subject: what needs attention, else what came back; the company last. */
function subjectOf(digest: Digest, locale: string, since: string, company: string, t: ReportLabels): string {
  const what = digest.attention.length > 0
    ? plural(t.digestAttentionSubject, digest.attention.length, locale)
    : fill(t.digestRecoveredSubject, { amount: moneyList(digest.paid, locale), since });
  return `dunning: ${what}${company === '' ? '' : ` (${company})`}`;
}

/** Writes the digest for the merchant's mailbox in the config's language: short, what needs attention first. */
export function renderDigestMail(digest: Digest, report: RecoveryReport, locale: string, generatedAt: string, company: string): DigestMailParts {
  const t = reportLabels(locale);
  const since = localTime(digest.since, locale, report.period.timeZone);
  const subject = subjectOf(digest, locale, since, company, t);
  const figures = lines(digest, locale, t);
  const attention = digest.attention.map((a) => ({ text: attentionText(a, locale, t), command: a.command }));
  const payers = digest.payers.slice(0, 10).map((p) => fill(t.digestPayer, { email: p.email, amount: moneyList(p.amount, locale), stage: p.stage, days: count(p.daysAfterReminder, locale) }));
  const more = digest.payers.length > 10 ? [fill(t.digestMore, { n: count(digest.payers.length - 10, locale) })] : [];
  const text = [
    fill(t.digestSince, { since }),
    '',
    ...figures.map((l) => `${l.label}: ${l.value}`),
    '',
    ...(attention.length > 0 ? [t.digestAttentionFirst, ...attention.map((a) => `- ${a.text} (${a.command})`), ''] : [t.digestNothing, '']),
    ...(payers.length > 0 ? [t.digestWhoPaid, ...[...payers, ...more].map((p) => `- ${p}`), ''] : []),
    t.digestAttached,
    '',
  ].join('\n');
  const html = `<!DOCTYPE html><html lang="${escapeHtml(locale.slice(0, 2))}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;">
<p style="margin:0 0 12px;">${escapeHtml(fill(t.digestSince, { since }))}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;">
${figures.map((l) => `<tr><td style="padding:2px 16px 2px 0;">${escapeHtml(l.label)}</td><td style="padding:2px 0;"><strong>${escapeHtml(l.value)}</strong></td></tr>`).join('\n')}
</table>
${attention.length > 0 ? `<p style="margin:0 0 4px;"><strong>${escapeHtml(t.digestAttentionFirst)}</strong></p><ul style="margin:0 0 16px;padding-left:20px;">${attention.map((a) => `<li>${escapeHtml(a.text)} (<code>${escapeHtml(a.command)}</code>)</li>`).join('')}</ul>` : `<p style="margin:0 0 16px;">${escapeHtml(t.digestNothing)}</p>`}
${payers.length > 0 ? `<p style="margin:0 0 4px;"><strong>${escapeHtml(t.digestWhoPaid)}</strong></p><ul style="margin:0 0 16px;padding-left:20px;">${[...payers, ...more].map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : ''}
<p style="margin:0;color:#6b7280;">${escapeHtml(t.digestAttached)}</p>
</body></html>
`;
  return { subject, text, html, attachments: [{ filename: 'report.html', contentType: 'text/html; charset=utf-8', content: renderReportHtml(report, locale, generatedAt) }] };
}

/** Says on the terminal what the digest said and where it went (or prints it as one JSON document). */
export function printDigest(terminal: Terminal, digest: Digest, to: string, where: string): void {
  if (terminal.json) {
    terminal.document({ ...digest, mailedTo: to, delivered: where });
    return;
  }
  terminal.out(`Digest to ${to}: ${where}`);
  terminal.out(`sent ${digest.sent}, failed ${digest.failed}, unknown ${digest.unknown}, paid after a reminder ${digest.payers.length}, waiting for follow-up ${digest.manualFollowUp}, codes expiring today ${digest.codesExpiringToday}`);
  for (const a of digest.attention) terminal.out(`needs attention: ${a.text} (${a.command})`);
}
