import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseOf, query } from '../support/db.js';
import { elopageCsv, row, rows } from '../support/exports.js';
import { lines } from '../support/run-cli.js';
import { workspace, type Workspace } from '../support/workspace.js';

// What a newer export does to the cases: snapshot closing, the --force guard, --partial,
// identical re-imports, partial payments, payment in full, --dry-run and --json.

async function imported(count: number): Promise<Workspace> {
  const ws = workspace();
  ws.write('week1.csv', elopageCsv(rows(count)));
  const first = await ws.dunning('import', 'week1.csv');
  expect(first.code).toBe(0);
  return ws;
}

describe('import: snapshot and partial', () => {
  it('closes the cases a snapshot no longer lists as paid, and counts them', async () => {
    const ws = await imported(4);
    ws.write('week2.csv', elopageCsv(rows(3)));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'week2.csv: preset elopage (from the header row), utf8, delimiter ";", snapshot of source "elopage"',
      'week2.csv: 3 rows read: 0 new, 0 updated, 1 closed as paid, 3 unchanged, 0 rejected',
      '1 open case of "elopage" closed as paid: the export no longer lists them',
    ]);
    expect(caseOf(ws.db, '1004')).toMatchObject({ status: 'paid', closed_reason: 'missing_from_snapshot', closed_at: '2026-11-23T08:00:00.000Z' });
    expect(query(ws.db, 'SELECT c.order_id, p.amount_minor, p.kind FROM payments p JOIN cases c ON c.id = p.case_id')).toEqual([
      { order_id: '1004', amount_minor: 4900, kind: 'missing_from_snapshot' },
    ]);
    expect(query(ws.db, 'SELECT closed FROM imports ORDER BY id')).toEqual([{ closed: 0 }, { closed: 1 }]);
    expect(query(ws.db, "SELECT count(*) AS n FROM cases WHERE status = 'open'")).toEqual([{ n: 3 }]);
  });

  it('stops a snapshot that would close more than half of the open cases, then --force closes them', async () => {
    const ws = await imported(4);
    const before = ws.store();
    ws.write('week2.csv', elopageCsv(rows(1)));
    const stopped = await ws.dunning('import', 'week2.csv');
    expect(stopped.code).toBe(2);
    expect(lines(stopped.stderr)).toEqual([
      'error: this export would close 3 of 4 open cases of "elopage" as paid, because it does not list them; nothing was imported',
      'hint: if this really is the complete, current export, run again with --force; if it lists only some orders, use --partial',
    ]);
    expect(ws.store()).toEqual(before);
    const forced = await ws.dunning('import', '--force', 'week2.csv');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('3 open cases of "elopage" closed as paid: the export no longer lists them');
    expect(query(ws.db, "SELECT order_id FROM cases WHERE status = 'open'")).toEqual([{ order_id: '1001' }]);
  });

  it('lets exactly half be closed without --force', async () => {
    const ws = await imported(4);
    ws.write('week2.csv', elopageCsv(rows(2)));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 open cases of "elopage" closed as paid');
  });

  it('removes its own rejects file of an earlier import once the same file imports without bad rows, and keeps a file of the merchant\'s', async () => {
    const ws = await imported(2);
    ws.write('week2.csv', elopageCsv([row(1), row(2, { open: 'viel' })]));
    expect((await ws.dunning('import', 'week2.csv')).code).toBe(1);
    expect(existsSync(ws.file('week2.rejects.csv'))).toBe(true);
    ws.write('week2.csv', elopageCsv([row(1), row(2)]));
    const fixed = await ws.dunning('import', 'week2.csv');
    expect(fixed.code).toBe(0);
    expect(lines(fixed.stdout)).toContain('  no bad rows: removed week2.rejects.csv, left by an earlier import');
    expect(existsSync(ws.file('week2.rejects.csv'))).toBe(false);
    const json = await ws.dunning('import', '--json', 'week2.csv');
    expect(JSON.parse(json.stdout)).toMatchObject({ files: [{ oldRejectsRemoved: null }] });

    // A file of that name that dunning did not write is the merchant's: it stays.
    ws.write('week3.rejects.csv', 'my own notes\n');
    ws.write('week3.csv', elopageCsv([row(1), row(2)]));
    expect((await ws.dunning('import', 'week3.csv')).code).toBe(0);
    expect(readFileSync(ws.file('week3.rejects.csv'), 'utf8')).toBe('my own notes\n');
  });

  it('keeps open the cases a snapshot lacks while any of its rows is rejected: a bad row may be theirs', async () => {
    const ws = await imported(4);
    // Order 1004 is listed, but its amount cannot be read; order 1003 is really gone.
    ws.write('week2.csv', elopageCsv([row(1), row(2), row(4, { open: '1.2.3' })]));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([
      'week2.csv:4: column "Offener Betrag": "1.2.3" has misplaced thousands separators',
      '  bad rows written to week2.rejects.csv',
      '2 open cases of "elopage" missing from the export stay open: 1 rejected row may be theirs; fix the rows and import again',
    ]);
    expect(query(ws.db, "SELECT order_id FROM cases WHERE status = 'open' ORDER BY order_id")).toEqual([
      { order_id: '1001' }, { order_id: '1002' }, { order_id: '1003' }, { order_id: '1004' },
    ]);
    expect(query(ws.db, 'SELECT count(*) AS n FROM payments')).toEqual([{ n: 0 }]);
    ws.write('week2-fixed.csv', elopageCsv([row(1), row(2), row(4)]));
    const fixed = await ws.dunning('import', 'week2-fixed.csv');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('1 open case of "elopage" closed as paid: the export no longer lists them');
    expect(caseOf(ws.db, '1003')).toMatchObject({ status: 'paid', closed_reason: 'missing_from_snapshot' });
    expect(caseOf(ws.db, '1004')).toMatchObject({ status: 'open' });
  });

  it('--partial only adds and updates', async () => {
    const ws = await imported(4);
    ws.write('some.csv', elopageCsv([row(1, { open: '39,00' }), row(9)]));
    const result = await ws.dunning('import', '--partial', 'some.csv');
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([
      'some.csv: preset elopage (from the header row), utf8, delimiter ";", partial of source "elopage"',
      'some.csv: 2 rows read: 1 new, 1 updated, 0 closed as paid, 0 unchanged, 0 rejected',
      '  1 partial payment recorded',
    ]);
    expect(query(ws.db, "SELECT count(*) AS n FROM cases WHERE status = 'open'")).toEqual([{ n: 5 }]);
  });

  it('reopens a case a snapshot closed when a later export lists it again', async () => {
    const ws = await imported(4);
    ws.write('week2.csv', elopageCsv(rows(3)));
    await ws.dunning('import', 'week2.csv');
    ws.write('week3.csv', elopageCsv(rows(4)));
    const result = await ws.dunning('import', 'week3.csv');
    expect(result.stdout).toContain('week3.csv: 4 rows read: 0 new, 1 updated, 0 closed as paid, 3 unchanged, 0 rejected');
    expect(result.stdout).toContain('  1 case reopened');
    expect(caseOf(ws.db, '1004')).toMatchObject({ status: 'open', closed_reason: null, closed_at: null });
  });

  it('starts a new case when an order\'s next instalment falls due', async () => {
    const ws = await imported(1);
    ws.write('week2.csv', elopageCsv([row(1), row(1, { due: '20.12.2026' })]));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.stdout).toContain('2 rows read: 1 new, 0 updated, 0 closed as paid, 1 unchanged, 0 rejected');
    expect(query(ws.db, 'SELECT order_id, due_date FROM cases ORDER BY id')).toEqual([
      { order_id: '1001', due_date: '2026-11-20' },
      { order_id: '1001', due_date: '2026-12-20' },
    ]);
  });
});

