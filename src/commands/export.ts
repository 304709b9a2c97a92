import { Option, type Command } from 'commander';
import { exportCustomers } from '../app/export.js';
import { casesToHandOver } from '../app/handover.js';
import { snippetFor } from '../app/export-snippet.js';
import { DunningError } from '../core/errors.js';
import { exportWriter, printExportDone } from '../output/export.js';
import { printHandover } from '../output/handover.js';
import type { Wrap } from './context.js';

interface ExportOptions {
  format: 'csv';
  out?: string;
  all?: boolean;
  mergeSyntax?: string;
  markSent?: string | true;
  stage?: string;
  handover?: boolean;
  after: string;
  markHandedOver?: boolean;
  includeStopped?: boolean;
}

/** `dunning export`: a merge-field CSV for any other newsletter tool. */
export function registerExport(program: Command, wrap: Wrap): Command {
  return program
    .command('export')
    .description('merge-field CSV of the customers due now, for any newsletter tool (records nothing unless --mark-sent)')
    .addOption(new Option('--format <format>', 'file format').choices(['csv']).default('csv'))
    .option('--out <file>', 'write the CSV to this file instead of stdout')
    .option('--all', 'every customer with open cases, not only those due now')
    .option('--merge-syntax <tool>', 'print a reminder snippet in a tool\'s placeholder style (mailchimp, mailjet, activecampaign, brevo, getresponse, or a pattern such as "%NAME%" or "((NAME))")')
    .option('--stage <name>', 'only the customers due for this stage')
    .option('--include-stopped', 'with --all: stopped customers too (status "stopped: REASON")')
    .option('--mark-sent [stage]', 'record that you mailed the exported customers (the sequence moves on): each row its own stage, or only STAGE\'s customers')
    .option('--handover', 'the cases still open --after the last stage went out, with their claim and every reminder sent, for a collection agency')
    .option('--after <duration>', 'with --handover: how long after the last stage (e.g. "14d")', '14d')
    .option('--mark-handed-over', 'with --handover: record the cases as handed over, so no more messages go out about them')
    .action(
      wrap<ExportOptions>('export', async (ctx, _args, options) => {
        const { config } = ctx.config();
        if (options.handover === true) {
          if (options.markSent !== undefined || options.all === true || options.mergeSyntax !== undefined || options.stage !== undefined) {
            throw new DunningError('--handover goes alone with --out, --after and --mark-handed-over');
          }
          const { store } = await ctx.open({ mustExist: true });
          const out = options.out === undefined ? undefined : ctx.resolve(options.out);
          const result = await casesToHandOver({ store, config, now: ctx.clock.now() }, { after: options.after, markHandedOver: options.markHandedOver === true });
          printHandover(ctx.terminal, result.cases, result.marked, out);
          return { exitCode: 0, summary: { handover: result.cases.length, marked: result.marked } };
        }
        if (options.markHandedOver === true) throw new DunningError('--mark-handed-over goes with --handover');
        const snippet = options.mergeSyntax === undefined ? undefined : snippetFor(options.mergeSyntax, config, (await ctx.adapters.channels()).mailchimp?.mergeTag ?? (() => undefined));
        // --merge-syntax alone prints the snippet; with --out it also writes the CSV to that file (issue 21).
        if (snippet !== undefined && options.out === undefined) {
          if (ctx.terminal.json) ctx.terminal.document({ mergeSyntax: snippet.tool, snippet: snippet.text });
          else ctx.terminal.out(snippet.text);
          return { exitCode: 0, summary: { mergeSyntax: snippet.tool } };
        }
        if (options.markSent !== undefined && options.all === true) throw new DunningError('--mark-sent goes with the customers due now, not with --all');
        if (options.stage !== undefined && options.all === true) throw new DunningError('--stage goes with the customers due now, not with --all');
        const { store, runId, baseDir } = await ctx.open({ mustExist: true });
        const out = options.out === undefined ? undefined : ctx.resolve(options.out);
        const result = await exportCustomers(
          { store, config, baseDir, runId, now: ctx.clock.now() },
          { all: options.all === true, markSent: options.markSent, stage: options.stage, includeStopped: options.includeStopped === true },
          exportWriter(ctx.terminal, out),
        );
        printExportDone(ctx.terminal, result, out, options.markSent, snippet);
        return { exitCode: 0, summary: snippet === undefined ? result : { ...result, mergeSyntax: snippet.tool } };
      }),
    );
}
