import type { Command } from 'commander';
import { promoHolders } from '../app/promo.js';
import { printPromoHolders } from '../output/promo.js';
import type { Wrap } from './context.js';

interface PromoExportOptions {
  active?: boolean;
  expired?: boolean;
  since?: string;
  out?: string;
}

/** `dunning promo export`: who holds which code, for the platform's coupon list. */
export function registerPromo(program: Command, wrap: Wrap): Command {
  const promo = program.command('promo').description('promo codes handed out by the sequence');
  promo
    .command('export')
    .description('customers holding a promo code (e-mail, code, expiry) as CSV; expired codes listed separately')
    .option('--active', 'only codes that still hold')
    .option('--expired', 'only codes past their expiry held by customers who have not paid (to remove them from the coupon list)')
    .option('--since <date>', 'with --expired: only codes that expired on or after this day (YYYY-MM-DD), the newly expired')
    .option('--out <file>', 'write the CSV to this file instead of stdout (readable by you only)')
    .action(
      wrap<PromoExportOptions>('promo export', async (ctx, _args, options) => {
        const selection = { active: options.active === true, expired: options.expired === true, since: options.since };
        const { store, config } = await ctx.open({ mustExist: true });
        const rows = await promoHolders(store, config, ctx.clock.now(), selection);
        await printPromoHolders(ctx.terminal, rows, options.out === undefined ? undefined : ctx.resolve(options.out));
        const active = rows.filter((r) => r.status === 'active').length;
        return { exitCode: 0, summary: { active, expired: rows.length - active } };
      }),
    );
  return promo;
}
