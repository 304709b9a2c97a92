import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateExport } from '../../bench/generate-export.mjs';
import { query } from '../support/db.js';
import { SMALL_DISKS, onSmallDisk } from '../support/small-disk.js';
import { createWorld } from '../support/workspace.js';
import type { OrderRow } from '../support/exports.js';

// A full disk, a read-only folder: the user gets the path and what to do (exit 2, or 1 for a send
// that did part of its work), and nothing is lost. The small disks are tmpfs mounts in a user
// namespace; a machine that forbids those (some container runtimes) cannot run these tests, and
// they are skipped there with that reason.

const COUNT_CASES = `node -e "const D = require(process.env.ROOT + '/node_modules/better-sqlite3'); const db = new D(process.argv[1], { readonly: true }); console.log('cases=' + db.prepare('SELECT count(*) AS n FROM cases').get().n)"`;

function customers(count: number): OrderRow[] {
  return Array.from({ length: count }, (_, i) => ({ email: `kunde${i + 1}@example.de`, first: 'Anna', last: `Kunde ${i + 1}`, order: String(7001 + i), open: '49,00', due: '16.11.2026' }));
}

describe.skipIf(!SMALL_DISKS)('a full or read-only disk (needs user namespaces to mount a small tmpfs)', () => {
  it('an import onto a full disk exits 2 naming the database and keeps the state before it', async () => {
    const world = createWorld();
    try {
      await generateExport(20_000, `${world.path}/big.csv`);
      // Its first rows, imported first: the big one then closes nothing.
      const [header, ...body] = readFileSync(`${world.path}/big.csv`, 'utf8').split('\n', 4);
      writeFileSync(`${world.path}/small.csv`, `${[header, ...body].join('\n')}\n`);
      const disk = `${world.path}/disk`;
      mkdirSync(disk);
      const result = onSmallDisk(disk, 768, `
        dunning --db "$DISK/dunning.db" import small.csv >/dev/null; echo "small=$?"
        dunning --db "$DISK/dunning.db" import big.csv 2>big.err >/dev/null; echo "big=$?"
        ${COUNT_CASES} "$DISK/dunning.db"
        dunning --db "$DISK/dunning.db" status >/dev/null; echo "status=$?"
        cat big.err >&2`, world.path);
      expect(result.stdout).toContain('small=0');
      expect(result.stdout).toContain('big=2');
      expect(result.stdout).toContain('cases=3');
      expect(result.stdout).toContain('status=0');
      expect(result.stderr).toContain(`${disk}/dunning.db: the disk is full (SQLITE_FULL)`);
      expect(result.stderr).toContain('hint: free some space on that disk');
      expect(result.stderr).not.toContain('internal error');
    } finally {
      world.cleanup();
    }
  });

  it('a send whose outbox fills the disk stops (exit 1) with the folder and what to do, and leaves no empty or half file', async () => {
    const world = createWorld({ outbox: { dir: 'disk' } });
    try {
      expect((await world.run(['import', world.writeExport(customers(40))])).code).toBe(0);
      const disk = `${world.path}/disk`;
      mkdirSync(disk);
      const result = onSmallDisk(disk, 96, `
        dunning send 2>send.err >/dev/null; echo "send=$?"
        echo "files=$(find "$DISK" -name '*.eml' | wc -l)"
        echo "empty=$(find "$DISK" -type f -size 0 | wc -l)"
        echo "parts=$(find "$DISK" -name '*.part' | wc -l)"`, world.path);
      const err = readFileSync(`${world.path}/send.err`, 'utf8');
      expect(result.stdout).toContain('send=1');
      expect(err).toMatch(/The run stopped: .*\/disk\/\d+: the disk is full \(ENOSPC\)/);
      expect(err).toContain('hint: free some space on that disk');
      expect(result.stdout).toContain('empty=0');
      expect(result.stdout).toContain('parts=0');
      const files = Number(/files=(\d+)/.exec(result.stdout)?.[1]);
      expect(files).toBeGreaterThan(0);
      expect(files).toBeLessThan(40);
      // What is on the disk is exactly what is recorded as sent; the rest goes next time.
      expect(query(world.dbPath, "SELECT count(*) AS n FROM messages WHERE state = 'sent'")).toEqual([{ n: files }]);
      expect(query(world.dbPath, "SELECT count(*) AS n FROM messages WHERE state IN ('sending', 'unknown')")).toEqual([{ n: 0 }]);
    } finally {
      world.cleanup();
    }
  });

  it('a database in a read-only folder: exit 2, and the message says read-only', () => {
    const world = createWorld();
    try {
      world.writeExport(customers(3), 'orders.csv');
      const disk = `${world.path}/disk`;
      mkdirSync(disk);
      const result = onSmallDisk(disk, 1024, `
        dunning --db "$DISK/dunning.db" import orders.csv >/dev/null; echo "import=$?"
        mount -o remount,ro "$DISK"
        dunning --db "$DISK/dunning.db" send >/dev/null; echo "send=$?"`, world.path);
      expect(result.stdout).toContain('import=0');
      expect(result.stdout).toContain('send=2');
      expect(result.stderr).toMatch(/dunning\.db: cannot open the database: the (database file|folder of the database) is read-only \(EROFS\)/);
      expect(result.stderr).not.toContain('internal error');
    } finally {
      world.cleanup();
    }
  });
});
