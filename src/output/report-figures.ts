import { formatMoney, type Money } from '../core/money.js';

/** Formats a list of amounts in different currencies, never added together. */
export function moneyList(list: readonly Money[], locale: string): string {
  return list.length === 0 ? formatMoney({ minor: 0, currency: 'EUR' }, locale) : list.map((m) => formatMoney(m, locale)).join(' + ');
}

/** " (40 %)" after a count, or nothing when there is nothing to divide by. */
export function rate(part: number, whole: number): string {
  return whole === 0 ? '' : ` (${Math.round((part * 1000) / whole) / 10} %)`;
}
