import type { Command } from 'commander';
import { manageCustomer } from '../app/customer.js';
import { printCustomer } from '../output/customer.js';
import type { Wrap } from './context.js';

interface CustomerOptions {
  order?: string;
  snooze?: string;
  until?: string;
  stop?: boolean;
  reason?: string;
  resume?: boolean;
  note?: string;
}

/** `dunning customer EMAIL`: a customer's cases, messages and notes; snooze, stop, resume, note. */
export function registerCustomer(program: Command, wrap: Wrap): Command {
  return program
    .command('customer')
    .description("show a customer's cases, messages and notes; snooze, stop or resume their reminders")
    .argument('<email>', "the customer's e-mail address")
    .option('--order <id>', 'apply the change to this order only')
    .option('--snooze <duration>', 'hold all messages for a while, e.g. 10d or 2w')
    .option('--until <date>', 'hold all messages until this date (YYYY-MM-DD)')
    .option('--stop', 'no more messages (disputed, paying otherwise, no interest)')
    .option('--reason <text>', 'why, with --stop')
    .option('--resume', 'lift a snooze or a stop')
    .option('--note <text>', 'add a dated note')
    .action(
      wrap<CustomerOptions>('customer', async (ctx, [email = ''], options) => {
        const { store, config, runId } = await ctx.open({ mustExist: true });
        const view = await manageCustomer({ store, config, runId, now: ctx.clock.now() }, { ...options, email });
        printCustomer(ctx.terminal, view);
        return { exitCode: 0, summary: { customer: view.email.toLowerCase(), changed: view.changed.join(',') || 'nothing', order: options.order ?? '' } };
      }),
    );
}
