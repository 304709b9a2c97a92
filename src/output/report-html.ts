import { formatMoney, toDecimalString, type Money } from '../core/money.js';
import type { Attribution, RecoveryReport } from '../core/report.js';
import type { OpenClaimCharges } from '../app/report.js';
import { ageLabel, calendarDay, count, localTime, moneyList, percent, periodText, rate } from './report-figures.js';
import { fill, plural, reportLabels, type ReportLabels } from './report-labels/index.js';
import { barChart, columnChart, escapeHtml } from './svg-chart.js';

// On a phone (issue 22: 375 px) the tables stack: each row a block, each cell with its column's name
// before it, so no table is wider than the screen. In print the charts keep their colours on A4.
const STYLE = `
*{box-sizing:border-box}
body{font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#1f2937;margin:0;background:#f9fafb;overflow-wrap:anywhere}
main{max-width:860px;margin:0 auto;padding:24px 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}
.muted{color:#6b7280}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{flex:1 1 180px;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:20px}
figure{background:#fff;border:1px solid #e5e7eb;border-radius:8px;margin:12px 0;padding:12px}
figcaption{font-weight:600;margin-bottom:8px}
svg{display:block;overflow:hidden}
svg .bar{fill:#93c5fd}svg .bar-inner{fill:#1d4ed8}svg .bar-track{fill:#f3f4f6}svg .base{stroke:#9ca3af}
svg text{font-size:12px;fill:#374151}svg .axis{font-size:11px;fill:#6b7280}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0}
th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left}td.num,th.num{text-align:right}
.note{font-size:14px}
@media (max-width:600px){
 main{padding:16px 10px}
 table,thead,tbody,tr,th,td{display:block;width:100%}
 thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 tr{border:1px solid #e5e7eb;border-radius:6px;margin:0 0 8px;padding:4px 0;background:#fff}
 td,td.num{border:0;padding:3px 10px;text-align:right;display:flex;justify-content:space-between;gap:12px}
 td::before{content:attr(data-label);color:#6b7280;text-align:left}
}
@page{size:A4;margin:14mm}
@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}body{background:#fff}main{max-width:none;padding:0}
 figure,.card,tr{break-inside:avoid}figure,.card{border-color:#ccc}h2{break-after:avoid}}
`;

/** The report as one self-contained HTML page in the config's language: charts as inline SVG and the tables beneath, from the same figures; no network needed. */
export function renderReportHtml(report: RecoveryReport & { lateCharges?: OpenClaimCharges | null }, locale: string, generatedAt: string): string {
  const t = reportLabels(locale);
  const day = (d: string): string => calendarDay(d, locale);
  const cases = (n: number): string => count(n, locale);
  const stillOpen = plural(t.amountInCases, report.stillOpen.cases, locale, { amount: moneyList(report.stillOpen.open, locale) });
  return `<!DOCTYPE html>
<html lang="${escapeHtml(locale.slice(0, 2))}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.pageTitle)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(t.heading)}</h1>
<p class="muted">${escapeHtml(periodText(report, t, day))} · ${escapeHtml(fill(t.generated, { time: localTime(generatedAt, locale, report.period.timeZone) }))}</p>
<div class="cards">
${card(t.cardRecovered, moneyList(report.recovered, locale) + (report.estimatedWithCode > 0 ? ' *' : ''))}
${card(t.cardPaidCases, `${fill(t.ofTotal, { part: cases(report.paidAfterReminder), whole: cases(report.remindedCases) })}${rate(report.paidAfterReminder, report.remindedCases, locale)}`)}
${card(t.cardPaidWithout, `${cases(report.baseline.paidWithoutReminder)} · ${moneyList(report.baseline.paidWithout, locale)}`)}
${card(t.cardMedianDays, report.medianDaysToPayment === null ? '–' : report.medianDaysToPayment.toLocaleString(locale))}
${card(t.cardStillOpen, stillOpen)}
${lateChargesCard(report.lateCharges, t, locale)}${card(t.cardCodesUsed, fill(t.ofTotal, { part: cases(report.codes.used), whole: cases(report.codes.issued) }))}
</div>
${lateChargesParts(report.lateCharges, t, locale)}${charts(report, locale, t).join('\n')}
<h2>${escapeHtml(t.byStage)}</h2>${attributionHtml(t.stage, t.noRemindersByStage, report.byStage, locale, t)}
<h2>${escapeHtml(t.byTemplate)}</h2>${attributionHtml(t.template, t.noRemindersByTemplate, report.byTemplate, locale, t)}
<h2>${escapeHtml(t.whoPaid)}</h2>${payersHtml(report, locale, t)}
<h2>${escapeHtml(t.stillOpenByAge)}</h2>
${table([t.openFor, t.cases, t.amount], report.stillOpen.byAge.map((b, i) => [ageLabel(t, i, b.label), cases(b.cases), moneyList(b.open, locale)]))}
<h2>${escapeHtml(t.recoveredPerDay)}</h2>
${table(
  [t.day, t.recovered],
  report.timeline.map((d) => [day(d.day), moneyList(d.recovered, locale)]),
  report.timeline.map((d) => ` data-day="${d.day}" data-amount="${escapeHtml(d.recovered.map((m) => `${toDecimalString(m.minor, m.currency)} ${m.currency}`).join(' '))}"`),
)}
${footnote(report, locale, t)}
</main></body></html>
`;
}

