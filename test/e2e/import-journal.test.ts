import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { query } from '../support/db.js';
import { elopageCsv, row, rows } from '../support/exports.js';
import { workspace } from '../support/workspace.js';

// The first import into an empty database writes through a rollback journal (its pages once, not
// into the WAL and again into the file); the database is back in WAL mode when the import ends.

const journalMode = (path: string): unknown => query(path, 'PRAGMA journal_mode')[0]?.journal_mode;

describe('the journal of an import', () => {
  it('is the WAL again after the first import, and after later ones', async () => {
    const ws = workspace();
    ws.write('orders.csv', elopageCsv(rows(3)));
    expect((await ws.dunning('import', 'orders.csv')).code).toBe(0);
    expect(journalMode(ws.db)).toBe('wal');
    expect(existsSync(`${ws.db}-journal`)).toBe(false);
    ws.write('week2.csv', elopageCsv(rows(4)));
    expect((await ws.dunning('import', 'week2.csv')).code).toBe(0);
    expect(journalMode(ws.db)).toBe('wal');
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: 4 }]);
  });

  it('stays the WAL, without waiting, when another program has the empty database open', async () => {
    const ws = workspace();
    // Every row bad: the database exists, with no cases.
    ws.write('broken.csv', elopageCsv([row(1, { email: 'bad' })]));
    expect((await ws.dunning('import', 'broken.csv')).code).toBe(2); // every row rejected: exit 2 since issue 18; the database is made, with no case
    const reader = new Database(ws.db, { readonly: true });
    try {
      expect(reader.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
      ws.write('orders.csv', elopageCsv(rows(3)));
      const result = await ws.dunning('import', 'orders.csv');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('orders.csv: 3 rows read: 3 new');
      // The reader still reads beside the writer, as WAL allows: it sees the committed import.
      expect(reader.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 3 });
      expect(reader.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      reader.close();
    }
  });

  it('a dry run into an empty database leaves it empty and in WAL mode', async () => {
    const ws = workspace();
    ws.write('broken.csv', elopageCsv([row(1, { email: 'bad' })]));
    expect((await ws.dunning('import', 'broken.csv')).code).toBe(2); // every row rejected: exit 2 since issue 18
    ws.write('orders.csv', elopageCsv(rows(3)));
    const result = await ws.dunning('import', '--dry-run', 'orders.csv');
    expect(result.code).toBe(0);
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: 0 }]);
    expect(journalMode(ws.db)).toBe('wal');
  });
});
