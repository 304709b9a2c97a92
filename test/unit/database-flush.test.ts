import { existsSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, withJournalWhileEmpty } from '../../src/store/database.js';

// A long first import syncs what it wrote along the way through a descriptor of its own, which it
// must never close: closing it would drop SQLite's POSIX locks on the file. Counted in /proc, so Linux only.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDatabasePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-flush-'));
  dirs.push(dir);
  return join(dir, 'dunning.db');
}

/** How many descriptors of this process point at the file. */
function descriptorsOf(path: string): number {
  const target = realpathSync(path);
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === target;
    } catch {
      return false;
    }
  }).length;
}

describe.runIf(existsSync('/proc/self/fd'))('withJournalWhileEmpty: syncing a long write along the way', () => {
  it('keeps one descriptor for a database across long writes, also after the database is closed', async () => {
    const path = newDatabasePath();
    const db = openDatabase(path);
    const sqliteOwn = descriptorsOf(path);
    await withJournalWhileEmpty(db, () => sleep(600));
    expect(descriptorsOf(path)).toBe(sqliteOwn + 1);
    await withJournalWhileEmpty(db, () => sleep(600));
    expect(descriptorsOf(path)).toBe(sqliteOwn + 1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(descriptorsOf(path)).toBe(1);
  });

  it('opens none for a write shorter than one sync interval', async () => {
    const path = newDatabasePath();
    const db = openDatabase(path);
    const sqliteOwn = descriptorsOf(path);
    await withJournalWhileEmpty(db, () => sleep(50));
    expect(descriptorsOf(path)).toBe(sqliteOwn);
    db.close();
  });
});
