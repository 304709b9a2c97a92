import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { query, snapshot, type StoreSnapshot } from './db.js';
import { csvRow, elopageCsv, TEST_CONFIG, type OrderRow } from './exports.js';
import { cliIn, NOW, spawnCli, type CliResult } from './run-cli.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

export { NOW };

/** A merchant's folder: dunning.config.json, dunning.db, export files, and the built CLI run inside it. */
export interface Workspace extends TempDir {
  /** The folder (the same as `path`). */
  dir: string;
  /** ./dunning.db of the folder. */
  db: string;
  dbPath: string;
  configPath: string;
  /** Runs `dunning ARGS` in the folder at the e2e clock. */
  dunning: (...args: string[]) => Promise<CliResult>;
  /** Runs `dunning ARGS` with extra environment (short retry delays unless given). */
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** Starts `dunning ARGS`; `done` resolves when it ends. */
  start(args: readonly string[], env?: Record<string, string>): { child: ChildProcess; done: Promise<CliResult> };
  /** Writes an elopage-style export of these orders and returns its path. */
  writeExport(rows: readonly OrderRow[], name?: string): string;
  /** Runs a query against the database (read only). */
  query<T>(sql: string, ...params: unknown[]): T[];
  /** cases, imports and payments of ./dunning.db (null when there is none). */
  store: () => StoreSnapshot | null;
  cleanup(): void;
}

const open: TempDir[] = [];
afterEach(() => {
  for (const dir of open.splice(0)) dir.remove();
});

/** A fresh temp folder with the test config (or none, with null), removed after the test. */
export function workspace(config: Record<string, unknown> | null = TEST_CONFIG): Workspace {
  const dir = makeTempDir('e2e');
  open.push(dir);
  const configPath = dir.file('dunning.config.json');
  if (config !== null) dir.write('dunning.config.json', JSON.stringify(config, null, 2));
  const db = dir.file('dunning.db');
  const start = (args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult> } => {
    // Short retry delays keep the fault tests quick; the policy is the same.
    const child = spawnCli(['--now', NOW, ...args], { cwd: dir.path, env: { DUNNING_RETRY_DELAY_MS: '20', ...env } });
    child.stdin?.end();
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done };
  };
  return {
    ...dir,
    dir: dir.path,
    db,
    dbPath: db,
    configPath,
    dunning: cliIn(dir.path),
    run: (args, env) => start(args, env).done,
    start,
    writeExport: (rows, name = 'export.csv') => dir.write(name, elopageCsv(rows.map(csvRow))),
    query: <T>(sql: string, ...params: unknown[]): T[] => query(db, sql, ...params) as T[],
    store: () => snapshot(db),
    cleanup: () => dir.remove(),
  };
}

/** A merchant's folder with a real-looking manage link and sender; `config` is merged over it. */
export function createWorld(config: Record<string, unknown> = {}): Workspace {
  return workspace({
    timeZone: 'Europe/Berlin',
    locale: 'de',
    manageLink: 'https://pay.yoga-sonne.de/payment/{token}/manage',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', replyTo: 'help@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
    ...config,
  });
}

/** Waits, in bounded steps, until `check` holds; fails when it never does. */
export async function waitUntil(check: () => boolean, what: string, steps = 400, stepMs = 25): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
