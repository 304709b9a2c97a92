import { describe, expect, it } from 'vitest';
import { caseOf } from '../support/db.js';
import { TEST_CONFIG } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

// Issue 18, the customer's side of a platform's export: the name kept whole, the language from the
// country only where a shipped one fits, and Stripe's uncollectible invoices for a person to follow up.

const STRIPE_HEADER = 'id,Number,Customer Name,Customer Email,Status,Currency,Amount Due,Amount Paid,Amount Remaining,Date (UTC),Due Date (UTC),Description,Customer Address Country';

/** A Stripe invoice export: one line per invoice, `number,name,email,status,remaining,country`. */
function stripeCsv(rows: readonly (readonly [string, string, string, string, string, string])[]): string {
  const body = rows.map(([number, name, email, status, remaining, country], i) =>
    [`in_${i}`, number, name.includes(',') ? `"${name}"` : name, email, status, 'eur', remaining, '0.00', remaining, '2026-11-01 09:00:00', '2026-11-10 09:00:00', 'Coaching', country].join(','),
  );
  return [STRIPE_HEADER, ...body].join('\n') + '\n';
}

function stripeWorkspace(rows: Parameters<typeof stripeCsv>[0], config: Record<string, unknown> = {}): Workspace {
  const ws = workspace({ ...TEST_CONFIG, manageLink: 'https://billing.example.com/invoices/{order_id}', ...config });
  ws.write('invoices.csv', stripeCsv(rows));
  return ws;
}

describe('a name column is the customer\'s full name', () => {
  it('keeps Stripe\'s Customer Name whole, and greets by the first name only where that is safe', async () => {
    const ws = stripeWorkspace(
      [
        ['INV-1', 'Dr. Anna Schmidt', 'anna@example.com', 'open', '120.00', 'GB'],
        ['INV-2', 'Müller, Ben', 'ben@example.com', 'open', '80.00', 'GB'],
        ['INV-3', 'Jonas Vogel', 'jonas@example.com', 'open', '50.00', 'GB'],
      ],
      { locale: 'en' },
    );
    expect((await ws.dunning('import', 'invoices.csv')).code).toBe(0);
    expect(caseOf(ws.db, 'INV-1')).toMatchObject({ first_name: '', last_name: 'Dr. Anna Schmidt' });
    expect(caseOf(ws.db, 'INV-3')).toMatchObject({ first_name: 'Jonas', last_name: 'Vogel' });
    const greeting = async (order: string): Promise<string | undefined> => {
      const result = await ws.dunning('preview', '--template', 'reminder', '--order', order);
      expect(result.code, result.stderr).toBe(0);
      return lines(result.stdout).find((line) => /^(Dear|Hello)/.test(line));
    };
    expect(await greeting('INV-1')).toBe('Dear Dr. Anna Schmidt,');
    expect(await greeting('INV-2')).toBe('Dear Müller, Ben,');
    expect(await greeting('INV-3')).toBe('Dear Jonas,');
    const status = JSON.parse((await ws.dunning('--json', 'status')).stdout) as { cases: { orderId: string; firstName: string; lastName: string }[] };
    expect(status.cases.map((c) => `${c.firstName} ${c.lastName}`.trim())).toEqual(['Dr. Anna Schmidt', 'Müller, Ben', 'Jonas Vogel']);
  });
});

