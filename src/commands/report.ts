import type { Command } from 'commander';
import { collectDigest, digestAddress, mailDigest } from '../app/digest.js';
import { recoveryReport } from '../app/report.js';
import { printDigest, renderDigestMail } from '../output/digest.js';
import { printLateCharges, printReport, writeReportCsv, writeReportHtml } from '../output/report.js';
import type { CommandContext, CommandResult, Wrap } from './context.js';

interface ReportOptions {
  since?: string;
  until?: string;
  html?: string;
  csv?: string;
  mailTo?: string;
}

/** `dunning report`: what the reminders brought back; with --mail-to, the merchant's daily digest. */
export function registerReport(program: Command, wrap: Wrap): Command {
  return program
    .command('report')
    .description('recovery: cases reminded, paid after a reminder, amount recovered, per stage and template')
    .option('--since <date>', 'from this day (YYYY-MM-DD, today, yesterday), in the configured time zone')
    .option('--until <date>', 'up to and including this day')
    .option('--html <file>', 'also write a self-contained HTML page with charts')
    .option('--csv <file>', 'also write who paid after which reminder as CSV, for the bookkeeping')
    .option('--mail-to <address>', 'mail a short digest since the last one (or --since) with the full report attached; exit 1 when something needs attention')
    .action(
      wrap<ReportOptions>('report', async (ctx, _args, options) => {
        if (options.mailTo !== undefined) return digest(ctx, options, options.mailTo);
        const { store, config } = await ctx.open({ mustExist: true });
        const now = ctx.clock.now();
        const report = await recoveryReport(store, config, now, { since: options.since, until: options.until });
        if (options.html !== undefined) writeReportHtml(ctx.terminal, ctx.resolve(options.html), report, config.locale, now);
        if (options.csv !== undefined) writeReportCsv(ctx.terminal, ctx.resolve(options.csv), report);
        printReport(ctx.terminal, report, config.locale);
        printLateCharges(ctx.terminal, report.lateCharges, config.locale);
        return { exitCode: 0, summary: { reminded: report.remindedCases, paidAfter: report.paidAfterReminder, html: options.html ?? '' } };
      }),
    );
}

/** `report --mail-to ADDR`: the digest, mailed through the configured channel and recorded as a run. */
async function digest(ctx: CommandContext, options: ReportOptions, mailTo: string): Promise<CommandResult> {
  const to = digestAddress(mailTo);
  const { store, config, baseDir, runId } = await ctx.open({ mustExist: true });
  const now = ctx.clock.now();
  const { digest: found, report } = await collectDigest(store, config, now, options.since);
  const mail = { to, ...renderDigestMail(found, report, config.locale, now.toISOString(), config.sender.company ?? '') };
  const outcome = await mailDigest({ channels: await ctx.adapters.channels(), config, env: ctx.env, baseDir, runId, now }, mail);
  const where = outcome.state === 'sent' ? outcome.response : `not delivered: ${outcome.error}`;
  if (options.html !== undefined) writeReportHtml(ctx.terminal, ctx.resolve(options.html), report, config.locale, now);
  if (options.csv !== undefined) writeReportCsv(ctx.terminal, ctx.resolve(options.csv), report);
  printDigest(ctx.terminal, found, mail.to, where);
  const exitCode: CommandResult['exitCode'] = outcome.state !== 'sent' || found.attention.length > 0 ? 1 : 0;
  return { exitCode, summary: { digest: true, mailedTo: outcome.state, sent: found.sent, failed: found.failed, unknown: found.unknown, paid: found.payers.length, attention: found.attention.map((a) => a.what) } };
}
