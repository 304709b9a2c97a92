import type { Command } from 'commander';
import { calendarDateIn } from '../core/dates.js';
import { parseEmail } from '../core/email.js';
import { DunningError } from '../core/errors.js';
import { changeHold, snoozeUntil, type HoldChange } from '../core/snooze.js';
import { printCustomer } from '../output/customer.js';
import type { ActionFactory } from '../program.js';
import { clearRejection } from '../store/messages.js';
import { heldCodes } from '../store/promo.js';
import { addNote, casesOfCustomer, customerControl, messagesOf, notesOf, setCaseControl, setCustomerControl, type CustomerCase } from '../store/customers.js';

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
export function registerCustomer(program: Command, wrap: ActionFactory): Command {
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
      wrap<CustomerOptions>('customer', (ctx, [email = ''], options) => {
        const { db, loaded, runId } = ctx.begin({ mustExist: true });
        const now = ctx.clock.now();
        const today = calendarDateIn(now, loaded.config.timeZone);
        const parsed = parseEmail(email);
        if (!parsed.ok || parsed.value === null) throw new DunningError(`"${email}": ${parsed.ok ? 'no address given' : parsed.error}`);
        const key = parsed.value.key;
        const cases = casesOfCustomer(db, key);
        if (cases.length === 0) throw new DunningError(`no customer ${email} in the database`, { hint: '"dunning status" lists the customers with open cases' });
        const targets = options.order === undefined ? undefined : casesOf(cases, options.order, email);
        const change = holdChange(options, today, loaded.config.timeZone, now);
        const changed: string[] = [];
        db.transaction(() => {
          if (change !== undefined) {
            if (targets === undefined) setCustomerControl(db, key, changeHold(customerControl(db, key), change));
            // Resuming a customer lifts the holds on each of their orders too: "resume" means all of it.
            const cases = targets ?? (change.kind === 'resume' ? casesOfCustomer(db, key) : []);
            for (const c of cases) setCaseControl(db, [c.id], changeHold(c, change));
            // A refused address holds a customer too; resuming says the merchant has looked at it.
            if (change.kind === 'resume' && targets === undefined) clearRejection(db, key);
            changed.push(change.kind);
          }
          if (options.note !== undefined) {
            addNote(db, key, targets?.[0]?.id ?? null, runId, options.note, now.toISOString());
            changed.push('note');
          }
        })();
        printCustomer(ctx.terminal, {
          email: cases[0]?.email ?? email,
          control: customerControl(db, key) ?? null,
          cases: casesOfCustomer(db, key),
          messages: messagesOf(db, key),
          notes: notesOf(db, key),
          codes: heldCodes(db, key),
          changed,
          today,
          locale: loaded.config.locale,
        });
        return { exitCode: 0, summary: { customer: key, changed: changed.join(',') || 'nothing', order: options.order ?? '' } };
      }),
    );
}

function casesOf(cases: readonly CustomerCase[], orderId: string, email: string): CustomerCase[] {
  const matching = cases.filter((c) => c.orderId === orderId);
  if (matching.length === 0) throw new DunningError(`${email} has no order "${orderId}"`, { hint: `their orders: ${[...new Set(cases.map((c) => c.orderId))].join(', ')}` });
  return matching;
}

function holdChange(options: CustomerOptions, today: string, timeZone: string, now: Date): HoldChange | undefined {
  const chosen = [options.snooze, options.until, options.stop, options.resume].filter((o) => o !== undefined);
  if (chosen.length > 1) throw new DunningError('give one of --snooze, --until, --stop and --resume at a time');
  if (options.reason !== undefined && options.stop !== true) throw new DunningError('--reason goes with --stop');
  const when = options.snooze ?? options.until;
  if (when !== undefined) {
    const until = snoozeUntil(when, today, timeZone);
    if (!until.ok) throw new DunningError(`--${options.snooze !== undefined ? 'snooze' : 'until'}: ${until.error}`);
    return { kind: 'snooze', until: until.value };
  }
  if (options.stop === true) return { kind: 'stop', at: now.toISOString(), reason: options.reason ?? null };
  if (options.resume === true) return { kind: 'resume' };
  return undefined;
}
