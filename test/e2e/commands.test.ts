import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runsOf } from '../support/db.js';
import { TEST_CONFIG, elopageCsv, row } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

// The store (file mode, run log) and the commands around import: status, runs, init.

const GENERIC = [
  'email,first_name,last_name,order_id,product,open_amount,paid_amount,due_date,token,currency',
  'emma@example.com,Emma,Jones,A-1,Pro Plan,"1,234.56",0.00,2026-11-20,tok_8c1d2e3f4a5b6c7d,USD',
  'liam@example.co.uk,Liam,Smith,A-2,Starter,49.00,0.00,2026-11-25,tok_1f2e3d4c5b6a7980,GBP',
  'sofia@example.com,Sofia,García,A-3,Team,299.00,100.00,2026-11-16,,EUR',
  'ben@example.org,Ben,Okafor,A-4,Pro,129.00,0.00,2026-11-23,tok_9a8b7c6d5e4f3021,USD',
].join('\n');

async function withGeneric(): Promise<Workspace> {
  const ws = workspace();
  ws.write('generic.csv', `${GENERIC}\n`);
  expect((await ws.dunning('import', 'generic.csv')).code).toBe(0);
  return ws;
}

describe('the database file', () => {
  it('is created readable by its owner only (0600)', async () => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv([row(1)]));
    await ws.dunning('import', 'orders.csv');
    expect(statSync(ws.db).mode & 0o777).toBe(0o600);
  });
});

describe('status', () => {
  it('lists open cases with days overdue, flags a missing token, and totals per currency', async () => {
    const ws = await withGeneric();
    const result = await ws.dunning('status');
    expect(result.code).toBe(0);
    // Intl puts a no-break space between amount and currency sign.
    const out = lines(result.stdout.replace(/\u00a0/g, ' '));
    expect(out[0]).toMatch(/^customer\s+order\s+product\s+open\s+due\s+days overdue\s+next\s+attention\s*$/);
    // "next" is the stage each case gets next and the day it is due (the plan send makes).
    expect(out.slice(1, 5).map((l) => l.replace(/\s{2,}/g, ' | ').trim())).toEqual([
      'Emma Jones <emma@example.com> | A-1 | Pro Plan | 1.234,56 $ | 2026-11-20 | 3 | reminder today |',
      'Sofia García <sofia@example.com> | A-3 | Team | 299,00 € | 2026-11-16 | 7 | – | no token in the export',
      'Ben Okafor <ben@example.org> | A-4 | Pro | 129,00 $ | 2026-11-23 | due today | reminder 2026-11-24 |',
      'Liam Smith <liam@example.co.uk> | A-2 | Starter | 49,00 £ | 2026-11-25 | in 2 | reminder 2026-11-26 |',
    ]);
    expect(out[5]).toBe('Open: 299,00 € in 1 case, 49,00 £ in 1 case, 1.363,56 $ in 2 cases (today is 2026-11-23, Europe/Berlin)');
  });

  it('--overdue shows only cases past their due date', async () => {
    const ws = await withGeneric();
    const result = await ws.dunning('status', '--overdue');
    const out = lines(result.stdout.replace(/\u00a0/g, ' '));
    expect(out.map((l) => l.split(/\s{2,}/)[1])).toEqual(['order', 'A-1', 'A-3', undefined]);
    expect(out.at(-1)).toBe('Open: 299,00 € in 1 case, 1.234,56 $ in 1 case (today is 2026-11-23, Europe/Berlin)');
  });

  it('--json prints one document with masked tokens and exact amounts', async () => {
    const ws = await withGeneric();
    const result = await ws.dunning('--json', 'status');
    const doc = JSON.parse(result.stdout) as { today: string; cases: Record<string, unknown>[]; totals: Record<string, unknown>[] };
    expect(doc.today).toBe('2026-11-23');
    expect(doc.cases.map((c) => [c.orderId, c.open, c.currency, c.daysOverdue, c.token, c.problem])).toEqual([
      ['A-1', '1234.56', 'USD', 3, 'tok…7d', null],
      ['A-3', '299.00', 'EUR', 7, '(none)', 'no token in the export'],
      ['A-4', '129.00', 'USD', 0, 'tok…21', null],
      ['A-2', '49.00', 'GBP', -2, 'tok…80', null],
    ]);
    expect(doc.totals).toEqual([
      { currency: 'EUR', minor: 29900, cases: 1, open: '299.00' },
      { currency: 'GBP', minor: 4900, cases: 1, open: '49.00' },
      { currency: 'USD', minor: 136356, cases: 2, open: '1363.56' },
    ]);
    expect(result.stdout).not.toContain('tok_8c1d2e3f4a5b6c7d');
  });

  it('takes "today" from --now in the configured zone: 23:30 UTC is already tomorrow in Berlin', async () => {
    const ws = await withGeneric();
    const late = await ws.dunning('--now', '2026-11-22T23:30:00Z', '--json', 'status');
    expect((JSON.parse(late.stdout) as { today: string }).today).toBe('2026-11-23');
    const env = await ws.dunning('--now', '2026-11-22T22:30:00Z', '--json', 'status');
    expect((JSON.parse(env.stdout) as { today: string }).today).toBe('2026-11-22');
  });
});

