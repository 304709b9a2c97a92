import type { Command } from 'commander';
import { printRuns } from '../output/runs.js';
import type { ActionFactory } from '../program.js';
import { listRuns } from '../store/runs.js';
import { parsePositiveInt } from './parse.js';

interface RunsOptions {
  last: number;
}

/** `dunning runs`: the run log, newest first. */
export function registerRuns(program: Command, wrap: ActionFactory): Command {
  return program
    .command('runs')
    .description('the run log: every command, when, with what outcome')
    .option('--last <n>', 'how many runs to show', parsePositiveInt, 20)
    .action(
      wrap<RunsOptions>('runs', (ctx, _args, options) => {
        const { db, runId } = ctx.begin({ mustExist: true });
        const runs = listRuns(db, options.last + 1).filter((run) => run.id !== runId).slice(0, options.last);
        printRuns(ctx.terminal, runs);
        return { exitCode: 0, summary: { listed: runs.length } };
      }),
    );
}