describe('import: payments', () => {
  it('records a drop of the open amount as a partial payment and keeps the case open', async () => {
    const ws = await imported(2);
    ws.write('week2.csv', elopageCsv([row(1, { open: '29,00', paid: '20,00' }), row(2)]));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('week2.csv: 2 rows read: 0 new, 1 updated, 0 closed as paid, 1 unchanged, 0 rejected');
    expect(result.stdout).toContain('  1 partial payment recorded');
    expect(caseOf(ws.db, '1001')).toMatchObject({ status: 'open', open_minor: 2900, paid_minor: 2000, first_open_minor: 4900 });
    expect(query(ws.db, 'SELECT amount_minor, kind, recorded_at FROM payments')).toEqual([{ amount_minor: 2000, kind: 'partial', recorded_at: '2026-11-23T08:00:00.000Z' }]);
  });

  it('closes a case as paid when its open amount reaches 0', async () => {
    const ws = await imported(2);
    ws.write('week2.csv', elopageCsv([row(1, { open: '0,00', paid: '49,00' }), row(2)]));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.stdout).toContain('week2.csv: 2 rows read: 0 new, 0 updated, 1 closed as paid, 1 unchanged, 0 rejected');
    expect(caseOf(ws.db, '1001')).toMatchObject({ status: 'paid', closed_reason: 'paid_in_full', open_minor: 0 });
    expect(query(ws.db, 'SELECT amount_minor, kind FROM payments')).toEqual([{ amount_minor: 4900, kind: 'in_full' }]);
  });

  it('skips a new row that is already paid', async () => {
    const ws = await imported(1);
    ws.write('week2.csv', elopageCsv([row(1), row(2, { open: '0,00' })]));
    const result = await ws.dunning('import', 'week2.csv');
    expect(result.stdout).toContain('  1 new row already paid (skipped)');
    expect(caseOf(ws.db, '1002')).toBeUndefined();
  });
});