describe('Stripe\'s uncollectible invoices', () => {
  it('are listed for manual follow-up in the summary and under "followUp" in --json, and never mailed', async () => {
    const ws = stripeWorkspace([
      ['INV-1', 'Anna Schmidt', 'anna@example.com', 'open', '120.00', 'DE'],
      ['INV-2', 'Ben Meier', 'ben@example.com', 'open', '80.00', 'DE'],
    ]);
    expect((await ws.dunning('import', 'invoices.csv')).code).toBe(0);
    // A week later Stripe has given up on INV-2: its open case closes, and the merchant is told to follow it up.
    ws.write('later.csv', stripeCsv([
      ['INV-1', 'Anna Schmidt', 'anna@example.com', 'open', '120.00', 'DE'],
      ['INV-2', 'Ben Meier', 'ben@example.com', 'uncollectible', '80.00', 'DE'],
      ['INV-3', 'Cara Lind', 'cara@example.com', 'uncollectible', '1299.00', 'DE'],
    ]));
    const result = await ws.dunning('import', 'later.csv');
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout).slice(2)).toEqual([
      '  2 not open (uncollectible 2)',
      '  2 orders for manual follow-up, not mailed:',
      '    INV-2: Ben Meier <ben@example.com>, 80.00 EUR (uncollectible; its open case closed, no more reminders)',
      '    INV-3: Cara Lind <cara@example.com>, 1299.00 EUR (uncollectible)',
    ]);
    expect(caseOf(ws.db, 'INV-2')).toMatchObject({ status: 'cancelled' });
    expect(caseOf(ws.db, 'INV-3')).toBeUndefined();

    ws.write('again.csv', stripeCsv([['INV-4', 'Dora Falk', 'dora@example.com', 'uncollectible', '49.90', 'DE']]));
    const json = JSON.parse((await ws.dunning('--json', 'import', 'again.csv')).stdout) as { files: { followUp: unknown[] }[] };
    expect(json.files[0]?.followUp).toEqual([{ orderId: 'INV-4', status: 'uncollectible', email: 'dora@example.com', name: 'Dora Falk', openMinor: 4990, currency: 'EUR', closedCases: 0 }]);

    const send = await ws.dunning('--json', 'send', '--dry-run');
    expect(send.code, send.stderr).toBe(0);
    expect(send.stdout).toContain('anna@example.com');
    expect(send.stdout).not.toMatch(/ben@|cara@|dora@/);
  });
});

describe('a country column chooses the language only when dunning ships it', () => {
  it('FR and AT choose French and German; JP and BR fall back to the config\'s locale, and status says so once', async () => {
    const ws = stripeWorkspace(
      [
        ['INV-1', 'Anna Schmidt', 'anna@example.com', 'open', '120.00', 'FR'],
        ['INV-2', 'Ben Meier', 'ben@example.com', 'open', '80.00', 'AT'],
        ['INV-3', 'Kenji Sato', 'kenji@example.com', 'open', '50.00', 'JP'],
        ['INV-4', 'Lia Souza', 'lia@example.com', 'open', '40.00', 'BR'],
        ['INV-5', 'Lia Souza', 'lia@example.com', 'open', '30.00', 'BR'],
      ],
      { locale: 'en' },
    );
    expect((await ws.dunning('import', 'invoices.csv')).code).toBe(0);
    const greeting = async (order: string): Promise<string | undefined> => {
      const result = await ws.dunning('preview', '--template', 'reminder', '--order', order);
      expect(result.code, result.stderr).toBe(0);
      return lines(result.stdout).find((line) => /^(Dear|Hello|Bonjour|Guten Tag)/.test(line));
    };
    expect(await greeting('INV-1')).toBe('Bonjour Anna Schmidt,');
    expect(await greeting('INV-2')).toBe('Guten Tag Ben Meier,');
    expect(await greeting('INV-3')).toBe('Dear Kenji,');
    expect(await greeting('INV-4')).toBe('Dear Lia,');

    const status = await ws.dunning('status');
    expect(status.code).toBe(0);
    const notes = lines(status.stderr).filter((line) => line.includes('no shipped language'));
    expect(notes).toEqual([
      'note: 2 customers\' language or country ("BR", "JP") maps to no shipped language (de, en, fr, es, it, nl, pl): they get messages in "en", the config\'s "locale"',
    ]);
    const json = JSON.parse((await ws.dunning('--json', 'status')).stdout) as { languageFallback: unknown };
    expect(json.languageFallback).toEqual({ customers: 2, hints: ['BR', 'JP'] });
  });
});
