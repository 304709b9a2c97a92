import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DunningError } from '../core/errors.js';
import { mergeSyntax } from '../core/merge-syntax.js';
import { mergeSnippet } from '../export/snippet.js';
import { writeFileWhole } from '../output/write-whole.js';
import type { ActionFactory } from '../program.js';

interface ExportOptions {
  format: 'csv';
  out?: string;
  all?: boolean;
  mergeSyntax?: string;
  markSent?: string;
}

/** `dunning export`: a merge-field CSV for any other newsletter tool. */
export function registerExport(program: Command, wrap: ActionFactory): Command {
  return program
    .command('export')
    .description('merge-field CSV of the customers due now, for any newsletter tool (records nothing unless --mark-sent)')
    .addOption(new Option('--format <format>', 'file format').choices(['csv']).default('csv'))
    .option('--out <file>', 'write the CSV to this file instead of stdout')
    .option('--all', 'every customer with open cases, not only those due now')
    .option('--merge-syntax <tool>', 'print a reminder snippet in a tool\'s placeholder style (mailchimp, mailjet, activecampaign, brevo, getresponse, or a pattern such as "%NAME%" or "((NAME))")')
    .option('--mark-sent <stage>', 'record that you mailed the exported customers this stage (the sequence moves on)')
    .action(
      wrap<ExportOptions>('export', async (ctx, _args, options) => {
        const [{ exportPlan, exportRows }, { checkStageOption }, { writeExportCsv }, { markSent }, { exportPromos }] = await Promise.all([
          import('../export/rows.js'), import('../send/engine.js'), import('../output/export.js'), import('../export/mark-sent.js'), import('../export/promos.js'),
        ]);
        const loaded = ctx.config();
        const { config } = loaded;
        if (options.mergeSyntax !== undefined) {
          const syntax = mergeSyntax(options.mergeSyntax);
          if (!syntax.ok) throw new DunningError(`--merge-syntax: ${syntax.error}`);
          ctx.terminal.out(mergeSnippet(syntax.value, config.locale, config.sequence.stages.some((s) => s.promo !== undefined)));
          return { exitCode: 0, summary: { mergeSyntax: syntax.value.tool } };
        }
        if (options.markSent !== undefined && options.all === true) throw new DunningError('--mark-sent goes with the customers due now, not with --all');
        // Before anything is written: a mistyped stage must not print the CSV or take pool codes.
        if (options.markSent !== undefined) checkStageOption(config, '--mark-sent', options.markSent);
        const { db, runId } = ctx.begin({ mustExist: true });
        const now = ctx.clock.now();
        const plan = exportPlan(db, config, now);
        // Pool codes are handed out only when the export is marked as mailed: a plain export takes none.
        const promos = exportPromos(db, config, loaded.baseDir, plan.messages, now, options.markSent !== undefined);
        const rows = exportRows(plan, config, options.all === true, promos.promoOf);
        const customers = options.out === undefined
          ? writeExportCsv(rows, (text) => ctx.terminal.text(text))
          : writeFileWhole(resolve(ctx.cwd, options.out), (write) => writeExportCsv(rows, write));
        let marked = 0;
        if (options.markSent !== undefined) {
          marked = markSent(db, config, plan.messages, options.markSent, runId, now, promos.codes);
          ctx.terminal.warn(`Recorded ${marked} customer${marked === 1 ? '' : 's'} as sent "${options.markSent}".`);
        } else if (options.out !== undefined) {
          ctx.terminal.warn(`Wrote ${customers} customer${customers === 1 ? '' : 's'} to ${resolve(ctx.cwd, options.out)}; nothing was recorded as sent (use --mark-sent STAGE once you have mailed them).`);
        }
        return { exitCode: 0, summary: { customers, marked } };
      }),
    );
}
