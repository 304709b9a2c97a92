import type { Command } from 'commander';
import { recoveryReport } from '../app/report.js';
import { printReport, writeReportCsv, writeReportHtml } from '../output/report.js';
import type { Wrap } from './context.js';

interface ReportOptions {
  since?: string;
  until?: string;
  html?: string;
  csv?: string;
}

/** `dunning report`: what the reminders brought back. */
export function registerReport(program: Command, wrap: Wrap): Command {
  return program
    .command('report')
    .description('recovery: cases reminded, paid after a reminder, amount recovered, per stage and template')
    .option('--since <date>', 'from this day (YYYY-MM-DD), in the configured time zone')
    .option('--until <date>', 'up to and including this day')
    .option('--html <file>', 'also write a self-contained HTML page with charts')
    .option('--csv <file>', 'also write who paid after which reminder as CSV, for the bookkeeping')
    .action(
      wrap<ReportOptions>('report', async (ctx, _args, options) => {
        const { store, config } = await ctx.open({ mustExist: true });
        const now = ctx.clock.now();
        const report = await recoveryReport(store, config, now, { since: options.since, until: options.until });
        if (options.html !== undefined) writeReportHtml(ctx.terminal, ctx.resolve(options.html), report, config.locale, now);
        if (options.csv !== undefined) writeReportCsv(ctx.terminal, ctx.resolve(options.csv), report);
        printReport(ctx.terminal, report, config.locale);
        return { exitCode: 0, summary: { reminded: report.remindedCases, paidAfter: report.paidAfterReminder, html: options.html ?? '' } };
      }),
    );
}
