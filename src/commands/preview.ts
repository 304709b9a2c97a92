import { Option, type Command } from 'commander';
import { previewMessage } from '../app/preview.js';
import { printPreview } from '../output/preview.js';
import { DunningError } from '../core/errors.js';
import type { Wrap } from './context.js';

interface PreviewOptions {
  template: string;
  order?: string;
  email?: string;
  locale?: string;
  format: 'text' | 'html' | 'eml' | 'pdf';
  to?: string;
}

/** `dunning preview`: the message one customer would get, rendered. */
export function registerPreview(program: Command, wrap: Wrap): Command {
  return program
    .command('preview')
    .description('render the message for one customer (without sending it)')
    .requiredOption('--template <name>', 'template to render (e.g. reminder, second, final)')
    .option('--order <id>', 'the customer of this order ID')
    .option('--email <address>', 'this customer')
    .option('--locale <lang>', 'render in this language instead of the customer\'s')
    .addOption(new Option('--format <format>', 'what to print').choices(['text', 'html', 'eml', 'pdf']).default('text'))
    .option('--to <address>', 'send this rendered message to one address (a test send), touching no case')
    .action(
      wrap<PreviewOptions>('preview', async (ctx, _args, options) => {
        if (options.format === 'pdf' && options.to === undefined && ctx.terminal.interactive) {
          throw new DunningError('--format pdf writes a PDF file to standard output, not to a terminal', { hint: `redirect it to a file: dunning preview --template ${options.template} --format pdf > letter.pdf` });
        }
        const { store, config, baseDir, runId } = await ctx.open({ mustExist: true });
        const { adapters } = ctx;
        const letters = options.format === 'pdf' || config.sequence.stages.some((s) => s.attachPdf && s.template === options.template);
        const result = await previewMessage(
          {
            store, config, baseDir, runId, env: ctx.env, now: ctx.clock.now(),
            renderer: (await adapters.renderer())(config, baseDir), channels: adapters.channels, composeMime: await adapters.composeMime(),
            printLetter: letters ? await adapters.letterPrinter() : undefined,
            note: (line) => ctx.terminal.warn(line),
          },
          { ...options, mime: options.format === 'eml', pdf: options.format === 'pdf' },
        );
        printPreview(ctx.terminal, result, options.format);
        const summary = { template: result.rendered.template, locale: result.rendered.locale, cases: result.outgoing.data.caseIds.length, to: options.to ?? '' };
        if (result.testSend === null) return { exitCode: 0, summary };
        return { exitCode: result.testSend.state === 'sent' ? 0 : 1, summary: { ...summary, outcome: result.testSend.state } };
      }),
    );
}
