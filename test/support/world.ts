import type { ChildProcess } from 'node:child_process';
import { query } from './db.js';
import { elopageCsv, type ExportRow as CsvRow } from './exports.js';
import { NOW, spawnCli, type CliResult } from './run-cli.js';
import { makeTempDir } from './temp-dir.js';

export { NOW };

/** One row of an elopage-style export; what is left out gets a plausible value. */
export interface ExportRow {
  email: string;
  first?: string;
  last?: string;
  order: string;
  product?: string;
  /** As the export writes it, e.g. "49,00". */
  open: string;
  paid?: string;
  /** DD.MM.YYYY */
  due: string;
  token?: string;
}

/** The export's cells for a row, the token made from the order ID unless given. */
export function csvRow(r: ExportRow): CsvRow {
  return {
    email: r.email, first: r.first ?? 'Anna', last: r.last ?? 'Müller', order: r.order, product: r.product ?? 'Online-Kurs',
    open: r.open, paid: r.paid ?? '0,00', due: r.due, token: r.token ?? `tk_${r.order.padStart(16, '0')}`,
  };
}

/** A temp folder with a config, a database and exports, and the built CLI to run in it. */
export interface World {
  dir: string;
  dbPath: string;
  configPath: string;
  /** Writes an export and returns its path. */
  writeExport(rows: readonly ExportRow[], name?: string): string;
  /** Starts the CLI with --config, --db and --now set; `done` resolves when it ends. */
  start(args: readonly string[], env?: Record<string, string>): { child: ChildProcess; done: Promise<CliResult> };
  run(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  /** Runs a query against the database (read only). */
  query<T>(sql: string, ...params: unknown[]): T[];
  cleanup(): void;
}

/** A test's own folder; `config` is merged over a config with a real-looking manage link and sender. */
export function createWorld(config: Record<string, unknown> = {}): World {
  const dir = makeTempDir('send');
  const base = {
    timeZone: 'Europe/Berlin',
    locale: 'de',
    manageLink: 'https://pay.yoga-sonne.de/payment/{token}/manage',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', replyTo: 'help@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
  };
  const configPath = dir.write('dunning.config.json', JSON.stringify({ ...base, ...config }, null, 2));
  const dbPath = dir.file('dunning.db');
  const start = (args: readonly string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult> } => {
    // Short retry delays keep the fault tests quick; the policy is the same.
    const child = spawnCli(['--config', configPath, '--db', dbPath, '--now', NOW, ...args], { cwd: dir.path, env: { DUNNING_RETRY_DELAY_MS: '20', ...env } });
    child.stdin?.end();
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done };
  };
  return {
    dir: dir.path,
    dbPath,
    configPath,
    writeExport: (rows, name = 'export.csv') => dir.write(name, elopageCsv(rows.map(csvRow))),
    start,
    run: (args, env) => start(args, env).done,
    query: <T>(sql: string, ...params: unknown[]): T[] => query(dbPath, sql, ...params) as T[],
    cleanup: () => dir.remove(),
  };
}

/** Customers of a typical morning (Berlin, 2026-11-23): three overdue, one with two orders, one not yet due. */
export const MORNING: readonly ExportRow[] = [
  { email: 'anna.mueller@example.de', first: 'Anna', last: 'Müller', order: '4711', open: '49,00', due: '22.11.2026' },
  { email: 'Anna.Mueller@example.de', first: 'Anna', last: 'Müller', order: '4720', open: '19,90', due: '21.11.2026' },
  { email: 'ben.schaefer@example.de', first: 'Ben', last: 'Schäfer', order: '4712', open: '1.234,56', due: '20.11.2026' },
  { email: 'clara.weiss@example.de', first: 'Clara', last: 'Weiß', order: '4713', open: '299,00', due: '16.11.2026' },
  { email: 'noah.fischer@example.de', first: 'Noah', last: 'Fischer', order: '4719', open: '2.499,00', due: '23.11.2026' },
];

/** Waits, in bounded steps, until `check` holds; fails when it never does. */
export async function waitUntil(check: () => boolean, what: string, steps = 400, stepMs = 25): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}
