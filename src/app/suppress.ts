import { DunningError } from '../core/errors.js';
import type { Suppression } from '../core/suppression.js';
import { readAddressList } from '../import/address-list.js';
import type { Store } from './ports.js';

/** What `suppress import` did. */
export interface SuppressReport {
  file: string;
  scope: 'offers' | 'all';
  read: number;
  added: number;
  already: number;
  /** The e-mail column of a CSV, or null for one address per line. */
  column: string | null;
}

/**
 * `dunning suppress import FILE [--all]` (issue 23): every address of the list gets no more offers
 * (its messages go without a promo code), or with `all` no more messages. All or nothing: a line
 * that is not an address refuses the whole file (exit 2).
 */
export async function importSuppressions(deps: { store: Store; runId: number; now: Date }, options: { path: string; shown: string; all: boolean }): Promise<SuppressReport> {
  let list;
  try {
    list = readAddressList(options.path, options.shown);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    throw new DunningError(`${options.shown}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code || String(error)})`}`, { hint: 'give the path of a list of addresses (one per line, or a CSV with an e-mail column)' });
  }
  if (list.problems.length > 0) {
    throw new DunningError(`${options.shown}: ${list.problems.length} line${list.problems.length === 1 ? '' : 's'} without a usable address; nothing was imported`, {
      details: list.problems.slice(0, 20).concat(list.problems.length > 20 ? [`… and ${list.problems.length - 20} more`] : []),
      hint: 'fix or delete these lines and run the command again',
    });
  }
  const scope = options.all ? 'all' : 'offers';
  const at = deps.now.toISOString();
  const unique = new Map(list.addresses.map((a) => [a.key, a]));
  const entries: Suppression[] = [...unique.keys()].map((emailKey) => ({ emailKey, scope, reason: 'unsubscribed', detail: '', happenedAt: at, source: options.shown }));
  const added = await deps.store.suppressions.transaction(() => deps.store.suppressions.add(entries, deps.runId));
  return { file: options.shown, scope, read: list.addresses.length, added, already: unique.size - added, column: list.column };
}
