import type { Command } from 'commander';
import { linkNotes } from '../app/plan.js';
import { languageNote, showStatus } from '../app/status.js';
import { printStatus } from '../output/status.js';
import type { Wrap } from './context.js';
import { parsePositiveInt } from './parse.js';

interface StatusOptions {
  overdue?: boolean;
  limit: number;
  all?: boolean;
}

/** `dunning status`: who is overdue, by how much, for how long. */
export function registerStatus(program: Command, wrap: Wrap): Command {
  return program
    .command('status')
    .description('open cases: customer, amount, days overdue, next stage and when it is due')
    .option('--overdue', 'only cases past their due date')
    .option('--limit <n>', 'show at most this many cases in the table', parsePositiveInt, 200)
    .option('--all', 'show every case in the table')
    .action(
      wrap<StatusOptions>('status', async (ctx, _args, options) => {
        const { store, config } = await ctx.open({ mustExist: true });
        // --json prints every case, --all lists them; otherwise the table holds only what it shows.
        const limit = options.all === true || ctx.terminal.json ? undefined : options.limit;
        const status = await showStatus(store, config, ctx.clock.now(), { overdue: options.overdue === true, limit });
        printStatus(ctx.terminal, status);
        for (const note of linkNotes(config)) ctx.terminal.warn(`note: ${note}`);
        const language = languageNote(status.languageFallback, config.locale);
        if (language !== null) ctx.terminal.warn(`note: ${language}`);
        return { exitCode: 0, summary: { cases: status.cases, overdue: status.overdue, due: status.due, unknown: status.unknown.length } };
      }),
    );
}
