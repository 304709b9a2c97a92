import { formatMoney, toDecimalString } from '../core/money.js';
import type { Attribution, RecoveryReport } from '../core/report.js';
import { moneyList, rate } from './report-figures.js';
import { barChart, columnChart, escapeHtml } from './svg-chart.js';

const STYLE = `
body{font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#1f2937;margin:0;background:#f9fafb}
main{max-width:860px;margin:0 auto;padding:24px 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}
.muted{color:#6b7280}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{flex:1 1 180px;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:20px}
figure{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:12px 0;padding:12px}
figcaption{font-weight:600;margin-bottom:8px}
svg .bar{fill:#93c5fd}svg .bar-inner{fill:#1d4ed8}svg .base{stroke:#9ca3af}
svg text{font-size:12px;fill:#374151}svg .axis{font-size:11px;fill:#6b7280}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}.scroll{overflow-x:auto}
th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left}td.num,th.num{text-align:right}
@media print{body{background:#fff}figure,.card{break-inside:avoid;border-color:#ccc}}
`;

/** The report as one self-contained HTML page: charts as inline SVG and the tables beneath; no network needed. */
export function renderReportHtml(report: RecoveryReport, locale: string, generatedAt: string): string {
  const main = report.recovered[0]?.currency ?? report.stillOpen.open[0]?.currency ?? 'EUR';
  const charts = [
    columnChart(
      `Recovered per day (${main})`,
      report.timeline.map((d) => {
        const minor = d.recovered.find((m) => m.currency === main)?.minor ?? 0;
        return { label: d.day.slice(5), value: minor, display: formatMoney({ minor, currency: main }, locale) };
      }),
    ),
    barChart(
      'Stages: cases reminded, and paid after it',
      report.funnel.map((f) => ({ label: f.stage, value: f.cases, inner: f.paid, display: `${f.cases} reminded, ${f.paid} paid` })),
    ),
    barChart(
      `Open amount by days overdue (${main})`,
      report.stillOpen.byAge.map((b) => {
        const minor = b.open.find((m) => m.currency === main)?.minor ?? 0;
        return { label: b.label, value: minor, display: `${formatMoney({ minor, currency: main }, locale)} in ${b.cases} cases` };
      }),
    ),
  ];
  const period = `${report.since?.slice(0, 10) ?? 'the beginning'} to ${report.until?.slice(0, 10) ?? 'now'}`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale.slice(0, 2))}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>dunning: recovery report</title><style>${STYLE}</style></head>
<body><main>
<h1>What the reminders brought back</h1>
<p class="muted">${escapeHtml(period)} · generated ${escapeHtml(generatedAt)}</p>
<div class="cards">
${card('Recovered after a reminder', moneyList(report.recovered, locale))}
${card('Cases paid after a reminder', `${report.paidAfterReminder} of ${report.remindedCases}${rate(report.paidAfterReminder, report.remindedCases)}`)}
${card('Paid without a reminder', `${report.baseline.paidWithoutReminder} · ${moneyList(report.baseline.paidWithout, locale)}`)}
${card('Median days to payment', report.medianDaysToPayment === null ? '–' : String(report.medianDaysToPayment))}
${card('Still open', `${moneyList(report.stillOpen.open, locale)} in ${report.stillOpen.cases} cases`)}
${card('Promo codes used', `${report.codes.used} of ${report.codes.issued}`)}
</div>
${charts.join('\n')}
<h2>By stage</h2>${attributionHtml('stage', report.byStage, locale)}
<h2>By template</h2>${attributionHtml('template', report.byTemplate, locale)}
<h2>Still open, by days overdue</h2>
${scrollingTable('<th>open for</th><th class="num">cases</th><th class="num">amount</th>', report.stillOpen.byAge.map((b) => `<tr><td>${escapeHtml(b.label)}</td><td class="num">${b.cases}</td><td class="num">${escapeHtml(moneyList(b.open, locale))}</td></tr>`))}
<h2>Recovered per day</h2>
${scrollingTable('<th>day</th><th class="num">recovered</th>', report.timeline.map((d) => `<tr><td>${d.day}</td><td class="num" data-amount="${escapeHtml(d.recovered.map((m) => `${toDecimalString(m.minor, m.currency)} ${m.currency}`).join(' '))}">${escapeHtml(moneyList(d.recovered, locale))}</td></tr>`))}
</main></body></html>
`;
}

function card(title: string, value: string): string {
  return `<div class="card"><span class="muted">${escapeHtml(title)}</span><b>${escapeHtml(value)}</b></div>`;
}

function attributionHtml(what: string, rows: readonly Attribution[], locale: string): string {
  if (rows.length === 0) return `<p class="muted">No reminders by ${what} yet.</p>`;
  const body = rows.map(
    (r) => `<tr><td>${escapeHtml(r.name)}</td><td class="num">${r.reminded}</td><td class="num">${r.paidAfter}${rate(r.paidAfter, r.reminded)}</td><td class="num">${escapeHtml(moneyList(r.recovered, locale))}</td><td class="num">${escapeHtml(Object.entries(r.share).map(([c, p]) => `${c} ${p} %`).join(', '))}</td></tr>`,
  );
  return scrollingTable(`<th>${what}</th><th class="num">reminded</th><th class="num">paid after</th><th class="num">recovered</th><th class="num">share</th>`, body);
}

/** A table in a box of its own that scrolls sideways when the table is wider than the screen, so the page never does. */
function scrollingTable(headerCells: string, rows: readonly string[]): string {
  return `<div class="scroll"><table><thead><tr>${headerCells}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table></div>`;
}
