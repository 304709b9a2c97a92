import type { Command } from 'commander';
import { listRuns } from '../app/runs.js';
import { printRuns } from '../output/runs.js';
import type { Wrap } from './context.js';
import { parsePositiveInt } from './parse.js';

interface RunsOptions {
  last: number;
}

/** `dunning runs`: the run log, newest first. */
export function registerRuns(program: Command, wrap: Wrap): Command {
  return program
    .command('runs')
    .description('the run log: every command, when, with what outcome')
    .option('--last <n>', 'how many runs to show', parsePositiveInt, 20)
    .action(
      wrap<RunsOptions>('runs', async (ctx, _args, options) => {
        const { store, runId } = await ctx.open({ mustExist: true });
        const runs = await listRuns(store, options.last, runId);
        printRuns(ctx.terminal, runs);
        return { exitCode: 0, summary: { listed: runs.length } };
      }),
    );
}
