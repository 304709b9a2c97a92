import type { Digest } from '../core/digest.js';
import type { RecoveryReport } from '../core/report.js';
import { count, localTime, moneyList } from './report-figures.js';
import { renderReportHtml } from './report-html.js';
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
function lines(digest: Digest, locale: string): { label: string; value: string }[] {
  return [
    { label: 'Sent', value: count(digest.sent, locale) },
    { label: 'Failed', value: count(digest.failed, locale) },
    { label: 'Unknown', value: count(digest.unknown, locale) },
    { label: 'Paid after a reminder', value: `${count(digest.payers.length, locale)} · ${moneyList(digest.paid, locale)}` },
    { label: 'Waiting for a personal follow-up', value: count(digest.manualFollowUp, locale) },
    { label: 'Promo codes expiring today', value: count(digest.codesExpiringToday, locale) },
  ];
}

/** Writes the digest for the merchant's mailbox: short, what needs attention first. */
export function renderDigestMail(digest: Digest, report: RecoveryReport, locale: string, generatedAt: string, company: string): DigestMailParts {
  const since = localTime(digest.since, locale, report.period.timeZone);
  const subject = digest.attention.length > 0
    ? `dunning: ${digest.attention.length} ${digest.attention.length === 1 ? 'thing needs' : 'things need'} your attention${company === '' ? '' : ` (${company})`}`
    : `dunning: ${moneyList(digest.paid, locale)} recovered since ${since}${company === '' ? '' : ` (${company})`}`;
  const figures = lines(digest, locale);
  const attention = digest.attention.map((a) => `- ${a.text} (${a.command})`);
  const payers = digest.payers.slice(0, 10).map((p) => `- ${p.email}: ${moneyList(p.amount, locale)} after ${p.stage} (${p.daysAfterReminder} d)`);
  const text = [
    `Since ${since}:`,
    '',
    ...figures.map((l) => `${l.label}: ${l.value}`),
    '',
    ...(attention.length > 0 ? ['Needs attention first:', ...attention, ''] : ['Nothing needs your attention.', '']),
    ...(payers.length > 0 ? ['Who paid:', ...payers, ...(digest.payers.length > 10 ? [`- and ${digest.payers.length - 10} more (see the attached report)`] : []), ''] : []),
    'The full report is attached (report.html).',
    '',
  ].join('\n');
  const html = `<!DOCTYPE html><html lang="${escapeHtml(locale.slice(0, 2))}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2937;">
<p style="margin:0 0 12px;">Since ${escapeHtml(since)}:</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;">
${figures.map((l) => `<tr><td style="padding:2px 16px 2px 0;">${escapeHtml(l.label)}</td><td style="padding:2px 0;"><strong>${escapeHtml(l.value)}</strong></td></tr>`).join('\n')}
</table>
${digest.attention.length > 0 ? `<p style="margin:0 0 4px;"><strong>Needs attention first:</strong></p><ul style="margin:0 0 16px;padding-left:20px;">${digest.attention.map((a) => `<li>${escapeHtml(a.text)} (<code>${escapeHtml(a.command)}</code>)</li>`).join('')}</ul>` : '<p style="margin:0 0 16px;">Nothing needs your attention.</p>'}
${payers.length > 0 ? `<p style="margin:0 0 4px;"><strong>Who paid:</strong></p><ul style="margin:0 0 16px;padding-left:20px;">${digest.payers.slice(0, 10).map((p) => `<li>${escapeHtml(`${p.email}: ${moneyList(p.amount, locale)} after ${p.stage} (${p.daysAfterReminder} d)`)}</li>`).join('')}${digest.payers.length > 10 ? `<li>${escapeHtml(`and ${digest.payers.length - 10} more (see the attached report)`)}</li>` : ''}</ul>` : ''}
<p style="margin:0;color:#6b7280;">The full report is attached (report.html).</p>
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
