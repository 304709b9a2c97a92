import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateExport } from '../../bench/generate-export.mjs';
import { query } from '../support/db.js';
import { spawnCli, type CliResult } from '../support/run-cli.js';
import { workspace } from '../support/workspace.js';

// One transaction per import: a process killed mid-way leaves the database as it was before.

const ROWS = 300_000;
const WRITTEN = 4 << 20;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Spawns an import of big.csv and kills it (SIGKILL) once `written()` exceeds WRITTEN bytes; then waits for its end. */
async function killImportOnceWritten(cwd: string, written: () => number): Promise<void> {
  const child = spawnCli(['--now', '2026-11-23T09:00:00+01:00', 'import', 'big.csv'], { cwd });
  const exited = new Promise<Pick<CliResult, 'code' | 'signal'>>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let bytes = 0;
  // Wait (bounded) until the open transaction has written megabytes of pages.
  for (let waited = 0; waited < 120_000 && child.exitCode === null; waited += 20) {
    bytes = written();
    if (bytes > WRITTEN) break;
    await sleep(20);
  }
  expect(child.exitCode, 'the import ended before it could be killed').toBeNull();
  child.kill('SIGKILL');
  expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(bytes).toBeGreaterThan(WRITTEN);
}

describe('an import killed mid-way', () => {
  it('leaves the database exactly as before, and a later import works', { timeout: 180_000 }, async () => {
    const ws = workspace();
    await generateExport(ROWS, ws.file('big.csv'));
    // The first rows of the big export, imported first: the big one then updates nothing and closes nothing.
    const [header, ...body] = readFileSync(ws.file('big.csv'), 'utf8').split('\n', 4);
    ws.write('small.csv', `${[header, ...body].join('\n')}\n`);
    expect((await ws.dunning('import', 'small.csv')).code).toBe(0);
    const before = ws.store();
    expect(before?.cases).toHaveLength(3);

    // The pages the open transaction spilled go into the WAL.
    await killImportOnceWritten(ws.path, () => (existsSync(`${ws.db}-wal`) ? statSync(`${ws.db}-wal`).size : 0));

    expect(ws.store()).toEqual(before);
    const runs = query(ws.db, 'SELECT command, exit_code, ended_at FROM runs ORDER BY id');
    expect(runs).toEqual([
      { command: 'import', exit_code: 0, ended_at: '2026-11-23T08:00:00.000Z' },
      // The killed run's start was committed before its import began; it never ended.
      { command: 'import', exit_code: null, ended_at: null },
    ]);

    const again = await ws.dunning('import', 'big.csv');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`big.csv: ${ROWS} rows read: ${ROWS - 3} new, 0 updated, 0 closed as paid, 3 unchanged, 0 rejected`);
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: ROWS }]);
  });

  it('into an empty database (written through a rollback journal) leaves it empty, and a later import works', { timeout: 180_000 }, async () => {
    const ws = workspace();
    await generateExport(ROWS, ws.file('big.csv'));
    // With a rollback journal they go into the database file itself, while the journal exists.
    await killImportOnceWritten(ws.path, () => (existsSync(`${ws.db}-journal`) && existsSync(ws.db) ? statSync(ws.db).size : 0));
    expect(existsSync(`${ws.db}-journal`)).toBe(true);

    // The next connection that writes finds the journal and rolls the killed import back.
    const db = new Database(ws.db);
    try {
      expect(db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(existsSync(`${ws.db}-journal`)).toBe(false);
    const again = await ws.dunning('import', 'big.csv');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`big.csv: ${ROWS} rows read: ${ROWS} new, 0 updated`);
    expect(query(ws.db, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: ROWS }]);
  });
});
