import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const BIN = fileURLToPath(new URL('../../bin/dunning', import.meta.url));

/** 09:00 on Monday 2026-11-23 in Berlin: inside the usual weekday window. */
export const NOW = '2026-11-23T09:00:00+01:00';

/** One row of an elopage-style export. */
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

/** How a run of the CLI ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp folder with a config, a database and exports, and the built CLI to run in it. */
export interface World {
  dir: string;
  dbPath: string;
  configPath: string;
  /** Writes an export and returns its path. */
  writeExport(rows: readonly ExportRow[], name?: string): string;
  /** Starts the CLI with --config, --db and --now set; resolves when it ends. */
  start(args: readonly string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliResult> };
  run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** Runs a query against the database (read only). */
  query<T>(sql: string, ...params: unknown[]): T[];
  cleanup(): void;
}

const HEADER = 'E-Mail;Vorname;Nachname;Bestell-ID;Produktname;Offener Betrag;Bezahlter Betrag;Fälligkeitsdatum;Token';

/** A test's own folder; `config` is merged over a config with a real-looking manage link and sender. */
export function createWorld(config: Record<string, unknown> = {}): World {
  const dir = mkdtempSync(join(tmpdir(), 'dunning-send-'));
  const configPath = join(dir, 'dunning.config.json');
  const dbPath = join(dir, 'dunning.db');
  const base = {
    timeZone: 'Europe/Berlin',
    locale: 'de',
    manageLink: 'https://pay.yoga-sonne.de/payment/{token}/manage',
    sender: { name: 'Yoga Sonne', email: 'billing@yoga-sonne.de', replyTo: 'help@yoga-sonne.de', company: 'Yoga Sonne GmbH' },
  };
  writeFileSync(configPath, JSON.stringify({ ...base, ...config }, null, 2));
  const start = (args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } => {
    const child = spawn(process.execPath, [BIN, '--config', configPath, '--db', dbPath, '--now', NOW, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH, NO_COLOR: '1', DUNNING_RETRY_DELAY_MS: '20', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done };
  };
  return {
    dir,
    dbPath,
    configPath,
    writeExport(rows, name = 'export.csv') {
      const lines = rows.map((r) =>
        [r.email, r.first ?? 'Anna', r.last ?? 'Müller', r.order, r.product ?? 'Online-Kurs', r.open, r.paid ?? '0,00', r.due, r.token ?? `tk_${r.order.padStart(16, '0')}`].join(';'),
      );
      const path = join(dir, name);
      writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
      return path;
    },
    start,
    run: (args, env) => start(args, env).done,
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
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
