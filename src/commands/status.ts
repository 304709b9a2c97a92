import type { Command } from 'commander';
import { standings, totalsByCurrency } from '../core/status.js';
import { compileTokenPattern } from '../core/token.js';
import type { ActionFactory } from '../program.js';
import { listUnknown } from '../store/messages.js';
import { parsePositiveInt } from './parse.js';

interface StatusOptions {
  overdue?: boolean;
  limit: number;
  all?: boolean;
}

/** `dunning status`: who is overdue, by how much, for how long. */
export function registerStatus(program: Command, wrap: ActionFactory): Command {
  return program
    .command('status')
    .description('open cases: customer, amount, days overdue, next stage and when it is due')
    .option('--overdue', 'only cases past their due date')
    .option('--limit <n>', 'show at most this many cases in the table', parsePositiveInt, 200)
    .option('--all', 'show every case in the table')
    .action(
      wrap<StatusOptions>('status', async (ctx, _args, options) => {
        const [{ makePlan }, { printStatus }] = await Promise.all([import('../send/engine.js'), import('../output/status.js')]);
        const { db, loaded } = ctx.begin({ mustExist: true });
        const { config } = loaded;
        // The same plan send would make: each case's next stage and its date, or why it gets none.
        const plan = makePlan({ db, config }, {}, ctx.clock.now());
        const today = plan.today;
        let rows = standings(plan.decisions.map((d) => d.case), today, compileTokenPattern(config.tokenPattern));
        if (options.overdue) rows = rows.filter((r) => r.daysOverdue > 0);
        const totals = totalsByCurrency(rows);
        const decisions = new Map(plan.decisions.map((d) => [d.case.id, d]));
        const unknown = listUnknown(db);
        printStatus(ctx.terminal, { today, timeZone: config.timeZone, locale: config.locale, rows, totals, decisions, unknown, limit: options.all ? undefined : options.limit });
        return { exitCode: 0, summary: { cases: rows.length, overdue: rows.filter((r) => r.daysOverdue > 0).length, due: plan.messages.length, unknown: unknown.length } };
      }),
    );
}
