import type { Command } from 'commander';
import { importSuppressions } from '../app/suppress.js';
import { printSuppressReport } from '../output/suppress.js';
import type { Wrap } from './context.js';

/** `dunning suppress import FILE [--all]`: addresses that get no more offers (issue 23). */
export function registerSuppress(program: Command, wrap: Wrap): Command {
  const group = program.command('suppress').description('addresses that get no more offers (unsubscribes)');
  group
    .command('import')
    .description('read a list of addresses (one per line, or a CSV with an e-mail column) that get no more offers')
    .argument('<file>', 'the list, e.g. the shop\'s unsubscribe export')
    .option('--all', 'no more messages at all, not only no offers')
    .action(
      wrap<{ all?: boolean }>('suppress import', async (ctx, [file = ''], options) => {
        const { store, runId } = await ctx.open({ mustExist: true });
        const report = await importSuppressions({ store, runId, now: ctx.clock.now() }, { path: ctx.resolve(file), shown: file, all: options.all === true });
        printSuppressReport(ctx.terminal, report);
        return { exitCode: 0, summary: { read: report.read, added: report.added, scope: report.scope } };
      }),
    );
  return group;
}