/** The charts: money per currency (never added across), stages and templates from the very rows of their tables. */
function charts(report: RecoveryReport, locale: string, t: ReportLabels): string[] {
  const perDay = report.currencies
    .filter((currency) => report.timeline.some((d) => d.recovered.some((m) => m.currency === currency)))
    .map((currency) =>
      columnChart(
        fill(t.chartPerDay, { currency }),
        report.timeline.map((d) => {
          const minor = amountIn(d.recovered, currency);
          return { label: d.day.slice(5), value: minor, display: formatMoney({ minor, currency }, locale) };
        }),
      ),
    );
  const byAge = report.currencies
    .filter((currency) => report.stillOpen.open.some((m) => m.currency === currency))
    .map((currency) =>
      barChart(
        fill(t.chartByAge, { currency }),
        report.stillOpen.byAge.map((b, i) => {
          const minor = amountIn(b.open, currency);
          return { label: ageLabel(t, i, b.label), value: minor, display: plural(t.amountInCases, b.cases, locale, { amount: formatMoney({ minor, currency }, locale) }) };
        }),
      ),
    );
  return [...perDay, attributionChart(t.chartStages, report.byStage, locale, t), attributionChart(t.chartTemplates, report.byTemplate, locale, t), ...byAge];
}

function attributionChart(title: string, rows: readonly Attribution[], locale: string, t: ReportLabels): string {
  return barChart(
    title,
    rows.map((r) => ({
      label: r.name,
      value: r.reminded,
      inner: r.paidAfter,
      display: fill(t.remindedPaid, { reminded: count(r.reminded, locale), paid: count(r.paidAfter, locale) }),
      data: { name: r.name, reminded: r.reminded, paid: r.paidAfter },
    })),
  );
}

function amountIn(list: readonly Money[], currency: string): number {
  return list.find((m) => m.currency === currency)?.minor ?? 0;
}

/** The open claims with interest and fees apart (with lateCharges), or nothing. */
function lateChargesCard(charges: OpenClaimCharges | null | undefined, t: ReportLabels, locale: string): string {
  if (charges === null || charges === undefined || charges.problem !== null) return '';
  return `${card(t.openClaims, moneyList(charges.total, locale))}\n`;
}

/** What the open claims are made of, under the cards: principal, interest and fees apart. */
function lateChargesParts(charges: OpenClaimCharges | null | undefined, t: ReportLabels, locale: string): string {
  if (charges === null || charges === undefined || charges.problem !== null) return '';
  const parts = [[t.principal, charges.principal], [t.defaultInterest, charges.interest], [t.lateFees, charges.fees]] as const;
  return `<p class="muted">${escapeHtml(`${t.openClaims}: ${parts.map(([label, money]) => `${label} ${moneyList(money, locale)}`).join(' · ')}`)}</p>\n`;
}

function card(title: string, value: string): string {
  return `<div class="card"><span class="muted">${escapeHtml(title)}</span><b>${escapeHtml(value)}</b></div>`;
}

function attributionHtml(what: string, none: string, rows: readonly Attribution[], locale: string, t: ReportLabels): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(none)}</p>`;
  return table(
    [what, t.reminded, t.paidAfter, t.recovered, t.share],
    rows.map((r) => [r.name, count(r.reminded, locale), `${count(r.paidAfter, locale)}${rate(r.paidAfter, r.reminded, locale)}`, moneyList(r.recovered, locale), Object.entries(r.share).map(([c, p]) => `${c} ${percent(p, locale)}`).join(', ')]),
    rows.map((r) => ` data-name="${escapeHtml(r.name)}" data-reminded="${r.reminded}" data-paid="${r.paidAfter}"`),
  );
}

function payersHtml(report: RecoveryReport, locale: string, t: ReportLabels): string {
  if (report.payers.length === 0) return `<p class="muted">${escapeHtml(t.nobodyPaid)}</p>`;
  return table(
    [t.paidOn, t.customer, t.orders, t.amount, t.stage, t.daysAfterReminder],
    report.payers.map((p) => [
      calendarDay(p.day, locale),
      p.name === '' ? p.email : `${p.name} <${p.email}>`,
      p.orders.join(', '),
      moneyList(p.amount, locale) + (p.estimated ? ' *' : ''),
      p.stage,
      count(p.daysAfterReminder, locale),
    ]),
  );
}

function footnote(report: RecoveryReport, locale: string, t: ReportLabels): string {
  if (report.estimatedWithCode === 0) return '';
  return `<p class="muted note">${escapeHtml(plural(t.estimatedFootnote, report.estimatedWithCode, locale))}</p>`;
}

/** A table whose cells carry their column's name, so on a phone each row stacks as a block. Cells hold text, escaped here. */
function table(headers: readonly string[], rows: readonly (readonly string[])[], rowAttributes: readonly string[] = []): string {
  const head = headers.map((h, i) => `<th${i === 0 ? '' : ' class="num"'}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map(
    (cells, r) => `<tr${rowAttributes[r] ?? ''}>${cells.map((c, i) => `<td${i === 0 ? '' : ' class="num"'} data-label="${escapeHtml(headers[i] ?? '')}">${escapeHtml(c)}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}