describe('import: the same file again', () => {
  it('recognises an identical file, says so, and changes no case or payment', async () => {
    const ws = await imported(3);
    const before = ws.store();
    const again = await ws.dunning('import', 'week1.csv');
    expect(again.code).toBe(0);
    expect(lines(again.stdout)[1]).toBe('week1.csv: identical to import #1 (2026-11-23T08:00:00.000Z); nothing changed (3 rows)');
    const after = ws.store();
    expect(after?.cases).toEqual(before?.cases);
    expect(after?.payments).toEqual(before?.payments);
    expect(query(ws.db, 'SELECT rows, new, unchanged FROM imports ORDER BY id')).toEqual([
      { rows: 3, new: 3, unchanged: 0 },
      { rows: 3, new: 0, unchanged: 3 },
    ]);
  });

  it('finds every row unchanged in a re-ordered file with the same content', async () => {
    const ws = await imported(3);
    const before = ws.store();
    ws.write('shuffled.csv', elopageCsv([row(3), row(1), row(2)]));
    const result = await ws.dunning('import', 'shuffled.csv');
    expect(result.stdout).toContain('shuffled.csv: 3 rows read: 0 new, 0 updated, 0 closed as paid, 3 unchanged, 0 rejected');
    expect(ws.store()?.cases).toEqual(before?.cases);
  });
});

describe('import --dry-run and --json', () => {
  it('--dry-run reports what would change and writes nothing', async () => {
    const ws = await imported(4);
    const before = ws.store();
    ws.write('week2.csv', elopageCsv([row(1, { open: '0,00' }), row(2, { open: '9,00' }), row(5), row(6, { email: 'bad' })]));
    const result = await ws.dunning('import', '--dry-run', 'week2.csv');
    expect(result.code).toBe(1);
    expect(lines(result.stdout).slice(1)).toEqual([
      'week2.csv: 4 rows read: 1 new, 1 updated, 1 closed as paid, 0 unchanged, 1 rejected',
      '  1 partial payment would be recorded',
      'Dry run: nothing was written.',
    ]);
    expect(lines(result.stderr)).toEqual([
      'week2.csv:5: column "E-Mail": "bad" is not an e-mail address',
      '2 open cases of "elopage" missing from the export stay open: 1 rejected row may be theirs; fix the rows and import again',
    ]);
    expect(ws.store()).toEqual(before);
    expect(existsSync(ws.file('week2.rejects.csv'))).toBe(false);
  });

  it('--dry-run without a database creates none', async () => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv(rows(2)));
    const result = await ws.dunning('import', '--dry-run', 'orders.csv');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('orders.csv: 2 rows read: 2 new, 0 updated, 0 closed as paid, 0 unchanged, 0 rejected');
    expect(existsSync(ws.db)).toBe(false);
    expect(existsSync(`${ws.db}-wal`)).toBe(false);
  });

  it('--json prints exactly one JSON document on stdout, diagnostics on stderr', async () => {
    const ws = await imported(2);
    ws.write('week2.csv', elopageCsv([row(1, { open: '29,00' }), row(2), row(3), row(4, { email: 'bad' })]));
    const result = await ws.dunning('--json', 'import', 'week2.csv');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { files: Record<string, unknown>[]; totals: Record<string, number>; dryRun: boolean; closedMissing: object };
    // notOpen, notOpenByStatus, cancelled and followUp: new keys of issue 18.
    expect(report.totals).toEqual({ rows: 4, new: 1, updated: 1, closed: 0, unchanged: 1, rejected: 1, partialPayments: 1, reopened: 0, alreadyPaid: 0, notOpen: 0, notOpenByStatus: {}, cancelled: 0, followUp: [] });
    expect(report.files[0]).toMatchObject({ file: 'week2.csv', preset: 'elopage', source: 'elopage', mode: 'snapshot', encoding: 'utf8', delimiter: ';', rejectsFile: 'week2.rejects.csv', identicalTo: null });
    expect(report.dryRun).toBe(false);
    expect(report.closedMissing).toEqual({});
    // The rejects file is named in the document; stderr keeps only the row problems.
    expect(lines(result.stderr)).toEqual(['week2.csv:5: column "E-Mail": "bad" is not an e-mail address']);
    expect(existsSync(ws.file('week2.rejects.csv'))).toBe(true);
  });

  it('--json prints nothing on stdout when the import is refused', async () => {
    const ws = await imported(2);
    ws.write('empty.csv', '');
    const result = await ws.dunning('--json', 'import', 'empty.csv');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: empty.csv: the file is empty');
  });
});
