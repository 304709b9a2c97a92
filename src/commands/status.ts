import type { Command } from 'commander';
import { calendarDateIn } from '../core/dates.js';
import { standings, totalsByCurrency } from '../core/status.js';
import { compileTokenPattern } from '../core/token.js';
import { printStatus } from '../output/status.js';
import type { ActionFactory } from '../program.js';
import { listOpenCases } from '../store/cases.js';
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
    .description('open cases: customer, amount, due date, days overdue')
    .option('--overdue', 'only cases past their due date')
    .option('--limit <n>', 'show at most this many cases in the table', parsePositiveInt, 200)
    .option('--all', 'show every case in the table')
    .action(
      wrap<StatusOptions>('status', (ctx, _args, options) => {
        const { db, loaded } = ctx.begin();
        const { config } = loaded;
        const today = calendarDateIn(ctx.clock.now(), config.timeZone);
        let rows = standings(listOpenCases(db), today, compileTokenPattern(config.tokenPattern));
        if (options.overdue) rows = rows.filter((r) => r.daysOverdue > 0);
        const totals = totalsByCurrency(rows);
        printStatus(ctx.terminal, { today, timeZone: config.timeZone, locale: config.locale, rows, totals, limit: options.all ? undefined : options.limit });
        return { exitCode: 0, summary: { cases: rows.length, overdue: rows.filter((r) => r.daysOverdue > 0).length } };
      }),
    );
}
