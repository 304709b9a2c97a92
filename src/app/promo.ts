import { DateTime } from 'luxon';
import { DunningError } from '../core/errors.js';
import { codeIsActive } from '../core/promo.js';
import { dayBounds } from '../core/send-window.js';
import { calendarDay } from './report.js';
import type { AppConfig } from './plan.js';
import type { HeldCode, Store } from './ports.js';

/** A code holder as `promo export` lists them. */
export interface PromoRow extends HeldCode {
  /** When the code expires, in the merchant's zone (`2026-11-26 09:00`). */
  expiresLocal: string;
  status: 'active' | 'expired';
}

/** Which holders `promo export` lists. */
export interface PromoExportOptions {
  active: boolean;
  expired: boolean;
  /** Only codes that expired on or after this day (YYYY-MM-DD or DD.MM.YYYY, in the configured zone): the newly expired. */
  since?: string | undefined;
}

/**
 * Who holds which promo code, for the platform's coupon list: codes still valid first (the
 * merchant restricts the coupon to them), then the expired ones (to remove those customers again),
 * each by address. `--expired` leaves out holders who paid.
 */
export async function promoHolders(store: Store, config: AppConfig, now: Date, options: PromoExportOptions): Promise<PromoRow[]> {
  if (options.active && options.expired) throw new DunningError('give --active or --expired, not both');
  if (options.since !== undefined && !options.expired) throw new DunningError('--since goes with --expired: it picks the codes that expired since that day');
  const since = options.since === undefined ? null : dayBounds(calendarDay(options.since, config.timeZone, '--since', now), config.timeZone).start.getTime();
  const rows = (await store.promos.heldCodes()).map((c): PromoRow => ({
    ...c,
    status: codeIsActive(c.expiresAt, now) ? 'active' : 'expired',
    expiresLocal: DateTime.fromISO(c.expiresAt).setZone(config.timeZone).toFormat('yyyy-MM-dd HH:mm'),
  }));
  return rows
    // --expired is the list to shrink the restricted coupon list by: expired and not paid (issue 21).
    .filter((r) => (options.active ? r.status === 'active' : options.expired ? r.status === 'expired' && !r.paid : true))
    .filter((r) => since === null || Date.parse(r.expiresAt) >= since)
    .sort((a, b) => (a.status === b.status ? a.email.localeCompare(b.email) : a.status === 'active' ? -1 : 1));
}
