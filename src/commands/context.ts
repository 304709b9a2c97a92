import type { Clock } from '../clock.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { maskSecrets } from '../core/text.js';
import type { Terminal } from '../output/terminal.js';
import { openDatabase, type Db } from '../store/database.js';
import { finishRun, startRun } from '../store/runs.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Options every command accepts (DESIGN.md "Commands", Global). */
export interface GlobalOptions {
  config?: string;
  db?: string;
  now?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** What a command reports back: its exit code (0 or 1) and the counts for the run log. */
export interface CommandResult {
  exitCode: 0 | 1;
  summary: Record<string, unknown>;
}

/** An open database with the run row of this invocation. */
export interface Session {
  loaded: LoadedConfig;
  db: Db;
  runId: number;
  dbPath: string;
}

/** Everything a command may touch: the clock, the terminal, the config and the store. */
export class CommandContext {
  private session: Session | undefined;
  private loadedConfig: LoadedConfig | undefined;

  constructor(
    readonly command: string,
    readonly argv: readonly string[],
    readonly globals: GlobalOptions,
    readonly clock: Clock,
    readonly terminal: Terminal,
    readonly cwd: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The validated configuration (read once). */
  config(): LoadedConfig {
    this.loadedConfig ??= loadConfig(this.globals.config, this.cwd);
    return this.loadedConfig;
  }

  /** The database path from --db (default ./dunning.db). */
  dbPath(): string {
    return dbPathOf(this.cwd, this.globals);
  }

  /**
   * Loads the config, opens the database and writes this invocation's run row. `mustExist`: a
   * command that reads what imports wrote refuses a folder without a database (a typo in --db or
   * the wrong folder under cron) instead of leaving an empty one there.
   */
  begin(options: { memoryOnly?: boolean; mustExist?: boolean } = {}): Session {
    if (this.session) return this.session;
    const loaded = this.config();
    const dbPath = options.memoryOnly ? ':memory:' : this.dbPath();
    const db = openDatabase(dbPath, { mustExist: options.mustExist === true });
    const runId = startRun(db, this.command, this.argv.map(maskSecrets), this.clock.now());
    this.session = { loaded, db, runId, dbPath };
    return this.session;
  }

  /** Closes the run row with the outcome and the database. */
  end(exitCode: number, summary: Record<string, unknown>): void {
    if (!this.session) {
      // Refused before the store was opened (config, usage): still logged, in a database that exists.
      recordRefusedRun(this.dbPath(), this.command, this.argv, this.clock.now(), exitCode, summary);
      return;
    }
    try {
      finishRun(this.session.db, this.session.runId, this.clock.now(), exitCode, summary);
    } finally {
      this.session.db.close();
      this.session = undefined;
    }
  }
}

/** The database a command uses: --db, else ./dunning.db, relative to the working folder. */
export function dbPathOf(cwd: string, globals: Pick<GlobalOptions, 'db'>): string {
  return resolve(cwd, globals.db ?? 'dunning.db');
}

/**
 * Writes the run row of an invocation refused before it opened the store (a config or usage error),
 * so the run log shows every command. Only into a database that exists: a typo creates no file.
 */
export function recordRefusedRun(dbPath: string, command: string, argv: readonly string[], at: Date, exitCode: number, summary: Record<string, unknown>): void {
  if (!existsSync(dbPath)) return;
  let db: Db | undefined;
  try {
    db = openDatabase(dbPath);
    const runId = startRun(db, command, argv.map(maskSecrets), at);
    finishRun(db, runId, at, exitCode, summary);
  } catch {
    // A database that cannot be opened (newer schema, another program's) takes no run row; the error was printed.
  } finally {
    db?.close();
  }
}