describe('runs', () => {
  it('records every command with its exit code and counts; --last and --json', async () => {
    const ws = await withGeneric();
    // A good row beside the bad one: with every row rejected the import would exit 2 (issue 18).
    ws.write('bad.csv', elopageCsv([row(1, { email: 'x' }), row(2)]));
    expect((await ws.dunning('import', '--partial', 'bad.csv')).code).toBe(1);
    ws.write('empty.csv', '');
    expect((await ws.dunning('import', 'empty.csv')).code).toBe(2);
    await ws.dunning('status');
    const result = await ws.dunning('--json', 'runs', '--last', '3');
    const doc = JSON.parse(result.stdout) as { runs: { command: string; exitCode: number; args: string[]; summary: Record<string, unknown> }[] };
    expect(doc.runs.map((r) => [r.command, r.exitCode])).toEqual([
      ['status', 0],
      ['import', 2],
      ['import', 1],
    ]);
    expect(doc.runs[1]?.summary).toEqual({ error: 'empty.csv: the file is empty' });
    expect(doc.runs[2]?.summary).toMatchObject({ rows: 2, rejected: 1, dryRun: false, files: 1 });
    expect(doc.runs[2]?.args).toEqual(['--now', '2026-11-23T09:00:00+01:00', 'import', '--partial', 'bad.csv']);
    const table = await ws.dunning('runs');
    expect(lines(table.stdout)[0]).toMatch(/^run\s+started \(UTC\)\s+command\s+arguments\s+exit\s+summary\s*$/);
    // Five earlier runs under the header; the listing leaves itself out, the log has it.
    expect(lines(table.stdout)).toHaveLength(1 + 5);
    expect(runsOf(ws.db)).toHaveLength(6);
  });

  it('masks secrets in the arguments it records', async () => {
    const ws = workspace();
    const result = await ws.dunning('import', '--rejects', 'https://user:hunter2@example.com/x?token=tk_s3cr3t', 'orders.csv');
    expect(result.code).toBe(2);
    const [run] = runsOf(ws.db);
    expect(String(run?.args)).toContain('https://user:***@example.com/x?token=***');
    expect(JSON.stringify(runsOf(ws.db))).not.toMatch(/hunter2|tk_s3cr3t/);
    const shown = await ws.dunning('--json', 'runs');
    expect(shown.stdout).not.toMatch(/hunter2|tk_s3cr3t/);
  });
});

describe('init', () => {
  it('writes a starter config that loads, and never overwrites it', async () => {
    const ws = workspace(null);
    const result = await ws.dunning('init');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote ${ws.file('dunning.config.json')}`);
    const written = readFileSync(ws.file('dunning.config.json'), 'utf8');
    expect(JSON.parse(written)).toMatchObject({ locale: 'de', currency: 'EUR', import: { preset: 'auto' } });
    ws.write('orders.csv', elopageCsv([row(1)]));
    expect((await ws.dunning('import', 'orders.csv')).code).toBe(0);

    const again = await ws.dunning('init');
    expect(again.code).toBe(2);
    expect(lines(again.stderr)).toEqual([`error: ${ws.file('dunning.config.json')} already exists; nothing was written`, 'hint: edit it, or delete it first to start over']);
    expect(readFileSync(ws.file('dunning.config.json'), 'utf8')).toBe(written);
  });

  it('writes to --config and leaves an existing file of that name alone', async () => {
    const ws = workspace(TEST_CONFIG);
    const mine = readFileSync(ws.file('dunning.config.json'), 'utf8');
    expect((await ws.dunning('--config', 'shop2.json', 'init')).code).toBe(0);
    ws.write('orders.csv', elopageCsv([row(1)]));
    expect((await ws.dunning('--config', 'shop2.json', 'import', 'orders.csv')).code).toBe(0);
    expect((await ws.dunning('--config', 'shop2.json', 'status')).code).toBe(0);
    expect((await ws.dunning('init')).code).toBe(2);
    expect(readFileSync(ws.file('dunning.config.json'), 'utf8')).toBe(mine);
  });
});
