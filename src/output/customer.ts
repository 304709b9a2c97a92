import type { CustomerView } from '../app/customer.js';
import type { CustomerHold } from '../app/ports.js';
import { formatMoney } from '../core/money.js';
import { renderTable } from './table.js';
import type { Terminal } from './terminal.js';

/** Prints a customer's cases, holds, messages and notes (or one JSON document). */
export function printCustomer(terminal: Terminal, view: CustomerView): void {
  if (terminal.json) {
    terminal.document(view);
    return;
  }
  if (view.changed.length > 0) terminal.info(`Changed: ${view.changed.join(', ')}`);
  const name = `${view.cases[0]?.firstName ?? ''} ${view.cases[0]?.lastName ?? ''}`.trim();
  terminal.out(`${name === '' ? '' : `${name} `}<${view.email}>  ${describeHold(view.control, view.today) || 'reminders active'}`);
  for (const s of view.suppressions) {
    terminal.out(`${s.said} (${s.source}): ${s.scope === 'all' ? 'no more messages; follow up by hand, "--resume" once the address is fixed' : 'no more offers, reminders go without a code'}`);
  }
  terminal.out('');
  const charged = view.cases.some((c) => c.claim !== null);
  const money = (minor: number, currency: string): string => formatMoney({ minor, currency }, view.locale);
  terminal.out(
    renderTable(
      ['order', 'due', 'product', 'open', ...(charged ? ['interest', 'fees', 'total'] : []), 'status', 'hold'],
      view.cases.map((c) => [
        c.orderId,
        c.dueDate,
        c.product,
        money(c.openMinor, c.currency),
        ...(!charged ? [] : c.claim === null ? ['', '', ''] : [money(c.claim.interestMinor, c.currency), money(c.claim.flatFeeMinor + c.claim.feesMinor, c.currency), money(c.claim.totalMinor, c.currency)]),
        c.status === 'open' ? 'open' : `${c.status}${c.closedReason ? ` (${c.closedReason.replace(/_/g, ' ')})` : ''}`,
        describeHold(c, view.today),
      ]),
      ['left', 'left', 'left', 'right', ...(charged ? (['right', 'right', 'right'] as const) : [])],
    ),
  );
  terminal.out('');
  if (view.messages.length === 0) terminal.out('No messages yet.');
  else {
    terminal.out(
      renderTable(
        ['message', 'run', 'stage', 'channel', 'state', 'orders', 'at', 'error'],
        view.messages.map((m) => [String(m.id), String(m.runId), m.stage, m.channel, m.state, m.orderIds, m.updatedAt, m.error ?? '']),
      ),
    );
  }
  for (const code of view.codes) terminal.out(`Promo code ${code.code} (${code.stage}), issued ${code.issuedAt}, valid until ${code.expiresAt}`);
  for (const note of view.notes) terminal.out(`Note ${note.createdAt}${note.orderId ? ` (order ${note.orderId})` : ''}: ${note.text}`);
}

function describeHold(control: CustomerHold | null, today: string): string {
  if (control === null) return '';
  const parts: string[] = [];
  if (control.stoppedAt !== null) parts.push(`stopped ${control.stoppedAt.slice(0, 10)}${control.stopReason ? `: ${control.stopReason}` : ''}`);
  if (control.snoozedUntil !== null && control.snoozedUntil > today) parts.push(`snoozed until ${control.snoozedUntil}`);
  return parts.join('; ');
}
