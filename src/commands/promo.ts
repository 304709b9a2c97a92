import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { DunningError } from '../core/errors.js';
import { codeIsActive } from '../core/promo.js';
import { promoCsv } from '../output/promo.js';
import type { ActionFactory } from '../program.js';
import { heldCodes } from '../store/promo.js';

interface PromoExportOptions {
  active?: boolean;
  expired?: boolean;
  out?: string;
}

/** `dunning promo export`: who holds which code, for the platform's coupon list. */
export function registerPromo(program: Command, wrap: ActionFactory): Command {
  const promo = program.command('promo').description('promo codes handed out by the sequence');
  promo
    .command('export')
    .description('customers holding a promo code (e-mail, code, expiry) as CSV; expired codes listed separately')
    .option('--active', 'only codes that still hold')
    .option('--expired', 'only codes past their expiry (to remove those customers from the coupon list)')
    .option('--out <file>', 'write the CSV to this file instead of stdout')
    .action(
      wrap<PromoExportOptions>('promo export', (ctx, _args, options) => {
        if (options.active === true && options.expired === true) throw new DunningError('give --active or --expired, not both');
        const { db, loaded } = ctx.begin({ mustExist: true });
        const now = ctx.clock.now();
        const zone = loaded.config.timeZone;
        const rows = heldCodes(db).map((c) => ({
          ...c,
          status: codeIsActive(c.expiresAt, now) ? ('active' as const) : ('expired' as const),
          expiresLocal: DateTime.fromISO(c.expiresAt).setZone(zone).toFormat('yyyy-MM-dd HH:mm'),
        }));
        // Active codes first, then the expired ones: the merchant removes those customers again.
        const chosen = rows
          .filter((r) => (options.active === true ? r.status === 'active' : options.expired === true ? r.status === 'expired' : true))
          .sort((a, b) => (a.status === b.status ? a.email.localeCompare(b.email) : a.status === 'active' ? -1 : 1));
        const csv = promoCsv(chosen);
        if (options.out === undefined) ctx.terminal.out(csv.trimEnd());
        else {
          const file = resolve(ctx.cwd, options.out);
          writeFileSync(file, csv);
          ctx.terminal.warn(`Wrote ${chosen.length} code${chosen.length === 1 ? '' : 's'} to ${file}`);
        }
        const active = chosen.filter((r) => r.status === 'active').length;
        return { exitCode: 0, summary: { active, expired: chosen.length - active } };
      }),
    );
  return promo;
}
