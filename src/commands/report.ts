import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { computeReport } from '../core/report.js';
import { DunningError } from '../core/errors.js';
import { parseDueDate } from '../core/dates.js';
import { DateTime } from 'luxon';
import { printReport } from '../output/report.js';
import { renderReportHtml } from '../output/report-html.js';
import type { ActionFactory } from '../program.js';
import { reportData } from '../store/report.js';

interface ReportOptions {
  since?: string;
  until?: string;
  html?: string;
}

/** `dunning report`: what the reminders brought back. */
export function registerReport(program: Command, wrap: ActionFactory): Command {
  return program
    .command('report')
    .description('recovery: cases reminded, paid after a reminder, amount recovered, per stage and template')
    .option('--since <date>', 'from this day (YYYY-MM-DD), in the configured time zone')
    .option('--until <date>', 'up to and including this day')
    .option('--html <file>', 'also write a self-contained HTML page with charts')
    .action(
      wrap<ReportOptions>('report', (ctx, _args, options) => {
        const { db, loaded } = ctx.begin({ mustExist: true });
        const { timeZone, locale, sequence } = loaded.config;
        const since = options.since === undefined ? null : dayStart(options.since, timeZone, '--since', 0);
        const until = options.until === undefined ? null : dayStart(options.until, timeZone, '--until', 1);
        const now = ctx.clock.now();
        const report = computeReport({ ...reportData(db), since, until, now, timeZone, stages: sequence.stages.map((s) => s.name) });
        if (options.html !== undefined) {
          const file = resolve(ctx.cwd, options.html);
          writeFileSync(file, renderReportHtml(report, locale, now.toISOString()));
          ctx.terminal.warn(`Wrote ${file}`);
        }
        printReport(ctx.terminal, report, locale);
        return { exitCode: 0, summary: { reminded: report.remindedCases, paidAfter: report.paidAfterReminder, html: options.html ?? '' } };
      }),
    );
}

/** The instant a calendar day starts in the merchant's zone (plus `offsetDays`), as ISO. */
function dayStart(text: string, timeZone: string, option: string, offsetDays: number): string {
  const date = parseDueDate(text, 'auto', timeZone);
  if (!date.ok || date.value === null) throw new DunningError(`${option}: ${date.ok ? 'no date given' : date.error}`);
  return DateTime.fromISO(date.value, { zone: timeZone }).plus({ days: offsetDays }).toUTC().toISO() ?? '';
}
